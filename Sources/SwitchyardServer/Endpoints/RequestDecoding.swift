import Switchyard

/// Decodes a request body into a wire type, turning every decoding failure into the 400 an
/// OpenAI client expects: malformed JSON, a missing field (named in `param`), a wrong type.
enum RequestDecoding {
    static func decode<T: Decodable>(_ type: T.Type, _ body: [UInt8]) -> Result<T, GatewayError> {
        if body.isEmpty {
            return .failure(GatewayError(.invalidRequest, "The request body is empty; send a JSON object."))
        }
        do {
            return .success(try JSONCoding.decode(type, from: body))
        } catch let error as DecodingError {
            switch error {
            case .keyNotFound(let key, let context) where context.codingPath.isEmpty:
                return .failure(GatewayError(.invalidRequest, "Missing required parameter: '\(key.stringValue)'.", param: key.stringValue))
            case .dataCorrupted(let context) where context.codingPath.isEmpty:
                return .failure(GatewayError(.invalidRequest, "The request body is not valid JSON. Send a JSON object with the request parameters."))
            default:
                let path = Self.path(of: error)
                return .failure(GatewayError(.invalidRequest, "Invalid request: \(JSONCoding.describe(error)).", param: path))
            }
        } catch {
            return .failure(GatewayError(.invalidRequest, "The request body is not valid JSON."))
        }
    }

    /// Decodes a body whose model may come from the path (Azure-style routes): the path's
    /// model replaces or fills in the body's.
    static func decode<T: Decodable>(_ type: T.Type, _ body: [UInt8], pathModel: String?) -> Result<T, GatewayError> {
        guard let pathModel, case .object(var members)? = try? JSONCoding.decode(JSONValue.self, from: body) else {
            return decode(type, body)
        }
        members["model"] = .string(pathModel)
        guard let patched = try? JSONCoding.encode(JSONValue.object(members)) else { return decode(type, body) }
        return decode(type, patched)
    }

    /// Request options from LiteLLM's headers (`x-litellm-num-retries`, `x-litellm-timeout`, `x-litellm-stream-timeout`).
    static func options(_ headers: HeaderFields) -> RequestOptions {
        var options = RequestOptions()
        options.numRetries = headers["x-litellm-num-retries"].flatMap { Int($0) }
        options.timeout = headers["x-litellm-timeout"].flatMap { Double($0) }
        options.streamTimeout = headers["x-litellm-stream-timeout"].flatMap { Double($0) }
        return options
    }

    static func path(of error: DecodingError) -> String? {
        let context: DecodingError.Context
        switch error {
        case .keyNotFound(let key, let c): return (c.codingPath + [key]).map(\.stringValue).joined(separator: ".")
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): context = c
        @unknown default: return nil
        }
        let keys = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
        return keys.isEmpty ? nil : keys.joined(separator: ".")
    }
}
