import SwitchyardCore

/// LiteLLM's retry rules, in one place: how many retries a failure gets, whether it is worth
/// retrying at all, and how long to wait first.
enum RetryPolicy {
    static let initialDelay = 0.5
    static let maxDelay = 8.0
    static let maxJitter = 0.75
    /// A provider's Retry-After longer than this is not waited for (the request falls back instead).
    static let maxHonouredRetryAfter = 60.0

    /// The `retry_policy` count for this failure: the group's policy first, then the router's,
    /// each by the failure's exception classes, most specific first.
    static func policyRetries(for failure: UpstreamFailure, group: String, settings: RouterSettings) -> Int? {
        for policy in [settings.modelGroupRetryPolicy[group], settings.retryPolicy].compactMap({ $0 }) {
            for name in failure.exceptionClassNames {
                if let count = policy[name + "Retries"] { return count }
            }
        }
        return nil
    }

    /// The policy's `DefaultRetries`: the retry count for failure classes it does not name
    /// (it does not make a class retryable).
    static func defaultRetries(group: String, settings: RouterSettings) -> Int? {
        settings.modelGroupRetryPolicy[group]?["DefaultRetries"] ?? settings.retryPolicy["DefaultRetries"]
    }

    /// LiteLLM's `should_retry_this_error`, consulted when no policy entry names the failure.
    static func shouldRetry(
        _ failure: UpstreamFailure, groupSize: Int, healthyCount: Int, hasFallbacks: Bool,
        hasContextWindowFallbacks: Bool, hasContentPolicyFallbacks: Bool
    ) -> Bool {
        switch failure.kind {
        case .contextWindowExceeded, .contentPolicy, .badRequest, .notFound:
            return false
        case .authentication, .permissionDenied:
            return groupSize > 1 && healthyCount > 0
        case .rateLimited:
            if healthyCount == 0 && hasFallbacks { return false }
            return healthyCount > 0
        case .timeout, .server, .connection:
            return healthyCount > 0
        }
    }

    /// Seconds to wait before retry number `retry` (0-based) when no other deployment can take
    /// it at once: a Retry-After of at most 60 s, else 0.5·2ⁿ (at least `minimum`) capped at
    /// 8 s; plus up to 0.75 s of jitter.
    static func backoff(retry: Int, retryAfter: Double?, minimum: Double, jitter: Double) -> Double {
        if let retryAfter, retryAfter > 0, retryAfter <= maxHonouredRetryAfter {
            return max(retryAfter, minimum) + jitter
        }
        let exponential = initialDelay * Double(1 << min(retry, 16))
        return min(max(exponential, minimum), maxDelay) + jitter
    }
}
