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
    /// The monotonic clock's nanoseconds when the process first asked. Read as integers: a
    /// `ContinuousClock` instant's `Duration` went through 128-bit arithmetic on every reading,
    /// several times per request.
    private static let origin = DispatchTime.now().uptimeNanoseconds

    public init() {}

    public func now() -> Double {
        let origin = Self.origin  // first: it must not be taken after the reading below
        let reading = DispatchTime.now().uptimeNanoseconds
        return reading >= origin ? Double(reading - origin) * 1e-9 : 0
    }

    public func wallTime() -> Double { Date().timeIntervalSince1970 }

    public func sleep(_ seconds: Double) async throws {
        guard seconds > 0 else { return }  // also false for NaN
        let bounded = seconds.isFinite ? min(seconds, 86_400 * 365) : 86_400 * 365
        try await Task.sleep(for: .nanoseconds(Int64(bounded * 1e9)))
    }
}
