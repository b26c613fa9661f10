import NIOCore
import NIOHTTP1
import NIOSSL

/// One keep-alive HTTP/1.1 connection to an upstream: the last handler of its channel's
/// pipeline. It carries one exchange at a time and goes back to its pool after a complete
/// response that allows keep-alive. Confined to its channel's event loop.
final class UpstreamConnection: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    let endpoint: UpstreamAddress.Endpoint
    private unowned let pool: LoopConnectionPool
    private var context: ChannelHandlerContext?
    private var exchange: UpstreamExchange?
    private var headReceived = false
    private var keepAlive = true
    private var readPaused = false
    private var readPending = false
    private var lastError: (any Error)?
    /// Whether it served a response before the current one (a stale keep-alive candidate).
    private(set) var reused = false
    private(set) var isClosed = false
    /// When it last went idle, for the pool's idle timeout.
    var idleSince = NIODeadline.now()

    init(endpoint: UpstreamAddress.Endpoint, pool: LoopConnectionPool) {
        self.endpoint = endpoint
        self.pool = pool
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    /// Sends a complete request for `exchange`; its response parts go back to it.
    func send(_ head: HTTPRequestHead, body: ByteBuffer, for exchange: UpstreamExchange) {
        guard let context, !isClosed else {
            exchange.connectionLost(headReceived: false, reused: reused, error: nil)
            return
        }
        self.exchange = exchange
        headReceived = false
        keepAlive = true
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if body.readableBytes > 0 { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    /// Stops reading until `resumeReading` (the consumer is behind).
    func pauseReading() { readPaused = true }

    func resumeReading() {
        guard readPaused else { return }
        readPaused = false
        if readPending, let context {
            readPending = false
            context.read()
        }
    }

    /// Closes the connection; a response in flight is lost (the exchange is told).
    func close() {
        guard !isClosed else { return }
        context?.close(promise: nil)
    }

    /// The exchange no longer wants its response: the connection's state is unknown, so it closes.
    func abandon(_ abandoned: UpstreamExchange) {
        guard exchange === abandoned else { return }
        exchange = nil
        close()
    }

    // MARK: Channel events

    func read(context: ChannelHandlerContext) {
        if readPaused {
            readPending = true
        } else {
            context.read()
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            headReceived = true
            keepAlive = head.isKeepAlive
            exchange?.receivedHead(head)
        case .body(let buffer):
            exchange?.receivedBody(buffer, on: self)
        case .end:
            let finished = exchange
            exchange = nil
            reused = true
            resumeReading()
            finished?.receivedEnd()
            if keepAlive && finished != nil && !isClosed {
                pool.release(self)
            } else {
                close()
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        isClosed = true
        if let lost = exchange {
            exchange = nil
            lost.connectionLost(headReceived: headReceived, reused: reused, error: lastError)
        }
        pool.closed(self)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        lastError = error
        context.close(promise: nil)
    }
}
