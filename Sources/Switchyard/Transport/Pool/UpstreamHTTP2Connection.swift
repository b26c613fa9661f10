import NIOCore
import NIOHTTP1
import NIOHTTP2

/// One HTTP/2 connection to an upstream (the upstream chose `h2` in ALPN): the last handler of
/// its channel's pipeline, behind `NIOHTTP2Handler` and its inline stream multiplexer. Each
/// exchange gets a stream of its own, carried by an `UpstreamConnection` behind
/// `HTTP2FramePayloadToHTTP1ClientCodec`, so the per-exchange logic is the one HTTP/1.1 uses.
/// Up to `capacity` streams at once (the peer's SETTINGS_MAX_CONCURRENT_STREAMS, at most
/// `maxConcurrentStreams`); after a GOAWAY it takes no new streams, and the streams the upstream
/// did not process are sent again elsewhere. Confined to its channel's event loop.
final class UpstreamHTTP2Connection: ChannelInboundHandler {
    typealias InboundIn = HTTP2Frame

    let endpoint: UpstreamAddress.Endpoint
    /// Held strongly: an open connection (or stream) reports to its pool until it closes, even
    /// after the transport that made the pool is gone; the pool lets go of it when it closes.
    private let pool: LoopConnectionPool
    private let multiplexer: NIOHTTP2Handler.StreamMultiplexer
    private var context: ChannelHandlerContext?
    /// Streams reserved or open.
    private(set) var active = 0
    /// Streams completed (or failed) so far: a stream opened after one is on a reused connection.
    private var served = 0
    /// Whether the peer's first SETTINGS arrived; until then one stream only (the peer's limit
    /// is unknown, and streams past it would be refused).
    private(set) var settled = false
    /// The peer's SETTINGS_MAX_CONCURRENT_STREAMS, once it said it (nil: no limit of its own).
    private var peerMaxStreams: Int?
    /// The last stream the peer said it processes, once it sent GOAWAY.
    private(set) var goAwayLastStreamID: HTTP2StreamID?
    private(set) var lastError: (any Error)?
    /// An error was caught on the connection: no new streams, closed after its last one.
    private var retired = false
    private(set) var isClosed = false
    /// When its last stream closed, for the pool's idle timeout.
    var idleSince = NIODeadline.now()

    init(endpoint: UpstreamAddress.Endpoint, pool: LoopConnectionPool, multiplexer: NIOHTTP2Handler.StreamMultiplexer) {
        self.endpoint = endpoint
        self.pool = pool
        self.multiplexer = multiplexer
    }

    /// How many streams may be open at once.
    var capacity: Int {
        guard settled else { return 1 }
        let own = max(pool.settings.maxConcurrentStreams, 1)
        guard let peerMaxStreams else { return own }
        return min(own, peerMaxStreams)
    }

    /// Whether a new exchange may get a stream here now.
    var canOpenStream: Bool { !isDraining && active < capacity }

    /// Whether new exchanges should go elsewhere for good (closed, GOAWAY received, an error).
    var isDraining: Bool { isClosed || goAwayLastStreamID != nil || retired }

    /// Opens a stream for `exchange` and attaches it once the stream channel is ready.
    func open(for exchange: UpstreamExchange) {
        active += 1
        let stream = UpstreamConnection(streamOf: self, pool: pool, reused: served > 0)
        let handler = NIOLoopBound(stream, eventLoop: pool.loop)
        let created = pool.loop.makePromise(of: (any Channel).self)
        multiplexer.createStreamChannel(promise: created) { channel in
            channel.eventLoop.makeCompletedFuture {
                let sync = channel.pipeline.syncOperations
                try sync.addHandler(HTTP2FramePayloadToHTTP1ClientCodec(httpProtocol: .https))
                try sync.addHandler(HTTP2ResponseParts())
                try sync.addHandler(handler.value)
            }
        }
        created.futureResult.assumeIsolated().whenComplete { result in
            switch result {
            case .success:
                exchange.attach(stream)
            case .failure(let error):
                stream.leaveConnection()
                exchange.streamUnavailable(error)
            }
        }
    }

    /// A stream of this connection closed: its place can go to the next exchange in line.
    func streamClosed() {
        active -= 1
        served += 1
        if active == 0 {
            idleSince = .now()
            if isDraining {
                close()
                return
            }
        }
        pool.streamFreed(self)
    }

    /// Whether the stream `id` (nil when it never went out) was not processed by the upstream,
    /// so that its request may be sent again: past the GOAWAY's last stream, or refused.
    func unprocessed(_ id: HTTP2StreamID?, error: (any Error)?) -> Bool {
        guard let id else { return true }
        if let goAwayLastStreamID, id > goAwayLastStreamID { return true }
        if let closed = error as? NIOHTTP2Errors.StreamClosed, closed.errorCode == .refusedStream { return true }
        return false
    }

    func close() {
        guard !isClosed else { return }
        context?.close(promise: nil)
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    /// Frames of stream 0 (and PRIORITY frames): SETTINGS and GOAWAY matter here.
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.payload {
        case .settings(.settings(let settings)):
            let before = capacity
            settled = true
            for setting in settings where setting.parameter == .maxConcurrentStreams {
                peerMaxStreams = setting.value
            }
            if capacity > before { pool.streamFreed(self) }
        case .goAway(let lastStreamID, _, _):
            let first = goAwayLastStreamID == nil
            goAwayLastStreamID = min(goAwayLastStreamID ?? lastStreamID, lastStreamID)
            if first { pool.drained(self) }
            if active == 0 { close() }
        default:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        isClosed = true
        pool.closed(self)
        context.fireChannelInactive()
    }

    /// NIOHTTP2 reports stream errors here too (the stream itself is reset and its exchange
    /// fails), and it answers connection errors with GOAWAY; either way the connection takes no
    /// new streams and closes after its last one. (Socket errors close the channel anyway.)
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        lastError = error
        guard !retired else { return }
        retired = true
        if goAwayLastStreamID == nil { pool.drained(self) }
        if active == 0 { close() }
    }
}

/// On an HTTP/2 stream, the codec's response parts as the `UpstreamResponsePart`s an
/// `UpstreamConnection` reads (on HTTP/1.1 `UpstreamResponseDecoder` makes them from bytes).
/// Keep-alive means nothing on a stream: it closes with its exchange.
final class HTTP2ResponseParts: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias InboundOut = UpstreamResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            var headers = HeaderFields()
            headers.fields.reserveCapacity(head.headers.count)
            for (name, value) in head.headers { headers.add(name, value) }
            context.fireChannelRead(wrapInboundOut(.head(UpstreamResponseHead(status: Int(head.status.code), headers: headers, keepAlive: true))))
        case .body(let bytes):
            context.fireChannelRead(wrapInboundOut(.body(bytes)))
        case .end:
            context.fireChannelRead(wrapInboundOut(.end))
        }
    }
}
