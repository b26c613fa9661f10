/// What routing decisions read about deployments' recent health. The live tracker conforms;
/// planner tests use a fake with fixed values.
protocol DeploymentHealthView {
    /// Seconds left in this deployment's cooldown at `now`, or nil when it is not cooling down.
    func cooldownRemaining(_ id: String, now: Double) -> Double?
    /// Requests in flight to this deployment.
    func inFlight(_ id: String) -> Int
    /// Mean recent latency (seconds per output token; time to first token for streams), or nil if unknown.
    func latencyScore(_ id: String, streaming: Bool) -> Double?
}
