import NIOCore
import NIOHTTP1
import NIOSSL
import SwitchyardProviders

/// One request to an upstream and its response: waits for a connection, sends, hands the head
/// to the caller and the body to an `UpstreamBody`. A request that meets a reused connection
/// the upstream had already closed (the keep-alive race) is sent once more on a new one.
/// Confined to its pool's event loop; `@unchecked Sendable` so the caller can hand it over.
final class UpstreamExchange: @unchecked Sendable {
    enum Phase {
        case waiting, sent, streaming, done
    }

    let endpoint: UpstreamAddress.Endpoint
    let head: HTTPRequestHead
    let body: ByteBuffer
    private let pool: LoopConnectionPool
    /// Until the head arrives or the exchange fails; then let go, since the fulfilled future
    /// holds the body, whose callbacks hold this exchange.
    private var response: EventLoopPromise<TransportResponse>?
    private var connection: UpstreamConnection?
    private var bodyBuffer: UpstreamBody?
    private var deadline: Scheduled<Void>?
    private var retriedStale = false
    private(set) var phase = Phase.waiting

    init(
        endpoint: UpstreamAddress.Endpoint, head: HTTPRequestHead, body: ByteBuffer, pool: LoopConnectionPool,
        response: EventLoopPromise<TransportResponse>
    ) {
        self.endpoint = endpoint
        self.head = head
        self.body = body
        self.pool = pool
        self.response = response
    }

    /// Starts the exchange; it fails with `.timedOut` if not complete within `seconds`.
    func start(deadline seconds: Double) {
        let nanoseconds = Int64(min(max(seconds.isFinite ? seconds : 86_400, 0.001), 86_400 * 365) * 1_000_000_000)
        deadline = pool.loop.scheduleTask(in: .nanoseconds(nanoseconds)) { [self] in fail(.timedOut) }
        pool.lease(for: self, fresh: false)
    }

    /// A connection for this exchange (from the pool or newly opened).
    func attach(_ connection: UpstreamConnection) {
        guard phase == .waiting else {
            pool.release(connection)
            return
        }
        self.connection = connection
        phase = .sent
        connection.send(head, body: body, for: self)
    }

    /// No connection could be opened.
    func connectFailed(_ error: any Error) {
        fail(.connectFailed(Self.describe(error)))
    }

    // MARK: From the connection

    func receivedHead(_ head: HTTPResponseHead) {
        guard phase == .sent else { return }
        phase = .streaming
        let loop = pool.loop
        let body = UpstreamBody(
            highWatermark: pool.settings.bodyHighWatermark,
            resume: { loop.execute { self.connection?.resumeReading() } },
            abandon: { loop.execute { self.abandon() } })
        bodyBuffer = body
        var headers = HeaderFields()
        for (name, value) in head.headers { headers.add(name, value) }
        let answer = TransportResponse(status: Int(head.status.code), headers: headers, body: UpstreamBodyReader(body).stream)
        response?.succeed(answer)
        response = nil
    }

    func receivedBody(_ buffer: ByteBuffer, on connection: UpstreamConnection) {
        guard phase == .streaming, let bodyBuffer else { return }
        if !bodyBuffer.append(Array(buffer.readableBytesView)) { connection.pauseReading() }
    }

    func receivedEnd() {
        guard phase == .streaming || phase == .sent else { return }
        if phase == .sent {
            // An end without a head cannot happen with a well-formed decoder; treat it as a break.
            fail(.connectionClosed("the upstream ended the response before its head"))
            return
        }
        finish(nil)
    }

    /// The connection closed before the response was complete.
    func connectionLost(headReceived: Bool, reused: Bool, error: (any Error)?) {
        connection = nil
        guard phase == .sent || phase == .streaming else { return }
        if phase == .sent && !headReceived && reused && !retriedStale {
            // The upstream closed an idle keep-alive connection as the request went out.
            retriedStale = true
            phase = .waiting
            pool.lease(for: self, fresh: true)
            return
        }
        if phase == .sent, let error, error is NIOSSLError {
            fail(.connectFailed("TLS: \(error)"))
        } else {
            let detail = error.map { Self.describe($0) } ?? "the upstream closed the connection"
            fail(.connectionClosed(phase == .streaming ? "\(detail) before the response was complete" : detail))
        }
    }

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
            response?.fail(error)
        case .sent:
            response?.fail(error)
        case .streaming:
            bodyBuffer?.finish(error)
        }
        // The body's callbacks hold this exchange: let go of the body so neither keeps the other.
        bodyBuffer = nil
        response = nil
        phase = .done
        deadline?.cancel()
        if let connection {
            self.connection = nil
            connection.abandon(self)
        }
    }

    private func finish(_ error: TransportError?) {
        phase = .done
        deadline?.cancel()
        connection = nil
        bodyBuffer?.finish(error)
        bodyBuffer = nil
    }

    static func describe(_ error: any Error) -> String {
        if let io = error as? IOError { return io.description }
        return String(describing: error)
    }
}
