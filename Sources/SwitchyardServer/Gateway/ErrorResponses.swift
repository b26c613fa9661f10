import SwitchyardCore
import SwitchyardProviders

/// Whose error shape a route answers with.
enum ErrorDialect {
    case openAI, anthropic
}

/// Errors in the caller's dialect. OpenAI's `{"error":{"message","type","param","code"}}` on
/// every OpenAI route, Anthropic's `{"type":"error","error":{…}}` on `/v1/messages`, with the
/// status the error calls for.
enum ErrorResponses {
    static func openAI(_ error: GatewayError, headers: HeaderFields = [:]) -> GatewayResponse {
        var all = headers
        if let retryAfter = error.retryAfter, retryAfter.isFinite, retryAfter >= 0, error.httpStatus == 429 || error.httpStatus == 503 {
            all.replace("Retry-After", String(Int(min(retryAfter, 86_400).rounded(.up))))
        }
        return .json(error.httpStatus, (try? JSONCoding.encode(error.openAIBody)) ?? [], headers: all)
    }

    /// The error in the route's dialect.
    static func render(_ error: GatewayError, _ dialect: ErrorDialect, headers: HeaderFields = [:]) -> GatewayResponse {
        switch dialect {
        case .openAI: return openAI(error, headers: headers)
        case .anthropic: return anthropic(error, headers: headers)
        }
    }

    /// Anthropic's `{"type":"error","error":{"type","message"}}`, with the same status and
    /// `Retry-After` as the OpenAI form.
    static func anthropic(_ error: GatewayError, headers: HeaderFields = [:]) -> GatewayResponse {
        var response = openAI(error, headers: headers)
        response.body = .bytes((try? JSONCoding.encode(anthropicBody(error))) ?? [])
        return response
    }

    static func anthropicBody(_ error: GatewayError) -> JSONValue {
        ["type": "error", "error": ["type": .string(anthropicType(error)), "message": .string(error.message)]]
    }

    /// Anthropic's error type for a status (its documented table).
    static func anthropicType(_ error: GatewayError) -> String {
        switch error.httpStatus {
        case 400, 405, 422: return "invalid_request_error"
        case 401: return "authentication_error"
        case 402: return "billing_error"
        case 403: return "permission_error"
        case 404: return "not_found_error"
        case 413: return "request_too_large"
        case 429: return "rate_limit_error"
        case 408, 504: return "timeout_error"
        case 503, 529: return "overloaded_error"
        default: return "api_error"
        }
    }

    /// The SSE event that ends an Anthropic-format stream that failed after it started.
    static func anthropicStreamEvent(_ error: GatewayError) -> [UInt8] {
        MessagesStreamEncoder.event("error", anthropicBody(error))
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
