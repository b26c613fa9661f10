import SwitchyardCore

/// LiteLLM's cooldown rules as pure functions: whether a failure takes a deployment out of
/// rotation, and for how long.
enum CooldownPolicy {
    /// Requests in the window needed before the failure-rate rule applies.
    static let minimumRequestsForRate = 5
    static let failureRateThreshold = 0.5
    /// With this many requests all failing, even a group's only deployment cools down.
    static let allFailingRequests = 1000

    /// Whether this kind of failure can cool a deployment down at all. 4xx only for 401, 402,
    /// 404, 408 and 429; every 5xx; timeouts the caller did not set; and connection failures
    /// (a deliberate difference from LiteLLM, which never cools on them: a dead host is the
    /// outage a gateway most needs to route around).
    static func qualifies(_ failure: UpstreamFailure, callerSetTimeout: Bool) -> Bool {
        switch failure.kind {
        case .rateLimited, .authentication, .notFound, .server, .connection: return true
        case .timeout: return !callerSetTimeout
        case .badRequest: return failure.status == 402
        case .permissionDenied, .contextWindowExceeded, .contentPolicy: return false
        }
    }

    /// Failures that cool down at once (no alternative key will make them pass).
    static func isNonRetryableStatus(_ failure: UpstreamFailure) -> Bool {
        failure.kind == .authentication || failure.kind == .notFound || failure.status == 402
    }

    /// Cooldown length: the deployment's own, else the provider's Retry-After, else the router's.
    static func duration(_ failure: UpstreamFailure, deployment: Deployment, settings: RouterSettings) -> Double {
        deployment.params.cooldownTime ?? deployment.modelInfo.cooldownTime ?? failure.retryAfter ?? settings.cooldownTime
    }

    /// Counting mode (cool after N failures) applies when `allowed_fails` is set to something
    /// other than LiteLLM's default 3, or a policy is set, on the router or the deployment.
    static func usesCounting(deployment: Deployment, settings: RouterSettings) -> Bool {
        deployment.modelInfo.allowedFails != nil || !settings.allowedFailsPolicy.isEmpty
            || (settings.allowedFails.map { $0 != 3 } ?? false)
    }

    /// Failures tolerated for this failure's class in counting mode.
    static func allowedFails(_ failure: UpstreamFailure, deployment: Deployment, settings: RouterSettings) -> (count: Int, explicitPolicy: Bool) {
        for name in failure.exceptionClassNames {
            if let count = settings.allowedFailsPolicy[name + "AllowedFails"] { return (count, true) }
        }
        return (deployment.modelInfo.allowedFails ?? settings.allowedFails ?? 3, false)
    }

    /// The default rate rule (LiteLLM's "v2"), given this deployment's requests and failures in
    /// the last minute, this failure included.
    static func rateRuleCoolsDown(_ failure: UpstreamFailure, groupSize: Int, requests: Int, failures: Int) -> Bool {
        if failure.kind == .rateLimited && groupSize > 1 { return true }
        if requests >= allFailingRequests && failures == requests { return true }
        if isNonRetryableStatus(failure) { return !(failure.status == 402 && groupSize == 1) }
        if groupSize > 1 && requests >= minimumRequestsForRate && Double(failures) / Double(requests) > failureRateThreshold {
            return true
        }
        return false
    }

    /// Counting mode: cool down once failures exceed what is allowed. A group's only deployment
    /// is spared unless it has a fallback or an explicit per-class policy, except on 401/404.
    static func countingRuleCoolsDown(
        _ failure: UpstreamFailure, count: Int, allowed: Int, explicitPolicy: Bool, groupSize: Int, hasFallbacks: Bool
    ) -> Bool {
        if groupSize == 1 && !hasFallbacks && !explicitPolicy && !isNonRetryableStatus(failure) { return false }
        return count > allowed
    }
}
