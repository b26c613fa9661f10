import Synchronization

/// The body of one upstream response, between the connection that reads it (on its event loop)
/// and the task that consumes it. Every byte that arrived is handed out before the end or the
/// failure that follows it, so a stream that breaks off loses nothing it had sent. Holds at
/// most about `highWatermark` bytes: past it the connection is asked to stop reading, and it
/// is asked to go on once the consumer has taken what was buffered (back-pressure from the
/// slower side).
final class UpstreamBody: Sendable {
    private struct State {
        var chunks: [[UInt8]] = []
        var buffered = 0
        /// Set once: nil while more may come; `.success` at the end, `.failure` when it broke.
        var end: Result<Void, TransportError>?
        var waiter: UnsafeContinuation<Void, Never>?
        var producerPaused = false
        var consumerGone = false
    }

    private let state = Mutex(State())
    private let highWatermark: Int
    /// The exchange reading it: asked to read again, or told the consumer stopped before the
    /// end (each hops to its event loop). Held strongly until the exchange lets go of the body.
    private let exchange: UpstreamExchange

    init(highWatermark: Int, exchange: UpstreamExchange) {
        self.highWatermark = highWatermark
        self.exchange = exchange
    }

    // MARK: The producer side (the connection's event loop)

    /// Adds bytes; false when the buffer is past its high watermark and reading should pause.
    func append(_ bytes: [UInt8]) -> Bool {
        let (waiter, keepReading) = state.withLock { state -> (UnsafeContinuation<Void, Never>?, Bool) in
            guard state.end == nil, !state.consumerGone else { return (nil, true) }
            state.chunks.append(bytes)
            state.buffered += bytes.count
            let keepReading = state.buffered < highWatermark
            if !keepReading { state.producerPaused = true }
            defer { state.waiter = nil }
            return (state.waiter, keepReading)
        }
        waiter?.resume()
        return keepReading
    }

    /// The body ended (nil) or broke off (the error). Only the first call counts.
    func finish(_ error: TransportError?) {
        let waiter = state.withLock { state -> UnsafeContinuation<Void, Never>? in
            guard state.end == nil else { return nil }
            state.end = error.map { .failure($0) } ?? .success(())
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    // MARK: The consumer side (a task)

    /// Everything buffered as one chunk; nil at the end; throws the failure once the bytes before
    /// it have been taken, or `.cancelled` when the consuming task is cancelled.
    func next() async throws(TransportError) -> [UInt8]? {
        while true {
            switch take() {
            case .bytes(let bytes): return bytes
            case .end: return nil
            case .failure(let error): throw error
            case .wait: break
            }
            if Task.isCancelled {
                consumerStopped()
                throw .cancelled
            }
            await withTaskCancellationHandler {
                await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
                    let ready = state.withLock { state -> Bool in
                        if !state.chunks.isEmpty || state.end != nil || state.consumerGone { return true }
                        state.waiter = continuation
                        return false
                    }
                    if ready { continuation.resume() }
                }
            } onCancel: {
                state.withLock { state -> UnsafeContinuation<Void, Never>? in
                    defer { state.waiter = nil }
                    return state.waiter
                }?.resume()
            }
        }
    }

    private enum Taken {
        case bytes([UInt8])
        case end
        case failure(TransportError)
        case wait
    }

    private func take() -> Taken {
        let (taken, resumeProducer) = state.withLock { state -> (Taken, Bool) in
            if !state.chunks.isEmpty {
                let bytes: [UInt8]
                if state.chunks.count == 1 {
                    bytes = state.chunks[0]
                } else {
                    var joined: [UInt8] = []
                    joined.reserveCapacity(state.buffered)
                    for chunk in state.chunks { joined.append(contentsOf: chunk) }
                    bytes = joined
                }
                state.chunks.removeAll(keepingCapacity: true)
                state.buffered = 0
                let resume = state.producerPaused && state.end == nil
                state.producerPaused = false
                return (.bytes(bytes), resume)
            }
            switch state.end {
            case .success?: return (.end, false)
            case .failure(let error)?: return (.failure(error), false)
            case nil: return (.wait, false)
            }
        }
        if resumeProducer { exchange.bodyWantsMore() }
        return taken
    }

    /// The consumer will read no more: an unfinished exchange is abandoned (its connection closed).
    func consumerStopped() {
        let unfinished = state.withLock { state -> Bool in
            guard !state.consumerGone else { return false }
            state.consumerGone = true
            state.chunks.removeAll()
            state.buffered = 0
            return state.end == nil
        }
        if unfinished { exchange.bodyAbandoned() }
    }
}

/// Holds the body for a `ByteStream`: when the last copy of the stream goes away unfinished,
/// the exchange is abandoned instead of leaving a paused connection behind.
final class UpstreamBodyReader: Sendable {
    let body: UpstreamBody
    init(_ body: UpstreamBody) { self.body = body }
    deinit { body.consumerStopped() }

    var stream: ByteStream {
        ByteStream { () async throws(TransportError) -> [UInt8]? in try await self.body.next() }
    }
}
