import SwitchyardCore

/// How the mock upstream should misbehave, written as `;`-separated tokens, e.g.
/// `fail_first=2;status=503`, `rate_limit;retry_after=3`, `latency_ms=200`, `die_after=3`, `hang`.
///
/// | token | effect |
/// |---|---|
/// | `status=N` | answer every request with HTTP N (an OpenAI error body) |
/// | `fail_first=N` | fail only the first N requests (status from `status=`, default 500), then answer |
/// | `rate_limit` | same as `status=429` |
/// | `retry_after=S` | add `Retry-After: S` to failures |
/// | `context_window` | 400 `context_length_exceeded` |
/// | `content_policy` | 400 `content_policy_violation` |
/// | `latency_ms=N` | wait N ms before the first byte |
/// | `chunk_delay_ms=N` | wait N ms between stream events |
/// | `die_after=N` | a stream breaks off after N content chunks (no `[DONE]`); a plain answer breaks off mid-body |
/// | `hang` | never answer |
/// | `malformed` | a 200 whose JSON (or first stream event) is broken |
/// | `key=NAME` | the counter `fail_first` counts in (default: the whole directive) |
public struct MockDirective: Sendable, Hashable {
    public var status: Int?
    public var failFirst: Int?
    public var retryAfter: Double?
    public var contextWindow = false
    public var contentPolicy = false
    public var latency: Double = 0
    public var chunkDelay: Double = 0
    public var dieAfter: Int?
    public var hang = false
    public var malformed = false
    public var key: String?

    public init() {}

    /// Parses a directive; unknown tokens are reported so a typo does not pass silently.
    public static func parse(_ text: String) -> (directive: MockDirective, unknown: [String]) {
        var directive = MockDirective()
        var unknown: [String] = []
        for rawToken in text.split(whereSeparator: { $0 == ";" || $0 == "," || $0 == "/" }) {
            let token = String(rawToken).trimmingSpaces
            guard !token.isEmpty else { continue }
            let parts = token.split(separator: "=", maxSplits: 1).map(String.init)
            let name = parts[0].lowercased().replacingDashes
            let value = parts.count > 1 ? parts[1] : nil
            switch (name, value) {
            case ("status", let v?) where Int(v) != nil: directive.status = Int(v)
            case ("fail_first", let v?) where Int(v) != nil: directive.failFirst = Int(v)
            case ("retry_after", let v?) where Double(v) != nil: directive.retryAfter = Double(v)
            case ("rate_limit", nil): directive.status = 429
            case ("context_window", nil): directive.contextWindow = true
            case ("content_policy", nil): directive.contentPolicy = true
            case ("latency_ms", let v?) where Double(v) != nil: directive.latency = (Double(v) ?? 0) / 1000
            case ("chunk_delay_ms", let v?) where Double(v) != nil: directive.chunkDelay = (Double(v) ?? 0) / 1000
            case ("die_after", let v?) where Int(v) != nil: directive.dieAfter = Int(v)
            case ("hang", nil): directive.hang = true
            case ("malformed", nil): directive.malformed = true
            case ("key", let v?): directive.key = v
            default: unknown.append(token)
            }
        }
        return (directive, unknown)
    }

    /// LiteLLM's magic `mock_response` strings, as directives.
    public static func fromLiteLLMMockResponse(_ text: String) -> MockDirective? {
        var directive = MockDirective()
        switch text {
        case "litellm.RateLimitError": directive.status = 429
        case "litellm.ContextWindowExceededError": directive.contextWindow = true
        case "litellm.InternalServerError": directive.status = 500
        case "litellm.Timeout": directive.hang = true
        case "Exception: content_filter_policy", "litellm.ContentPolicyViolationError": directive.contentPolicy = true
        default: return nil
        }
        return directive
    }

    /// True when the directive changes nothing.
    public var isEmpty: Bool { self == MockDirective() }
}

extension String {
    var replacingDashes: String { String(map { $0 == "-" ? "_" : $0 }) }
}
