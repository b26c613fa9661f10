import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOSSL
import SwitchyardProviders

/// One request to an upstream and its response: waits for a connection (or a stream of an
/// HTTP/2 connection), sends, hands the head to the caller with the body (whole when the answer
/// came in one read, else streaming through an `UpstreamBody`). A
/// request that meets a reused connection the upstream had already closed (the keep-alive race),
/// or a stream the upstream did not process (past its GOAWAY, or refused), is sent once more on
/// a new one.
/// Confined to its pool's event loop; `@unchecked Sendable` so the caller can hand it over.
final class UpstreamExchange: NIOScheduledCallbackHandler, @unchecked Sendable {
    enum Phase {
        case waiting, sent, streaming, done
    }

    let endpoint: UpstreamAddress.Endpoint
    /// What to send (its fields already checked), and where: each kind of connection writes it
    /// its own way.
    let request: UpstreamRequest
    let address: UpstreamAddress
    private let pool: LoopConnectionPool
    /// The caller, waiting for the head: resumed once (with the head, or the failure), then let
    /// go. A continuation, not a promise: no future, callback list or generic metadata per request.
    private var response: UnsafeContinuation<TransportResponse, any Error>?
    /// Why it ended before its start reached the loop (cancelled on the way).
    private var failedBeforeStart: TransportError?
    private var connection: UpstreamConnection?
    private var bodyBuffer: UpstreamBody?
    /// A head read and not yet handed over, with the body bytes read after it: kept until the
    /// end of the read that brought it. An answer whole in one read (the usual plain answer) goes
    /// to the caller whole (`ByteStream(whole:)`): no body buffer, reader or chunk list.
    private var heldHead: UpstreamResponseHead?
    private var heldBody: [UInt8] = []
    /// The exchange's timeout: a callback on the loop with the exchange as its handler, so
    /// setting it allocates nothing (a scheduled task costs a closure, a promise and its future).
    private var deadline: NIOScheduledCallback?
    private var retriedStale = false
    private(set) var phase = Phase.waiting

    init(endpoint: UpstreamAddress.Endpoint, request: UpstreamRequest, address: UpstreamAddress, pool: LoopConnectionPool) {
        self.endpoint = endpoint
        self.request = request
        self.address = address
        self.pool = pool
    }

    /// Starts the exchange, `response` to be resumed with the head or the failure; it fails
    /// with `.timedOut` if not complete within `seconds`.
    func start(deadline seconds: Double, response: UnsafeContinuation<TransportResponse, any Error>) {
        guard phase == .waiting else {
            response.resume(throwing: failedBeforeStart ?? .cancelled)
            return
        }
        self.response = response
        let nanoseconds = Int64(min(max(seconds.isFinite ? seconds : 86_400, 0.001), 86_400 * 365) * 1_000_000_000)
        do {
            deadline = try pool.loop.scheduleCallback(in: .nanoseconds(nanoseconds), handler: self)
        } catch {
            fail(.cancelled)  // the loop is shutting down
            return
        }
        pool.lease(for: self, fresh: false)
    }

    /// A connection for this exchange (from the pool or newly opened).
    func attach(_ connection: UpstreamConnection) {
        guard phase == .waiting else {
            connection.giveBack()
            return
        }
        self.connection = connection
        phase = .sent
        connection.send(for: self)
    }

    /// No connection could be opened.
    func connectFailed(_ error: any Error) {
        fail(.connectFailed(Self.isTLS(error) ? "TLS: \(error)" : Self.describe(error)))
    }

    /// The HTTP/2 connection chosen for this exchange could not open a stream (it closed in
    /// between): another connection gets it, once.
    func streamUnavailable(_ error: any Error) {
        guard phase == .waiting else { return }
        if retriedStale {
            fail(.connectionClosed(Self.describe(error)))
        } else {
            retriedStale = true
            pool.lease(for: self, fresh: true)
        }
    }

    // MARK: From the connection

    func receivedHead(_ head: UpstreamResponseHead) {
        guard phase == .sent else { return }
        phase = .streaming
        heldHead = head
    }

    func receivedBody(_ buffer: ByteBuffer, on connection: UpstreamConnection) {
        guard phase == .streaming else { return }
        if heldHead != nil {
            if heldBody.count + buffer.readableBytes <= pool.settings.bodyHighWatermark {
                heldBody.append(contentsOf: buffer.readableBytesView)
                return
            }
            handOverHead()
        }
        guard let bodyBuffer else { return }
        if !bodyBuffer.append(Array(buffer.readableBytesView)) { connection.pauseReading() }
    }

