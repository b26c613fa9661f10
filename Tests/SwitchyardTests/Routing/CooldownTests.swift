import SwitchyardCore
import Testing

@testable import Switchyard

@Suite("Cooldowns")
struct CooldownTests {
    @Test("which failures can cool a deployment down", arguments: [
        (failure(.rateLimited, 429), true), (failure(.authentication, 401), true), (failure(.notFound, 404), true),
        (failure(.server, 500), true), (failure(.server, 503), true), (failure(.timeout, 408), true),
        (failure(.connection), true), (failure(.badRequest, 402), true), (failure(.badRequest, 400), false),
        (failure(.permissionDenied, 403), false), (failure(.contextWindowExceeded, 400), false), (failure(.contentPolicy, 400), false),
    ])
    func qualifies(_ failure: UpstreamFailure, _ expected: Bool) {
        #expect(CooldownPolicy.qualifies(failure, callerSetTimeout: false) == expected)
    }

    @Test("a timeout the caller set does not cool the deployment down")
    func callerTimeout() {
        #expect(!CooldownPolicy.qualifies(failure(.timeout, 408), callerSetTimeout: true))
    }

    @Test("the default rate rule", arguments: [
        // failure, group size, requests in window, failures in window, cools down
        (failure(.rateLimited, 429), 2, 1, 1, true),
        (failure(.rateLimited, 429), 1, 1, 1, false),
        (failure(.server, 500), 2, 5, 3, true),
        (failure(.server, 500), 2, 4, 3, false),
        (failure(.server, 500), 2, 6, 3, false),
        (failure(.server, 500), 1, 10, 10, false),
        (failure(.server, 500), 1, 1000, 1000, true),
        (failure(.authentication, 401), 1, 1, 1, true),
        (failure(.notFound, 404), 3, 1, 1, true),
        (failure(.badRequest, 402), 1, 1, 1, false),
        (failure(.badRequest, 402), 2, 1, 1, true),
    ])
    func rateRule(_ failure: UpstreamFailure, groupSize: Int, requests: Int, failures: Int, expected: Bool) {
        #expect(CooldownPolicy.rateRuleCoolsDown(failure, groupSize: groupSize, requests: requests, failures: failures) == expected)
    }

    @Test("duration: the deployment's own, else Retry-After, else the router's")
    func duration() {
        let settings = RouterSettings()
        #expect(CooldownPolicy.duration(failure(.server, 500), deployment: deployment("g", "a"), settings: settings) == 5)
        #expect(CooldownPolicy.duration(failure(.rateLimited, 429, retryAfter: 12), deployment: deployment("g", "a"), settings: settings) == 12)
        #expect(CooldownPolicy.duration(failure(.rateLimited, 429, retryAfter: 12), deployment: deployment("g", "a", cooldownTime: 2), settings: settings) == 2)
    }

    @Test("counting mode switches on with allowed_fails other than 3, or a policy")
    func countingMode() {
        var settings = RouterSettings()
        #expect(!CooldownPolicy.usesCounting(deployment: deployment("g", "a"), settings: settings))
        settings.allowedFails = 3
        #expect(!CooldownPolicy.usesCounting(deployment: deployment("g", "a"), settings: settings), "an explicit 3 is LiteLLM's default")
        settings.allowedFails = 1
        #expect(CooldownPolicy.usesCounting(deployment: deployment("g", "a"), settings: settings))
        settings.allowedFails = nil
        settings.allowedFailsPolicy = ["RateLimitErrorAllowedFails": 10]
        #expect(CooldownPolicy.usesCounting(deployment: deployment("g", "a"), settings: settings))
        #expect(CooldownPolicy.allowedFails(failure(.rateLimited, 429), deployment: deployment("g", "a"), settings: settings) == (10, true))
        #expect(CooldownPolicy.allowedFails(failure(.server, 500), deployment: deployment("g", "a"), settings: settings) == (3, false))
    }

    func health(_ settings: RouterSettings, _ deployments: [Deployment], failures: [(String, UpstreamFailure, Double)], successes: [(String, Double)] = [], hasFallbacks: Bool = false) -> DeploymentHealth {
        let tracker = DeploymentHealth()
        let routed = Dictionary(uniqueKeysWithValues: deployments.map { ($0.id, RoutedDeployment($0, environment: [:])) })
        var events: [(Double, () -> Void)] = []
        for (id, now) in successes { events.append((now, { tracker.recordSuccess(id, now: now, seconds: 0.1, completionTokens: nil) })) }
        for (id, failure, now) in failures {
            events.append((now, {
                if let deployment = routed[id] {
                    tracker.recordFailure(failure, deployment: deployment, groupSize: deployments.count, hasFallbacks: hasFallbacks, callerSetTimeout: false, settings: settings, now: now)
                }
            }))
        }
        for (_, event) in events.sorted(by: { $0.0 < $1.0 }) { event() }
        return tracker
    }

