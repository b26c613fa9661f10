/// Why one call to a provider failed, in the categories routing decisions are made on.
/// Every adapter and transport error is turned into one of these in one place
/// (`UpstreamFailureClassifier`), so the router never looks at raw statuses or messages.
public struct UpstreamFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// 429 or a provider's quota/overload signal that says "slow down".
        case rateLimited
        /// No answer in time (connect, first byte, idle gap, or total), or an upstream 408/504.
        case timeout
        /// 5xx (and 409): the provider's own fault.
        case server
        /// 401: the deployment's credentials are wrong.
        case authentication
        /// 403.
        case permissionDenied
        /// 404: unknown model or deployment on the provider.
        case notFound
        /// Any other 4xx: the request itself is wrong for this provider.
        case badRequest
        /// The prompt does not fit the model's context window.
        case contextWindowExceeded
        /// The provider's safety system refused the input or output.
        case contentPolicy
        /// Could not connect, the connection broke, or the answer could not be read.
        case connection
    }

    public var kind: Kind
    /// The upstream HTTP status, when there was one.
    public var status: Int?
    public var message: String
    /// Seconds the provider asked us to wait (Retry-After / retry-after-ms), when it said.
    public var retryAfter: Double?
    public var provider: String?
    /// The provider's rate-limit headers on the failed answer (`x-ratelimit-*` and the like), by
    /// lower-cased name: passed through to the client as they are on a success.
    public var rateLimitHeaders: [String: String] = [:]

    public init(_ kind: Kind, status: Int? = nil, message: String, retryAfter: Double? = nil, provider: String? = nil) {
        self.kind = kind
        self.status = status
        self.message = message
        self.retryAfter = retryAfter
        self.provider = provider
    }

    /// The status a client of the gateway sees for this failure (LiteLLM's mapping).
    public var httpStatus: Int {
        switch kind {
        case .rateLimited: return 429
        case .timeout: return 408
        case .server: return status.flatMap { $0 >= 500 ? $0 : nil } ?? 500
        case .authentication: return 401
        case .permissionDenied: return 403
        case .notFound: return 404
        case .badRequest: return status.flatMap { (400..<500).contains($0) ? $0 : nil } ?? 400
        case .contextWindowExceeded, .contentPolicy: return 400
        case .connection: return 500
        }
    }

    /// Retrying the same request elsewhere can help (LiteLLM's `should_retry`: 408, 409, 429, 5xx).
    /// Authentication and permission failures are retried only where another deployment holds
    /// other credentials; the planner decides that.
    public var isTransient: Bool {
        switch kind {
        case .rateLimited, .timeout, .server, .connection: return true
        case .authentication, .permissionDenied, .notFound, .badRequest, .contextWindowExceeded, .contentPolicy:
            return false
        }
    }

    /// LiteLLM's exception class names for this failure, most specific first: the keys of
    /// `retry_policy` (`…Retries`) and `allowed_fails_policy` (`…AllowedFails`).
    public var exceptionClassNames: [String] {
        switch kind {
        case .rateLimited: return ["RateLimitError"]
        case .timeout: return ["TimeoutError", "Timeout"]
        case .server:
            switch httpStatus {
            case 502: return ["BadGatewayError", "InternalServerError"]
            case 503: return ["ServiceUnavailableError", "InternalServerError"]
            default: return ["InternalServerError"]
            }
        case .authentication: return ["AuthenticationError"]
        case .permissionDenied: return ["PermissionDeniedError"]
        case .notFound: return ["NotFoundError"]
        case .badRequest: return ["BadRequestError"]
        case .contextWindowExceeded: return ["ContextWindowExceededError", "BadRequestError"]
        case .contentPolicy: return ["ContentPolicyViolationError", "BadRequestError"]
        case .connection: return ["APIConnectionError", "InternalServerError"]
        }
    }

    public var description: String {
        var text = "\(kind.rawValue)"
        if let status { text += " (\(status))" }
        return text + ": " + message
    }
}
