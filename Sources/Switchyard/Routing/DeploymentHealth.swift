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

    struct State {
        var cooldowns: [String: Cooldown] = [:]
        var windows: [String: Window] = [:]
        var failCounters: [String: (count: Int, expires: Double)] = [:]
        var inFlight: [String: Int] = [:]
        var latencies: [String: [Double]] = [:]
        var firstTokenLatencies: [String: [Double]] = [:]
    }

    static let window = 60.0
    static let latencySamples = 10
    private let state = Mutex(State())

    init() {}

    // MARK: DeploymentHealthView

    func cooldownRemaining(_ id: String, now: Double) -> Double? {
        state.withLock { state in
            guard let cooldown = state.cooldowns[id] else { return nil }
            if cooldown.until <= now {
                state.cooldowns[id] = nil
                return nil
            }
            return cooldown.until - now
        }
    }

    func inFlight(_ id: String) -> Int { state.withLock { $0.inFlight[id] ?? 0 } }

    func latencyScore(_ id: String, streaming: Bool) -> Double? {
        state.withLock { state in
            let samples = (streaming ? state.firstTokenLatencies[id] : nil) ?? state.latencies[id]
            guard let samples, !samples.isEmpty else { return nil }
            return samples.reduce(0, +) / Double(samples.count)
        }
    }

    // MARK: recording

    // Plain get and set rather than `+= 1` through a subscript: a dictionary's modify accessor
    // allocated its coroutine frame on every request here.
    func begin(_ id: String) { state.withLock { $0.inFlight[id] = ($0.inFlight[id] ?? 0) + 1 } }

    func end(_ id: String) {
        state.withLock { state in
            let count = (state.inFlight[id] ?? 1) - 1
            state.inFlight[id] = count > 0 ? count : nil
        }
    }

    /// A success: counts in the window and, with usage, adds a latency-per-token sample.
    func recordSuccess(_ id: String, now: Double, seconds: Double, completionTokens: Int?, timeToFirstToken: Double? = nil) {
        state.withLock { state in
            var window = Self.rolled(state.windows[id], now: now)
            window.successes += 1
            state.windows[id] = window
            let sample = completionTokens.map { $0 > 0 ? seconds / Double($0) : seconds } ?? seconds
            Self.append(&state.latencies, id, sample)
            if let timeToFirstToken { Self.append(&state.firstTokenLatencies, id, timeToFirstToken) }
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
            var window = Self.rolled(state.windows[id], now: now)
            window.failures += 1
            state.windows[id] = window
            if failure.kind == .timeout && !callerSetTimeout {
                Self.append(&state.latencies, id, 1000)  // LiteLLM's timeout penalty sample
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
                let window = state.windows[id] ?? Window(start: now)
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

    private static func append(_ samples: inout [String: [Double]], _ id: String, _ value: Double) {
        // The list is taken out of the dictionary so that it is the only reference and grows in
        // place (a copy held while the dictionary still has it made every append allocate).
        var list = samples.removeValue(forKey: id) ?? []
        if list.count >= latencySamples { list.removeFirst(list.count - latencySamples + 1) }
        list.append(value)
        samples[id] = list
    }
}
