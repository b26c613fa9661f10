import SwitchyardCore
import SwitchyardProviders

/// Errors in the caller's dialect. OpenAI's `{"error":{"message","type","param","code"}}` on
/// every OpenAI route, with the status the error calls for.
enum ErrorResponses {
    static func openAI(_ error: GatewayError, headers: HeaderFields = [:]) -> GatewayResponse {
        var all = headers
        if let retryAfter = error.retryAfter, retryAfter.isFinite, retryAfter >= 0, error.httpStatus == 429 || error.httpStatus == 503 {
            all.replace("Retry-After", String(Int(min(retryAfter, 86_400).rounded(.up))))
        }
        return .json(error.httpStatus, (try? JSONCoding.encode(error.openAIBody)) ?? [], headers: all)
    }

    /// The SSE event that ends a stream that failed after it started.
    static func streamEvent(_ error: GatewayError) -> [UInt8] {
        ServerSentEvent.encodeData((try? JSONCoding.encode(error.openAIBody)) ?? Array("{}".utf8))
    }

    static func notFound(_ method: String, _ path: String) -> GatewayError {
        GatewayError(.notFound, "Route not found: \(method) \(path). See the README for the endpoints Switchyard serves.")
    }

    static func methodNotAllowed(_ method: String, _ path: String, allowed: [String]) -> GatewayError {
        GatewayError(.methodNotAllowed, "Method \(method) is not allowed on \(path); use \(allowed.joined(separator: " or ")).")
    }

    static func tooLarge(limit: Int) -> GatewayError {
        let size = limit >= 1_048_576 ? "\(limit / 1_048_576) MB" : "\(limit) bytes"
        return GatewayError(
            .requestTooLarge,
            "Request body is larger than the gateway accepts (\(size), general_settings.max_request_size_mb). Send a smaller request or raise the limit.")
    }
}