    func receivedEnd() {
        guard phase == .streaming || phase == .sent else { return }
        if phase == .sent {
            // An end without a head cannot happen with a well-formed decoder; treat it as a break.
            fail(.connectionClosed("the upstream ended the response before its head"))
            return
        }
        if let head = heldHead.take() {
            response?.resume(returning: TransportResponse(status: head.status, headers: head.headers, body: ByteStream(whole: heldBody)))
            response = nil
            heldBody = []
        }
        finish(nil)
    }

    /// The connection's read is over: a head still held goes to the caller, its body streaming.
    func readComplete() {
        if heldHead != nil { handOverHead() }
    }

    /// Hands the held head to the caller with a body that streams, the bytes held so far first.
    private func handOverHead() {
        guard let head = heldHead.take() else { return }
        let body = UpstreamBody(highWatermark: pool.settings.bodyHighWatermark, exchange: self)
        bodyBuffer = body
        if !heldBody.isEmpty {
            if !body.append(heldBody) { connection?.pauseReading() }
            heldBody = []
        }
        response?.resume(returning: TransportResponse(status: head.status, headers: head.headers, body: UpstreamBodyReader(body).stream))
        response = nil
    }

    /// The connection (or stream) closed before the response was complete; `retryable` when
    /// the request may go out again if nothing of the answer came (a reused connection, a stream
    /// the upstream did not process).
    func connectionLost(headReceived: Bool, retryable: Bool, error: (any Error)?) {
        connection = nil
        guard phase == .sent || phase == .streaming else { return }
        if phase == .sent && !headReceived && retryable && !retriedStale {
            // The upstream closed an idle keep-alive connection as the request went out, or
            // refused the stream (GOAWAY, REFUSED_STREAM).
            retriedStale = true
            phase = .waiting
            pool.lease(for: self, fresh: true)
            return
        }
        if phase == .sent, let error, Self.isTLS(error) {
            fail(.connectFailed("TLS: \(error)"))
        } else {
            let detail = error.map { Self.describe($0) } ?? "the upstream closed the connection"
            fail(.connectionClosed(phase == .streaming ? "\(detail) before the response was complete" : detail))
        }
    }

    // MARK: From the body's consumer (any thread)

    /// The consumer took what was buffered: the connection may read again.
    func bodyWantsMore() {
        pool.loop.execute { self.connection?.resumeReading() }
    }

    /// The consumer stopped before the end.
    func bodyAbandoned() {
        pool.loop.execute { self.abandon() }
    }

    // MARK: The deadline

    func handleScheduledCallback(eventLoop: some EventLoop) {
        deadline = nil
        fail(.timedOut)
    }

    func didCancelScheduledCallback(eventLoop: some EventLoop) {}

    // MARK: Ending

    /// The caller stopped reading before the end.
    private func abandon() {
        fail(.cancelled)
    }

    /// Ends the exchange with an error: the caller gets it (as the response, or after the body
    /// bytes that arrived), and a connection still carrying the response is closed.
    func fail(_ error: TransportError) {
        switch phase {
        case .done:
            return
        case .waiting:
            pool.forget(self)
            if let response { response.resume(throwing: error) } else { failedBeforeStart = error }
        case .sent:
            response?.resume(throwing: error)
        case .streaming:
            // A head still held never reached the caller: the failure is the answer.
            if let response { response.resume(throwing: error) } else { bodyBuffer?.finish(error) }
        }
        heldHead = nil
        heldBody = []
        // The body's callbacks hold this exchange: let go of the body so neither keeps the other.
        bodyBuffer = nil
        response = nil
        phase = .done
        deadline?.cancel()
        deadline = nil
        if let connection {
            self.connection = nil
            connection.abandon(self)
        }
    }

    private func finish(_ error: TransportError?) {
        phase = .done
        deadline?.cancel()
        deadline = nil
        connection = nil
        bodyBuffer?.finish(error)
        bodyBuffer = nil
    }

    static func describe(_ error: any Error) -> String {
        if let io = error as? IOError { return io.description }
        if let reset = error as? NIOHTTP2Errors.StreamClosed { return "the upstream reset the stream (\(reset.errorCode))" }
        return String(describing: error)
    }

    static func isTLS(_ error: any Error) -> Bool { error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError }
}
