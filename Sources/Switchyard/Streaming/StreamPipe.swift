import Synchronization

/// The hand-over between a stream's reader task (one producer) and the caller iterating it (one
/// consumer), bounded: past `limit` undelivered elements the producer waits until the consumer
/// takes one, so a slow client holds the upstream back (the transport then stops reading)
/// instead of the whole answer piling up in memory.
///
/// `finish()` and `terminate()` both run `onTermination` once (the session cancels its reader
/// there). The consumer's side terminates the pipe when it is cancelled or dropped (see
/// `Lifetime`); the elements still queued after `finish()` are delivered first.
final class StreamPipe<Element: Sendable>: Sendable {
    private struct State {
        var items: [Element] = []
        var head = 0
        var finished = false
        var terminated = false
        var consumer: UnsafeContinuation<Element?, Never>?
        var producer: UnsafeContinuation<Void, Never>?
        var onTermination: (@Sendable () -> Void)?

        var queued: Int { items.count - head }

        mutating func pop() -> Element? {
            guard head < items.count else { return nil }
            let item = items[head]
            head += 1
            if head == items.count {
                items.removeAll(keepingCapacity: true)
                head = 0
            }
            return item
        }

        /// Everything waiting to be resumed or run once the pipe ends.
        mutating func end() -> (UnsafeContinuation<Element?, Never>?, UnsafeContinuation<Void, Never>?, (@Sendable () -> Void)?) {
            defer {
                consumer = nil
                producer = nil
                onTermination = nil
            }
            return (queued == 0 ? consumer : nil, producer, onTermination)
        }
    }

    private enum SendOutcome { case gone, delivered(UnsafeContinuation<Element?, Never>), queued, full }
    /// What the consumer found: an element (and a producer to wake), the end, or nothing yet.
    private enum Take { case item(Element, UnsafeContinuation<Void, Never>?), end, wait }

    let limit: Int
    private let state = Mutex(State())

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Called once, when the pipe finishes or the consumer goes away.
    func onTermination(_ action: @escaping @Sendable () -> Void) {
        let runNow = state.withLock { state -> Bool in
            if state.finished || state.terminated { return true }
            state.onTermination = action
            return false
        }
        if runNow { action() }
    }

    /// Queues `element`, waiting while the consumer is `limit` elements behind. False when the
    /// consumer has gone (the producer should stop).
    @discardableResult
    func send(_ element: Element) async -> Bool {
        let outcome = state.withLock { state -> SendOutcome in
            if state.terminated || state.finished { return .gone }
            if let consumer = state.consumer {
                state.consumer = nil
                return .delivered(consumer)
            }
            state.items.append(element)
            return state.queued >= limit ? .full : .queued
        }
        switch outcome {
        case .gone:
            return false
        case .delivered(let consumer):
            consumer.resume(returning: element)
            return true
        case .queued:
            return true
        case .full:
            await withTaskCancellationHandler {
                await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
                    let waitHere = state.withLock { state -> Bool in
                        guard !state.terminated, !state.finished, state.queued >= limit, !Task.isCancelled else { return false }
                        state.producer = continuation
                        return true
                    }
                    if !waitHere { continuation.resume() }
                }
            } onCancel: {
                state.withLock { state -> UnsafeContinuation<Void, Never>? in
                    defer { state.producer = nil }
                    return state.producer
                }?.resume()
            }
            return state.withLock { !$0.terminated }
        }
    }

    /// Queues `element` at once, past the bound: for the one event that ends a stream from
    /// outside its producer (a stall).
    func sendNow(_ element: Element) {
        let consumer = state.withLock { state -> UnsafeContinuation<Element?, Never>? in
            if state.terminated || state.finished { return nil }
            if let consumer = state.consumer {
                state.consumer = nil
                return consumer
            }
            state.items.append(element)
            return nil
        }
        consumer?.resume(returning: element)
    }

    /// No more elements: the consumer gets those queued, then nil.
    func finish() {
        let (consumer, producer, action) = state.withLock { state in
            state.finished = true
            return state.end()
        }
        consumer?.resume(returning: nil)
        producer?.resume()
        action?()
    }

    /// The consumer has gone: drop what is queued and stop the producer.
    func terminate() {
        let (consumer, producer, action) = state.withLock { state in
            state.terminated = true
            state.items.removeAll()
            state.head = 0
            return state.end()
        }
        consumer?.resume(returning: nil)
        producer?.resume()
        action?()
    }

    /// The next element, or nil once finished (or terminated). Cancelling the waiting task
    /// terminates the pipe.
    func next() async -> Element? {
        let outcome = state.withLock { state -> Take in
            if let item = state.pop() {
                let producer = state.queued < limit ? state.producer : nil
                if producer != nil { state.producer = nil }
                return .item(item, producer)
            }
            return state.finished || state.terminated ? .end : .wait
        }
        switch outcome {
        case .item(let item, let producer):
            producer?.resume()
            return item
        case .end:
            return nil
        case .wait:
            return await withTaskCancellationHandler {
                await withUnsafeContinuation { (continuation: UnsafeContinuation<Element?, Never>) in
                    let now = state.withLock { state -> Take in
                        if let item = state.pop() {
                            let producer = state.producer
                            state.producer = nil
                            return .item(item, producer)
                        }
                        if state.finished || state.terminated || Task.isCancelled { return .end }
                        state.consumer = continuation
                        return .wait
                    }
                    switch now {
                    case .item(let item, let producer):
                        producer?.resume()
                        continuation.resume(returning: item)
                    case .end:
                        continuation.resume(returning: nil)
                    case .wait:
                        break
                    }
                }
            } onCancel: {
                terminate()
            }
        }
    }

    /// Terminates the pipe when the last holder lets go of it: a caller that stops iterating
    /// and drops the stream stops its upstream.
    final class Lifetime: Sendable {
        let pipe: StreamPipe
        init(_ pipe: StreamPipe) { self.pipe = pipe }
        deinit { pipe.terminate() }
    }
}
