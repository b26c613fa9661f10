import NIOCore
import NIOHTTP1

/// Turns an HTTP/1.1 upstream connection's bytes into `UpstreamResponsePart`s with an
/// `HTTP1ResponseParser` (in place of NIO's `HTTPResponseDecoder`, which built `HTTPHeaders`
/// that the exchange then copied into `HeaderFields`). It sits above `UpstreamRequestWriter`
/// and sees every request go out, so it knows which answer is to a `HEAD`. A response the
/// parser cannot read is an error (`UpstreamHTTPError`) and nothing more is read from the
/// connection. Confined to its channel's event loop.
final class UpstreamResponseDecoder: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = UpstreamResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    private var parser = HTTP1ResponseParser()
    private var unread = HTTP1ReadBuffer()
    private var failed = false
    private var decoding = false

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .head(let head) = unwrapOutboundIn(data) { parser.requestSent(isHEAD: head.method == .HEAD) }
        context.write(data, promise: promise)
    }

    /// A request went out past this handler (written whole by the connection).
    func requestSent(isHEAD: Bool) { parser.requestSent(isHEAD: isHEAD) }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        var bytes = unread.take(unwrapInboundIn(data))
        decoding = true
        defer { decoding = false }
        do {
            while let part = try parser.next(&bytes) {
                context.fireChannelRead(wrapInboundOut(part))
                if failed { return }
            }
        } catch {
            fail(error, context: context)
            return
        }
        unread.keep(bytes)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !failed && !decoding {
            do {
                if let part = try parser.closed() { context.fireChannelRead(wrapInboundOut(part)) }
            } catch {
                failed = true
                context.fireErrorCaught(error)
            }
        }
        failed = true
        unread.clear()
        context.fireChannelInactive()
    }

    private func fail(_ error: UpstreamHTTPError, context: ChannelHandlerContext) {
        failed = true
        unread.clear()
        context.fireErrorCaught(error)
    }
}
