import Testing

@testable import Switchyard

@Suite("Deployment selection")
struct SelectionTests {
    func routed(_ list: [Deployment]) -> [RoutedDeployment] {
        list.map { RoutedDeployment($0, environment: [:]) }
    }

    func share(_ list: [Deployment], strategy: RoutingStrategy = .simpleShuffle, picks: Int = 20_000) -> [String: Double] {
        let candidates = routed(list)
        var random = SeededRandom(42)
        var counts: [String: Int] = [:]
        for _ in 0..<picks {
            counts[DeploymentSelection.select(candidates, strategy: strategy, health: FakeHealth(), streaming: false, random: &random).id, default: 0] += 1
        }
        return counts.mapValues { Double($0) / Double(picks) }
    }

    @Test("simple-shuffle weighs by weight")
    func byWeight() {
        let shares = share([deployment("g", "a", weight: 9, rpm: 1), deployment("g", "b", weight: 1, rpm: 1000)])
        #expect(abs((shares["a"] ?? 0) - 0.9) < 0.02)
    }

    @Test("without weights, by rpm; without rpm, by tpm")
    func byRPMThenTPM() {
        let byRPM = share([deployment("g", "a", rpm: 300, tpm: 1), deployment("g", "b", rpm: 100, tpm: 1000)])
        #expect(abs((byRPM["a"] ?? 0) - 0.75) < 0.02)
        let byTPM = share([deployment("g", "a", tpm: 1000), deployment("g", "b", tpm: 3000)])
        #expect(abs((byTPM["b"] ?? 0) - 0.75) < 0.02)
    }

    @Test("with no hint at all, uniform")
    func uniform() {
        let shares = share([deployment("g", "a"), deployment("g", "b"), deployment("g", "c"), deployment("g", "d")])
        for id in ["a", "b", "c", "d"] { #expect(abs((shares[id] ?? 0) - 0.25) < 0.02) }
    }

    @Test("a deployment with weight 0 next to weighted ones is never picked")
    func zeroWeight() {
        let shares = share([deployment("g", "a", weight: 0), deployment("g", "b", weight: 2)])
        #expect(shares["a"] == nil)
    }

    @Test("finite weights whose sum overflows to infinity keep their proportions instead of trapping")
    func overflowingWeights() {
        let big = Double.greatestFiniteMagnitude
        let shares = share([deployment("g", "a", weight: big), deployment("g", "b", weight: big / 3)])
        #expect(abs((shares["a"] ?? 0) - 0.75) < 0.02, "\(shares)")
    }

    @Test("an infinite weight (never accepted by the router) makes the draw uniform rather than trap")
    func infiniteWeight() {
        let shares = share([deployment("g", "a", weight: .infinity), deployment("g", "b", weight: 1)])
        #expect(abs((shares["a"] ?? 0) - 0.5) < 0.02, "\(shares)")
    }

    @Test("least-busy picks the fewest in flight, ties to the first listed")
    func leastBusy() {
        let candidates = routed([deployment("g", "a"), deployment("g", "b"), deployment("g", "c")])
        var random = SeededRandom(1)
        let picked = DeploymentSelection.select(candidates, strategy: .leastBusy, health: FakeHealth(busy: ["a": 3, "b": 1, "c": 1]), streaming: false, random: &random)
        #expect(picked.id == "b")
    }

    @Test("latency-based picks the fastest, and tries an unmeasured deployment first")
    func latencyBased() {
        let candidates = routed([deployment("g", "a"), deployment("g", "b"), deployment("g", "c")])
        var random = SeededRandom(1)
        let fastest = DeploymentSelection.select(candidates, strategy: .latencyBased, health: FakeHealth(latency: ["a": 0.2, "b": 0.05, "c": 0.3]), streaming: false, random: &random)
        #expect(fastest.id == "b")
        let fresh = DeploymentSelection.select(candidates, strategy: .latencyBased, health: FakeHealth(latency: ["a": 0.2, "b": 0.05]), streaming: false, random: &random)
        #expect(fresh.id == "c")
    }
}
