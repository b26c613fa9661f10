import Synchronization
import SwitchyardCore

/// Live, in-memory health of every deployment: cooldowns, the last minute's successes and
/// failures, `allowed_fails` counters, requests in flight and recent latencies. Shared by all
/// requests of one router; every access is one short critical section.
final class DeploymentHealth: DeploymentHealthView, Sendable {
    struct Cooldown {
        var until: Double
        var failure: UpstreamFailure
    }

    struct Window {
        var start: Double
        var successes = 0
        var failures = 0
    }

    /// What changes on every request, per deployment, kept together so that a request finds it
    /// with one hash of the deployment's id.
    struct Live {
        var inFlight = 0
        var window: Window?
        var latencies: [Double] = []
        var firstTokenLatencies: [Double] = []
    }

    struct State {
        var cooldowns: [String: Cooldown] = [:]
        var failCounters: [String: (count: Int, expires: Double)] = [:]
        /// Each deployment's place in `live`, given when it is first seen (deployments are few
        /// and fixed by the configuration).
        var slots: [String: Int] = [:]
        var live: [Live] = []

        mutating func slot(_ id: String) -> Int {
            if let slot = slots[id] { return slot }
            live.append(Live())
            slots[id] = live.count - 1
            return live.count - 1
        }

        func live(_ id: String) -> Live? { slots[id].map { live[$0] } }
    }

    static let window = 60.0
    static let latencySamples = 10
    private let state = Mutex(State())

    init() {}

    // MARK: DeploymentHealthView

    func cooldownRemaining(_ id: String, now: Double) -> Double? {
        state.withLock { state in
            guard !state.cooldowns.isEmpty, let cooldown = state.cooldowns[id] else { return nil }
            if cooldown.until <= now {
                state.cooldowns[id] = nil
                return nil
            }
            return cooldown.until - now
        }
    }

    func inFlight(_ id: String) -> Int { state.withLock { $0.live(id)?.inFlight ?? 0 } }

    func latencyScore(_ id: String, streaming: Bool) -> Double? {
        state.withLock { state in
            guard let live = state.live(id) else { return nil }
            let samples = streaming && !live.firstTokenLatencies.isEmpty ? live.firstTokenLatencies : live.latencies
            guard !samples.isEmpty else { return nil }
            return samples.reduce(0, +) / Double(samples.count)
        }
    }

    // MARK: recording

    func begin(_ id: String) {
        state.withLock { state in
            let slot = state.slot(id)
            state.live[slot].inFlight += 1
        }
    }

    func end(_ id: String) {
        state.withLock { state in
            let slot = state.slot(id)
            state.live[slot].inFlight = max(0, state.live[slot].inFlight - 1)
        }
    }

    /// A success: ends the attempt begun with `begin`, counts in the window and, with usage,
    /// adds a latency-per-token sample. One critical section for all of it.
    func recordSuccess(_ id: String, now: Double, seconds: Double, completionTokens: Int?, timeToFirstToken: Double? = nil, ending: Bool = false) {
        state.withLock { state in
            let slot = state.slot(id)
            if ending { state.live[slot].inFlight = max(0, state.live[slot].inFlight - 1) }
            var window = Self.rolled(state.live[slot].window, now: now)
            window.successes += 1
            state.live[slot].window = window
            let sample = completionTokens.map { $0 > 0 ? seconds / Double($0) : seconds } ?? seconds
            Self.append(&state.live[slot].latencies, sample)
            if let timeToFirstToken { Self.append(&state.live[slot].firstTokenLatencies, timeToFirstToken) }
        }
    }

    /// A failure: counts it and applies the cooldown rules. Returns the cooldown started, in seconds.
    @discardableResult
    func recordFailure(
        _ failure: UpstreamFailure, deployment: RoutedDeployment, groupSize: Int, hasFallbacks: Bool,
        callerSetTimeout: Bool, settings: RouterSettings, now: Double
    ) -> Double? {
        let id = deployment.id
        let config = deployment.deployment
        return state.withLock { state -> Double? in
            let slot = state.slot(id)
            var window = Self.rolled(state.live[slot].window, now: now)
            window.failures += 1
            state.live[slot].window = window
            if failure.kind == .timeout && !callerSetTimeout {
                Self.append(&state.live[slot].latencies, 1000)  // LiteLLM's timeout penalty sample
            }
            guard !settings.disableCooldowns, CooldownPolicy.qualifies(failure, callerSetTimeout: callerSetTimeout) else { return nil }
            let duration = CooldownPolicy.duration(failure, deployment: config, settings: settings)
            guard duration > 0 else { return nil }
            if let existing = state.cooldowns[id], existing.until > now { return nil }  // re-failing does not extend it
            let coolsDown: Bool
            if CooldownPolicy.usesCounting(deployment: config, settings: settings) {
                let (allowed, explicit) = CooldownPolicy.allowedFails(failure, deployment: config, settings: settings)
                let key = id + ":" + (failure.exceptionClassNames.first ?? "")
                var counter = state.failCounters[key] ?? (0, now + duration)
                if counter.expires <= now { counter = (0, now + duration) }
                counter.count += 1
                state.failCounters[key] = counter
                coolsDown = CooldownPolicy.countingRuleCoolsDown(
                    failure, count: counter.count, allowed: allowed, explicitPolicy: explicit, groupSize: groupSize,
                    hasFallbacks: hasFallbacks)
            } else {
                let window = state.live[slot].window ?? Window(start: now)
                coolsDown = CooldownPolicy.rateRuleCoolsDown(
                    failure, groupSize: groupSize, requests: window.successes + window.failures, failures: window.failures)
            }
            guard coolsDown else { return nil }
            state.cooldowns[id] = Cooldown(until: now + duration, failure: failure)
            return duration
        }
    }

    /// Deployments cooling down now, with seconds left (for health endpoints).
    func cooldowns(now: Double) -> [String: Double] {
        state.withLock { state in
            state.cooldowns.filter { $0.value.until > now }.mapValues { $0.until - now }
        }
    }

    /// The deployment's window, or a new one if it has none or its minute is over.
    private static func rolled(_ window: Window?, now: Double) -> Window {
        if let window, now - window.start < Self.window { return window }
        return Window(start: now)
    }

    private static func append(_ samples: inout [Double], _ value: Double) {
        if samples.count >= latencySamples { samples.removeFirst(samples.count - latencySamples + 1) }
        samples.append(value)
    }
}
