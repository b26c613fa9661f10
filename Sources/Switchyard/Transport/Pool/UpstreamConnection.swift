import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOSSL

/// Carries one exchange at a time, as the last handler of a pipeline that hands it
/// `UpstreamResponsePart`s: either a keep-alive HTTP/1.1 connection to an upstream (it goes back to its pool after
/// a complete response that allows keep-alive; its bytes read by `UpstreamResponseDecoder`), or one
/// stream of an HTTP/2 connection (behind `HTTP2FramePayloadToHTTP1ClientCodec` and
/// `HTTP2ResponseParts`; it serves one exchange and closes with its stream).
/// Either way it sends the request, hands the response's parts to the exchange and stops reading
/// while the exchange's reader is behind (on a stream, the unread frames hold back the stream's
/// flow-control window, so the upstream stops sending). Confined to its channel's event loop.
final class UpstreamConnection: ChannelDuplexHandler {
    typealias InboundIn = UpstreamResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    let endpoint: UpstreamAddress.Endpoint
    /// Held strongly: an open connection (or stream) reports to its pool until it closes, even
    /// after the transport that made the pool is gone; the pool lets go of it when it closes.
    private let pool: LoopConnectionPool
    /// The HTTP/2 connection this stream belongs to; nil on an HTTP/1.1 connection.
    private let multiplexed: UpstreamHTTP2Connection?
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
    private var leftConnection = false
    /// When it last went idle, for the pool's idle timeout.
    var idleSince = NIODeadline.now()

    /// An HTTP/1.1 connection.
    init(endpoint: UpstreamAddress.Endpoint, pool: LoopConnectionPool) {
        self.endpoint = endpoint
        self.pool = pool
        self.multiplexed = nil
    }

    /// A stream of `connection`; `reused` when the connection served streams before it.
    init(streamOf connection: UpstreamHTTP2Connection, pool: LoopConnectionPool, reused: Bool) {
        self.endpoint = connection.endpoint
        self.pool = pool
        self.multiplexed = connection
        self.reused = reused
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    /// Sends a complete request for `exchange`; its response parts go back to it.
    func send(for exchange: UpstreamExchange) {
        guard let context, !isClosed else {
            exchange.connectionLost(headReceived: false, retryable: true, error: nil)
            return
        }
        self.exchange = exchange
        headReceived = false
        keepAlive = true
        let request = exchange.request
        if let http1 {
            // One buffer straight to the writer: no head, no parts through the pipeline.
            http1.decoder.requestSent(isHEAD: request.method == "HEAD")
            http1.writer.writeWhole(PooledHTTPTransport.http1Bytes(request, exchange.address, allocator: context.channel.allocator))
            return
        }
        context.write(wrapOutboundOut(.head(PooledHTTPTransport.head(request, exchange.address))), promise: nil)
        if !request.body.isEmpty { context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: request.body)))), promise: nil) }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    /// An HTTP/1.1 connection's writer and decoder, below this handler in its pipeline.
    struct HTTP1Handlers {
        let writer: UpstreamRequestWriter
        let decoder: UpstreamResponseDecoder
    }

    /// Set once the HTTP/1.1 pipeline is built; nil on an HTTP/2 stream.
    private var http1: HTTP1Handlers?

    func attach(_ handlers: HTTP1Handlers) { http1 = handlers }

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

    /// Closes the connection (or resets the stream: RST_STREAM CANCEL while it is open); a
    /// response in flight is lost (the exchange is told).
    func close() {
        guard !isClosed else { return }
        context?.close(promise: nil)
    }

    /// A stream gives its place on the connection back (once).
    func leaveConnection() {
        guard let multiplexed, !leftConnection else { return }
        leftConnection = true
        isClosed = true
        multiplexed.streamClosed()
    }

    /// An exchange got this carrier when it no longer needed one: a connection goes back to the
    /// pool, a stream (not yet sent) is closed.
    func giveBack() {
        if multiplexed != nil {
            close()
        } else {
            pool.release(self)
        }
    }

    /// The exchange no longer wants its response: the connection's state is unknown, so it
    /// closes; on HTTP/2 only the stream is reset, the connection goes on serving the others.
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
            keepAlive = head.keepAlive
            exchange?.receivedHead(head)
        case .body(let buffer):
            exchange?.receivedBody(buffer, on: self)
        case .end:
            let finished = exchange
            exchange = nil
            reused = true
            resumeReading()
            finished?.receivedEnd()
            // A stream closes by itself once both sides ended.
            if multiplexed != nil { return }
            if keepAlive && finished != nil && !isClosed {
                pool.release(self)
            } else {
                close()
            }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        exchange?.readComplete()
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        isClosed = true
        if let multiplexed {
            if let lost = exchange {
                exchange = nil
                let streamID = try? context.channel.syncOptions?.getOption(HTTP2StreamChannelOptions.streamID)
                let unprocessed = multiplexed.unprocessed(streamID, error: lastError)
                lost.connectionLost(
                    headReceived: headReceived, retryable: unprocessed || reused, error: lastError ?? multiplexed.lastError)
            }
            leaveConnection()
        } else {
            if let lost = exchange {
                exchange = nil
                lost.connectionLost(headReceived: headReceived, retryable: reused, error: lastError)
            }
            pool.closed(self)
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        lastError = error
        context.close(promise: nil)
    }
}
