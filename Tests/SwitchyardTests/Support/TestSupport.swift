@_exported import SwitchyardTestSupport
@testable import Switchyard
import SwitchyardCore
import SwitchyardProviders
import Synchronization

/// The tests' seeded random source.
typealias SeededRandom = SplitMix64

extension SplitMix64 {
    init(_ seed: UInt64) { self.init(seed: seed) }
}

/// Health values for planner tests, set by the test (and by `simulate` when asked to cool).
final class FakeHealth: DeploymentHealthView {
    var cooling: [String: Double]
    var busy: [String: Int]
    var latency: [String: Double]
    init(cooling: [String: Double] = [:], busy: [String: Int] = [:], latency: [String: Double] = [:]) {
        self.cooling = cooling
        self.busy = busy
        self.latency = latency
    }
    func cooldownRemaining(_ id: String, now: Double) -> Double? { cooling[id] }
    func inFlight(_ id: String) -> Int { busy[id] ?? 0 }
    func latencyScore(_ id: String, streaming: Bool) -> Double? { latency[id] }
}

/// A deployment on the in-process mock whose id is its name.
func deployment(
    _ group: String, _ name: String, order: Int? = nil, weight: Double? = nil, rpm: Int? = nil, tpm: Int? = nil,
    numRetries: Int? = nil, timeout: Double? = nil, streamTimeout: Double? = nil, cooldownTime: Double? = nil,
    model: String? = nil
) -> Deployment {
    Deployment(
        modelName: group,
        params: .init(
            model: model ?? "mock/\(name)", rpm: rpm, tpm: tpm, weight: weight, order: order, timeout: timeout,
            streamTimeout: streamTimeout, numRetries: numRetries, cooldownTime: cooldownTime),
        modelInfo: .init(id: name))
}

func failure(_ kind: UpstreamFailure.Kind, _ status: Int? = nil, retryAfter: Double? = nil) -> UpstreamFailure {
    UpstreamFailure(kind, status: status, message: "\(kind.rawValue) \(status ?? 0)", retryAfter: retryAfter)
}

/// One step the planner asked for.
enum Step: Equatable, CustomStringConvertible {
    case send(String)
    case wait(Double)
    var description: String {
        switch self {
        case .send(let id): return "send \(id)"
        case .wait(let seconds): return "wait \(seconds)"
        }
    }
}

/// Drives an `AttemptPlanner` the way the router does, answering each send from `outcomes`
/// (per deployment id, consumed in order, the last one repeating; nil = success). Returns the
/// steps and the final error (nil when an attempt succeeded).
func simulate(
    _ list: [Deployment], _ settings: RouterSettings = RouterSettings(), model: String,
    options: RequestOptions = RequestOptions(), streaming: Bool = false, health: FakeHealth = FakeHealth(),
    outcomes: [String: [UpstreamFailure?]], seed: UInt64 = 1, coolOn: Set<UpstreamFailure.Kind> = [], maxSteps: Int = 100
) -> (steps: [Step], error: GatewayError?, planner: AttemptPlanner) {
    let table = ModelTable(list, aliases: settings.modelGroupAlias, environment: [:])
    var planner = AttemptPlanner(model: model, table: table, settings: settings, options: options, streaming: streaming, startedAt: 0)
    var random = SeededRandom(seed)
    var steps: [Step] = []
    var calls: [String: Int] = [:]
    var now = 0.0
    for _ in 0..<maxSteps {
        switch planner.next(now: now, health: health, random: &random) {
        case .fail(let error):
            return (steps, error, planner)
        case .wait(let seconds):
            steps.append(.wait(seconds))
            now += seconds
        case .send(let attempt):
            let id = attempt.deployment.id
            steps.append(.send(id))
            let script = outcomes[id] ?? [nil]
            let index = min(calls[id, default: 0], script.count - 1)
            calls[id, default: 0] += 1
            now += 0.01
            if let failure = script[index] {
                if coolOn.contains(failure.kind) { health.cooling[id] = 5 }
                planner.recordFailure(failure, deployment: attempt.deployment, duration: 0.01, now: now, health: health, random: &random)
            } else {
                planner.recordSuccess(deployment: attempt.deployment, duration: 0.01)
                return (steps, nil, planner)
            }
        }
    }
    return (steps, nil, planner)
}

/// The ids of the sends, in order.
func sends(_ steps: [Step]) -> [String] {
    steps.compactMap { if case .send(let id) = $0 { return id } else { return nil } }
}

/// The waits, in order.
func waits(_ steps: [Step]) -> [Double] {
    steps.compactMap { if case .wait(let seconds) = $0 { return seconds } else { return nil } }
}
