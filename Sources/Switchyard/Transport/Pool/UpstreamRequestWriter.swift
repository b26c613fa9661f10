import NIOCore
import NIOHTTP1

/// Writes the requests of an HTTP/1.1 upstream connection, in place of NIO's
/// `HTTPRequestEncoder`: a request's head and body go out as one buffer in one write (NIO's
/// encoder writes the head, the body and the end apart, and rewrites the framing fields of
/// every head). It sits below the response decoder, which still sees each head go by and so
/// knows which response answers a `HEAD`.
///
/// Every request the transport sends is framed by the `Content-Length` it sets in the head
/// (`PooledHTTPTransport.head`), which also checks every field; so a body is written as it is,
/// never chunked. Confined to its channel's event loop.
final class UpstreamRequestWriter: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = ByteBuffer

    /// The request written so far: its head, then its body, until its end.
    private var pending: ByteBuffer?
    /// The promises of the parts held in `pending`.
    private var promises: [EventLoopPromise<Void>] = []
    private var context: ChannelHandlerContext?
    /// The flushes of the connection's loop (nil off the singleton group: flushed at once).
    private var flushes: LoopFlushes?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        flushes = LoopFlushes.of(context.eventLoop)
    }

    /// Writes a whole request already in HTTP/1.1 bytes (`PooledHTTPTransport.http1Bytes`),
    /// handed over by the connection directly, and flushes it with the loop's others
    /// (`LoopFlushes`).
    func writeWhole(_ bytes: ByteBuffer) {
        guard let context else { return }
        writePending(context: context)
        if let flushes {
            context.write(wrapOutboundOut(bytes), promise: nil)
            flushes.add(context)
        } else {
            context.writeAndFlush(wrapOutboundOut(bytes), promise: nil)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head):
            writePending(context: context)
            var buffer = context.channel.allocator.buffer(capacity: Self.headCapacity(head))
            Self.writeHead(head, into: &buffer)
            pending = buffer
            if let promise { promises.append(promise) }
        case .body(.byteBuffer(var bytes)):
            if pending != nil {
                pending?.writeBuffer(&bytes)
                if let promise { promises.append(promise) }
            } else {
                context.write(wrapOutboundOut(bytes), promise: promise)
            }
        case .body(.fileRegion(let region)):
            writePending(context: context)
            context.write(NIOAny(IOData.fileRegion(region)), promise: promise)
        case .end:
            if let promise { promises.append(promise) }
            writePending(context: context)
        }
    }

    func flush(context: ChannelHandlerContext) {
        writePending(context: context)
        context.flush()
    }

    private func writePending(context: ChannelHandlerContext) {
        guard let buffer = pending else {
            // An end with nothing held (its head went out with an earlier flush): just its promise.
            for promise in promises { promise.succeed() }
            promises.removeAll()
            return
        }
        pending = nil
        switch promises.count {
        case 0:
            context.write(wrapOutboundOut(buffer), promise: nil)
        case 1:
            context.write(wrapOutboundOut(buffer), promise: promises[0])
        default:
            let written = context.eventLoop.makePromise(of: Void.self)
            for promise in promises { written.futureResult.cascade(to: promise) }
            context.write(wrapOutboundOut(buffer), promise: written)
        }
        promises.removeAll(keepingCapacity: true)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        for promise in promises { promise.fail(ChannelError.ioOnClosedChannel) }
        promises.removeAll()
        pending = nil
    }

    /// Room for the head, and for the body its `Content-Length` announces.
    static func headCapacity(_ head: HTTPRequestHead) -> Int {
        var size = 32 + head.uri.utf8.count + head.method.rawValue.utf8.count
        for (name, value) in head.headers { size += name.utf8.count + value.utf8.count + 4 }
        let body = head.headers.first(name: "content-length").flatMap { Int($0) } ?? 0
        return size + min(max(body, 0), 1 << 20)
    }

    /// The request line, the fields and the blank line.
    static func writeHead(_ head: HTTPRequestHead, into buffer: inout ByteBuffer) {
        buffer.writeString(head.method.rawValue)
        buffer.writeInteger(UInt8(ascii: " "))
        buffer.writeString(head.uri)
        buffer.writeStaticString(head.version.minor == 0 ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n")
        for (name, value) in head.headers {
            buffer.writeString(name)
            buffer.writeStaticString(": ")
            buffer.writeString(value)
            buffer.writeStaticString("\r\n")
        }
        buffer.writeStaticString("\r\n")
    }
}
