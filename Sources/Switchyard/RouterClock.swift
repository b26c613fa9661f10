import Foundation

/// Time as the router sees it: a monotonic clock for deadlines and cooldowns, a wall clock for
/// stamping answers, and sleep. Injected so tests can use a fake.
public protocol RouterClock: Sendable {
    /// Monotonic seconds.
    func now() -> Double
    /// Seconds since 1970.
    func wallTime() -> Double
    /// Sleeps, throwing `CancellationError` when the task is cancelled.
    func sleep(_ seconds: Double) async throws
}

/// The real clocks.
public struct SystemRouterClock: RouterClock {
    private static let origin = ContinuousClock.now

    public init() {}

    public func now() -> Double {
        let elapsed = ContinuousClock.now - Self.origin
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }

    public func wallTime() -> Double { Date().timeIntervalSince1970 }

    public func sleep(_ seconds: Double) async throws {
        guard seconds > 0 else { return }  // also false for NaN
        let bounded = seconds.isFinite ? min(seconds, 86_400 * 365) : 86_400 * 365
        try await Task.sleep(for: .nanoseconds(Int64(bounded * 1e9)))
    }
}
