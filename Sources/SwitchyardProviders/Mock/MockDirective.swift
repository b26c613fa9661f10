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
            // Keep empty pieces, so a token such as "=" or "key=" is reported as unknown
            // instead of indexing an empty array.
            let parts = token.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let name = (parts.first ?? "").lowercased().replacingDashes
            let value = parts.count > 1 && !parts[1].isEmpty ? parts[1] : nil
            if parts.count > 1 && value == nil {
                unknown.append(token)
                continue
            }
            switch (name, value) {
            case ("status", let v?) where Int(v).map({ (100...599).contains($0) }) == true: directive.status = Int(v)
            case ("fail_first", let v?) where count(v) != nil: directive.failFirst = count(v)
            case ("retry_after", let v?) where seconds(v) != nil: directive.retryAfter = seconds(v)
            case ("rate_limit", nil): directive.status = 429
            case ("context_window", nil): directive.contextWindow = true
            case ("content_policy", nil): directive.contentPolicy = true
            case ("latency_ms", let v?) where seconds(v) != nil: directive.latency = (seconds(v) ?? 0) / 1000
            case ("chunk_delay_ms", let v?) where seconds(v) != nil: directive.chunkDelay = (seconds(v) ?? 0) / 1000
            case ("die_after", let v?) where count(v) != nil: directive.dieAfter = count(v)
            case ("hang", nil): directive.hang = true
            case ("malformed", nil): directive.malformed = true
            case ("key", let v?): directive.key = v
            default: unknown.append(token)
            }
        }
        return (directive, unknown)
    }

    /// A non-negative integer up to a billion, or nil (`die_after=Int.max` would overflow a count).
    static func count(_ text: String) -> Int? { Int(text).flatMap { (0...1_000_000_000).contains($0) ? $0 : nil } }

    /// A non-negative, finite number no larger than 86,400,000 (a day in milliseconds), or nil:
    /// `inf`, `nan` or a huge value would otherwise trap when turned into a `Retry-After` header.
    static func seconds(_ text: String) -> Double? {
        Double(text).flatMap { $0.isFinite && $0 >= 0 && $0 <= 86_400_000 ? $0 : nil }
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
