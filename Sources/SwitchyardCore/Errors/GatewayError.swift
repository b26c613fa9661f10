/// An error the gateway answers with: it knows its HTTP status, its OpenAI error `type`, and
/// renders itself as OpenAI's `{"error":{"message","type","param","code"}}`.
public struct GatewayError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// The request is malformed or has a wrong value (400).
        case invalidRequest
        /// The model name matches no group, alias, deployment or wildcard (400).
        case unknownModel
        /// The deployment names a provider this build cannot call yet (400).
        case providerNotSupported
        /// Every deployment of the group is cooling down or excluded (429, with when to retry).
        case noDeploymentAvailable
        /// The call failed upstream (status from the failure); `attempts` tells every try.
        case upstream
        /// The overall deadline passed before an answer (408).
        case deadlineExceeded
        /// The gateway's own auth refused the caller (401).
        case authentication
        /// The body is over the size limit (413).
        case requestTooLarge
        case notFound
        case methodNotAllowed
        /// A configuration problem that only shows when a request uses it (500).
        case configuration
        case internalError
    }

    public var kind: Kind
    public var message: String
    public var param: String?
    /// The underlying upstream failure, for `.upstream`.
    public var failure: UpstreamFailure?
    /// Every attempt made for the request, in order.
    public var attempts: [AttemptRecord]
    /// Seconds a client should wait before trying again, when known.
    public var retryAfter: Double?

    public init(
        _ kind: Kind, _ message: String, param: String? = nil, failure: UpstreamFailure? = nil,
        attempts: [AttemptRecord] = [], retryAfter: Double? = nil
    ) {
        self.kind = kind
        self.message = message
        self.param = param
        self.failure = failure
        self.attempts = attempts
        self.retryAfter = retryAfter
    }

    public var httpStatus: Int {
        switch kind {
        case .invalidRequest, .unknownModel, .providerNotSupported: return 400
        case .noDeploymentAvailable: return 429
        case .upstream: return failure?.httpStatus ?? 500
        case .deadlineExceeded: return 408
        case .authentication: return 401
        case .requestTooLarge: return 413
        case .notFound: return 404
        case .methodNotAllowed: return 405
        case .configuration, .internalError: return 500
        }
    }

    /// OpenAI's error `type` (LiteLLM's names where it has its own).
    public var errorType: String {
        switch kind {
        case .noDeploymentAvailable: return "rate_limit_error"
        case .authentication: return "authentication_error"
        case .invalidRequest, .unknownModel, .providerNotSupported, .requestTooLarge, .notFound, .methodNotAllowed:
            return "invalid_request_error"
        default:
            switch httpStatus {
            case 401: return "authentication_error"
            case 403: return "permission_error"
            case 408: return "timeout_error"
            case 429: return "rate_limit_error"
            case 400..<500: return "invalid_request_error"
            default: return "internal_server_error"
            }
        }
    }

    /// OpenAI's `code`: the well-known code where there is one, else the status as a string
    /// (LiteLLM's habit, which clients have come to read).
    public var errorCode: String {
        switch (kind, failure?.kind) {
        case (.unknownModel, _): return "model_not_found"
        case (_, .contextWindowExceeded): return "context_length_exceeded"
        case (_, .contentPolicy): return "content_policy_violation"
        default: return String(httpStatus)
        }
    }

    /// `{"error":{"message","type","param","code"}}`.
    public var openAIBody: JSONValue {
        .object([
            "error": .object([
                "message": .string(message),
                "type": .string(errorType),
                "param": param.map(JSONValue.string) ?? .null,
                "code": .string(errorCode),
            ])
        ])
    }

    public var description: String { "\(kind.rawValue) (\(httpStatus)): \(message)" }
}
