import NIOCore

/// Flushes put off until the event loop has run the work it has ready: the I/O events of its
/// current round, or the jobs already in its queue. Every channel flushed "soon" on a loop in
/// that time goes out together, in one task, after the loop is done with them.
///
/// Why: a flush is a `write(2)` that wakes the process reading the other end. On a machine
/// whose cores the gateway shares with its clients and upstreams, a woken reader that is
/// owed CPU preempts the gateway's loop at once, runs for that one message, and sleeps again:
/// two context switches per flush, where deferred flushes wake each peer once for a round's
/// worth of messages (`decisions/2026-12-06-flushes-at-the-end-of-a-round.md`). The bytes
/// still go out before the loop next waits for events.
///
/// One per loop of the singleton group, confined to that loop.
package final class LoopFlushes: @unchecked Sendable {
    /// A channel, or a handler's context (whose flush starts at its handler, not at the tail).
    typealias Flushable = ChannelOutboundInvoker & AnyObject

    let loop: any EventLoop
    /// What to flush when the queued task runs; not empty while one is queued.
    private var pending: [any Flushable] = []
    /// The list being flushed, kept between rounds for its capacity.
    private var spare: [any Flushable] = []

    init(loop: any EventLoop) {
        self.loop = loop
    }

    private static let singletons = SingletonLoops { LoopFlushes(loop: $0) }

    /// The flushes of `loop` when it is one of the singleton group's, else nil.
    static func of(_ loop: any EventLoop) -> LoopFlushes? { singletons[loop] }

    /// Flushes `channel` once its loop has run the work it has ready, when called on that loop
    /// (one of the singleton group's); flushes it at once anywhere else.
    package static func flushSoon(_ channel: any Channel) {
        guard channel.eventLoop.inEventLoop, let flushes = singletons[channel.eventLoop] else {
            channel.flush()
            return
        }
        flushes.add(channel)
    }

    /// Queues a flush of `target`, a channel or context on this loop (once: the same one twice
    /// in a row is flushed once, as a stream's chunks are).
    func add(_ target: any Flushable) {
        assert(loop.inEventLoop)
        if let last = pending.last {
            if last === target { return }
        } else {
            loop.execute { self.flushPending() }
        }
        pending.append(target)
    }

    /// A flush can make more (a failed write closes its channel, whose handlers may answer):
    /// those go to the next task, since `pending` is empty again before the first flush.
    private func flushPending() {
        var flushing: [any Flushable] = []
        swap(&flushing, &spare)
        swap(&flushing, &pending)
        for target in flushing { target.flush() }
        flushing.removeAll(keepingCapacity: true)
        spare = flushing
    }
}
