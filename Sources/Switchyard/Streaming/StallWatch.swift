import Synchronization

/// Enforces `stream_timeout` for every open stream of a router with one timer: each stream
/// reports when bytes arrive, and a single task wakes every `tick` seconds (only while streams
/// are open) to stop those that sent nothing for longer than their limit. One sleeping task per
/// stream cost a timer registration and a task group for each; at thousands of streams that was
/// a measurable share of the gateway's CPU.
final class StallWatch: Sendable {
    /// One watched stream.
    final class Entry: Sendable {
        let limit: Double
        private let state: Mutex<(last: Double, sawByte: Bool)>
        /// Called once, from the watch's task, when the stream stalled (`true`: before any byte).
        let onStall: @Sendable (Bool) -> Void

        init(now: Double, limit: Double, onStall: @escaping @Sendable (Bool) -> Void) {
            self.limit = limit
            self.state = Mutex((now, false))
            self.onStall = onStall
        }

        /// Bytes arrived.
        func touch(_ now: Double) { state.withLock { $0 = (now, true) } }

        /// Whether it has been silent past its limit at `now`, and whether it ever sent a byte.
        func stalled(at now: Double) -> (stalled: Bool, sawByte: Bool) {
            state.withLock { ($0.last + limit <= now, $0.sawByte) }
        }
    }

    private let clock: any RouterClock
    private let tick: Double
    private let state = Mutex((entries: [ObjectIdentifier: Entry](), running: false))

    init(clock: any RouterClock, tick: Double = 0.05) {
        self.clock = clock
        self.tick = tick
    }

    /// Starts watching `entry` (until `remove`, or until it stalls).
    func add(_ entry: Entry) {
        let start = state.withLock { state -> Bool in
            state.entries[ObjectIdentifier(entry)] = entry
            guard !state.running else { return false }
            state.running = true
            return true
        }
        if start { Task { await self.run() } }
    }

    func remove(_ entry: Entry) {
        _ = state.withLock { $0.entries.removeValue(forKey: ObjectIdentifier(entry)) }
    }

    var watching: Int { state.withLock { $0.entries.count } }

    private func run() async {
        while true {
            try? await clock.sleep(tick)
            let now = clock.now()
            let (stalled, done) = state.withLock { state -> ([(Entry, Bool)], Bool) in
                var stalled: [(Entry, Bool)] = []
                for (key, entry) in state.entries {
                    let (isStalled, sawByte) = entry.stalled(at: now)
                    if isStalled {
                        stalled.append((entry, sawByte))
                        state.entries[key] = nil
                    }
                }
                if state.entries.isEmpty { state.running = false }
                return (stalled, state.entries.isEmpty)
            }
            for (entry, sawByte) in stalled { entry.onStall(!sawByte) }
            if done { return }
        }
    }
}
