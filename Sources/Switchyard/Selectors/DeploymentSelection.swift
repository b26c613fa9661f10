/// Picks one deployment among the healthy candidates of a group, by the router's strategy.
enum DeploymentSelection {
    static func select(
        _ candidates: [RoutedDeployment], strategy: RoutingStrategy, health: some DeploymentHealthView, streaming: Bool,
        random: inout some RandomNumberGenerator
    ) -> RoutedDeployment {
        guard candidates.count > 1 else { return candidates[0] }
        switch strategy {
        case .simpleShuffle:
            return SimpleShuffle.select(candidates, random: &random)
        case .leastBusy:
            return LeastBusy.select(candidates, health: health)
        case .latencyBased:
            return LatencyBased.select(candidates, health: health, streaming: streaming, random: &random)
        }
    }
}

/// LiteLLM's default: weighted random by `weight`, else `rpm`, else `tpm` (the first of these
/// that some candidate sets), else uniform.
enum SimpleShuffle {
    static func weights(_ candidates: [RoutedDeployment]) -> [Double]? {
        let vectors: [[Double]] = [
            candidates.map { $0.deployment.params.weight ?? 0 },
            candidates.map { Double($0.deployment.params.rpm ?? 0) },
            candidates.map { Double($0.deployment.params.tpm ?? 0) },
        ]
        return vectors.first { ($0.max() ?? 0) > 0 }
    }

    static func select(_ candidates: [RoutedDeployment], random: inout some RandomNumberGenerator) -> RoutedDeployment {
        guard var weights = weights(candidates) else {
            return candidates[Int.random(in: 0..<candidates.count, using: &random)]
        }
        var total = weights.reduce(0) { $0 + max(0, $1) }
        if !total.isFinite {
            // Finite weights whose sum overflows: the same proportions, each divided by the
            // count, sum to at most the largest weight.
            let count = Double(weights.count)
            weights = weights.map { $0 / count }
            total = weights.reduce(0) { $0 + max(0, $1) }
        }
        // A random number in 0..<∞ (or 0..<NaN) traps; without a usable total, draw uniformly.
        guard total.isFinite, total > 0 else {
            return candidates[Int.random(in: 0..<candidates.count, using: &random)]
        }
        var point = Double.random(in: 0..<total, using: &random)
        for (index, weight) in weights.enumerated() where weight > 0 {
            if point < weight { return candidates[index] }
            point -= weight
        }
        return candidates[weights.lastIndex { $0 > 0 } ?? 0]
    }
}

/// Fewest requests in flight; ties go to the first listed.
enum LeastBusy {
    static func select(_ candidates: [RoutedDeployment], health: some DeploymentHealthView) -> RoutedDeployment {
        var best = candidates[0]
        var bestCount = health.inFlight(best.id)
        for candidate in candidates.dropFirst() {
            let count = health.inFlight(candidate.id)
            if count < bestCount {
                best = candidate
                bestCount = count
            }
        }
        return best
    }
}

/// Lowest mean recent latency; deployments never measured score 0 so they get tried first;
/// ties are broken at random.
enum LatencyBased {
    static func select(
        _ candidates: [RoutedDeployment], health: some DeploymentHealthView, streaming: Bool,
        random: inout some RandomNumberGenerator
    ) -> RoutedDeployment {
        let scored = candidates.map { ($0, health.latencyScore($0.id, streaming: streaming) ?? 0) }
        let lowest = scored.map(\.1).min() ?? 0
        let best = scored.filter { $0.1 <= lowest }.map(\.0)
        return best[Int.random(in: 0..<best.count, using: &random)]
    }
}
