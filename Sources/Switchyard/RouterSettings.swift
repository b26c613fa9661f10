import SwitchyardCore

/// How the router balances, retries, falls back and cools down: LiteLLM's `router_settings`,
/// with LiteLLM's defaults.
public struct RouterSettings: Sendable, Hashable {
    public var routingStrategy: RoutingStrategy = .simpleShuffle
    /// Retries inside a group after the first attempt (LiteLLM default 2).
    public var numRetries: Int = 2
    /// Minimum seconds to wait before a retry that has to wait (LiteLLM's `retry_after`).
    public var retryAfter: Double = 0
    /// Retries per failure class, e.g. `["RateLimitErrorRetries": 3, "BadRequestErrorRetries": 0]`;
    /// an entry overrides whether that class is retried at all.
    public var retryPolicy: [String: Int] = [:]
    /// `retryPolicy` per group, taking precedence over it.
    public var modelGroupRetryPolicy: [String: [String: Int]] = [:]
    /// Group → groups to try, in order, when it fails. The key `*` applies to every group.
    public var fallbacks: [String: [String]] = [:]
    /// Used instead of `fallbacks` when the prompt did not fit the context window.
    public var contextWindowFallbacks: [String: [String]] = [:]
    /// Used instead of `fallbacks` when the provider refused on content policy.
    public var contentPolicyFallbacks: [String: [String]] = [:]
    /// Fallbacks for every group without its own entry (LiteLLM's `default_fallbacks`), and
    /// the group used for an unknown model name.
    public var defaultFallbacks: [String] = []
    /// How many fallback groups one request may walk (LiteLLM default 5).
    public var maxFallbacks: Int = 5
    /// Seconds for a non-streamed attempt when neither request nor deployment says (LiteLLM's
    /// `request_timeout` default is 6000).
    public var timeout: Double = 6000
    /// Seconds to first byte and between chunks of a stream; nil uses `timeout`.
    public var streamTimeout: Double?
    /// Seconds for a whole request across every attempt and wait, stream included; nil is none.
    public var totalTimeout: Double?
    /// Failures tolerated before a cooldown. nil keeps LiteLLM's default rate rule (`allowed_fails`
    /// unset or 3): immediate on 429 in a group with alternatives and on 401/404, else once more
    /// than half of at least 5 requests in the last minute failed.
    public var allowedFails: Int?
    /// Failures tolerated per failure class (`RateLimitErrorAllowedFails: 100`, …).
    public var allowedFailsPolicy: [String: Int] = [:]
    /// Seconds a cooled-down deployment rests (LiteLLM default 5).
    public var cooldownTime: Double = 5
    public var disableCooldowns: Bool = false
    /// Public name → group, e.g. `["gpt-4": "gpt-4o"]`.
    public var modelGroupAlias: [String: String] = [:]
    /// Largest non-streamed upstream answer read, in bytes. (A stream is not capped as a whole;
    /// one of its events may be at most 16 MB, the SSE parser's limit.)
    public var maxResponseBytes: Int = 64 << 20

    public init() {}
}

/// How a deployment is chosen among the healthy ones of a group.
public enum RoutingStrategy: String, Sendable, Hashable, CaseIterable {
    /// Weighted random by `weight`, else `rpm`, else `tpm`, else uniform (LiteLLM's default).
    case simpleShuffle = "simple-shuffle"
    /// Fewest requests in flight.
    case leastBusy = "least-busy"
    /// Lowest recent latency per output token (time to first token for streams).
    case latencyBased = "latency-based-routing"
}

/// Per-request routing overrides: what LiteLLM reads from the body (`num_retries`, `timeout`,
/// `fallbacks`, …) and the `x-litellm-*` headers.
public struct RequestOptions: Sendable, Hashable {
    public var numRetries: Int?
    /// Seconds for a non-streamed attempt.
    public var timeout: Double?
    /// Seconds to first byte and between chunks of a stream.
    public var streamTimeout: Double?
    /// Seconds for the whole request, every attempt included.
    public var totalTimeout: Double?
    /// Replaces the configured fallbacks of the requested group.
    public var fallbacks: [String]?
    public var contextWindowFallbacks: [String]?
    public var contentPolicyFallbacks: [String]?
    public var disableFallbacks: Bool = false
    /// LiteLLM's `mock_testing_fallbacks`: the first group fails as if its provider returned 500.
    public var mockTestingFallbacks: Bool = false

    public init(
        numRetries: Int? = nil, timeout: Double? = nil, streamTimeout: Double? = nil, totalTimeout: Double? = nil,
        fallbacks: [String]? = nil, disableFallbacks: Bool = false
    ) {
        self.numRetries = numRetries
        self.timeout = timeout
        self.streamTimeout = streamTimeout
        self.totalTimeout = totalTimeout
        self.fallbacks = fallbacks
        self.disableFallbacks = disableFallbacks
    }

    /// These options with LiteLLM's body members (`num_retries`, `timeout`, `stream_timeout`,
    /// `fallbacks`, `disable_fallbacks`, `mock_testing_fallbacks`) filled in where not already set.
    public func merging(body extra: [String: JSONValue]) -> RequestOptions {
        guard !extra.isEmpty else { return self }
        var options = self
        if options.numRetries == nil { options.numRetries = extra["num_retries"]?.intValue }
        if options.timeout == nil { options.timeout = (extra["timeout"] ?? extra["request_timeout"])?.doubleValue }
        if options.streamTimeout == nil { options.streamTimeout = extra["stream_timeout"]?.doubleValue }
        if options.fallbacks == nil { options.fallbacks = Self.groupNames(extra["fallbacks"]) }
        if options.contextWindowFallbacks == nil { options.contextWindowFallbacks = Self.groupNames(extra["context_window_fallbacks"]) }
        if options.contentPolicyFallbacks == nil { options.contentPolicyFallbacks = Self.groupNames(extra["content_policy_fallbacks"]) }
        if extra["disable_fallbacks"]?.boolValue == true { options.disableFallbacks = true }
        if extra["mock_testing_fallbacks"]?.boolValue == true { options.mockTestingFallbacks = true }
        return options
    }

    /// `["a", {"model": "b"}]` → `["a", "b"]`.
    static func groupNames(_ value: JSONValue?) -> [String]? {
        guard let items = value?.arrayValue else { return nil }
        return items.compactMap { $0.stringValue ?? $0["model"]?.stringValue }
    }
}