    @Test("a 429 in a group with alternatives cools down at once, for the Retry-After")
    func rateLimitCoolsAtOnce() {
        let pair = [deployment("g", "a"), deployment("g", "b")]
        let tracker = health(RouterSettings(), pair, failures: [("a", failure(.rateLimited, 429, retryAfter: 9), 100)])
        #expect(tracker.cooldownRemaining("a", now: 101) == 8)
        #expect(tracker.cooldownRemaining("a", now: 109.5) == nil, "the cooldown ends by itself")
        #expect(tracker.cooldownRemaining("b", now: 101) == nil)
    }

    @Test("a lone deployment is spared for 429s and 5xx, but not for 401")
    func loneDeploymentSpared() {
        let lone = [deployment("g", "a")]
        let limited = health(RouterSettings(), lone, failures: (0..<10).map { ("a", failure(.rateLimited, 429), Double($0)) })
        #expect(limited.cooldownRemaining("a", now: 10) == nil)
        let unauthorized = health(RouterSettings(), lone, failures: [("a", failure(.authentication, 401), 0)])
        #expect(unauthorized.cooldownRemaining("a", now: 1) != nil)
    }

    @Test("more than half of at least 5 recent requests failing cools down")
    func failureRate() {
        let pair = [deployment("g", "a"), deployment("g", "b")]
        let below = health(RouterSettings(), pair, failures: [("a", failure(.server, 500), 1), ("a", failure(.server, 500), 2)], successes: [("a", 0), ("a", 0.5), ("a", 0.7)])
        #expect(below.cooldownRemaining("a", now: 3) == nil, "2 of 5 failed")
        let above = health(RouterSettings(), pair, failures: [("a", failure(.server, 500), 1), ("a", failure(.server, 500), 2), ("a", failure(.server, 500), 3)], successes: [("a", 0), ("a", 0.5)])
        #expect(above.cooldownRemaining("a", now: 3.5) != nil, "3 of 5 failed")
        let stale = health(RouterSettings(), pair, failures: [("a", failure(.server, 500), 1), ("a", failure(.server, 500), 2), ("a", failure(.server, 500), 63)], successes: [("a", 0), ("a", 0.5)])
        #expect(stale.cooldownRemaining("a", now: 63.5) == nil, "the window is one minute")
    }

    @Test("counting mode cools down once failures exceed allowed_fails")
    func counting() {
        var settings = RouterSettings()
        settings.allowedFails = 2
        let pair = [deployment("g", "a"), deployment("g", "b")]
        let two = health(settings, pair, failures: [("a", failure(.server, 500), 0), ("a", failure(.server, 500), 1)])
        #expect(two.cooldownRemaining("a", now: 1.5) == nil)
        let three = health(settings, pair, failures: [("a", failure(.server, 500), 0), ("a", failure(.server, 500), 1), ("a", failure(.server, 500), 2)])
        #expect(three.cooldownRemaining("a", now: 2.5) != nil)
        let lone = health(settings, [deployment("g", "a")], failures: (0..<5).map { ("a", failure(.server, 500), Double($0)) })
        #expect(lone.cooldownRemaining("a", now: 5) == nil, "a lone deployment without fallbacks is spared")
        let loneWithFallback = health(settings, [deployment("g", "a")], failures: (0..<5).map { ("a", failure(.server, 500), Double($0)) }, hasFallbacks: true)
        #expect(loneWithFallback.cooldownRemaining("a", now: 5) != nil)
    }

    @Test("failing again during a cooldown does not extend it; disable_cooldowns turns them off")
    func noExtensionAndDisable() {
        let pair = [deployment("g", "a"), deployment("g", "b")]
        let tracker = health(RouterSettings(), pair, failures: [("a", failure(.rateLimited, 429), 0), ("a", failure(.rateLimited, 429), 4)])
        #expect(tracker.cooldownRemaining("a", now: 4.5) == 0.5)
        var settings = RouterSettings()
        settings.disableCooldowns = true
        let disabled = health(settings, pair, failures: [("a", failure(.rateLimited, 429), 0)])
        #expect(disabled.cooldownRemaining("a", now: 0.1) == nil)
    }
}
