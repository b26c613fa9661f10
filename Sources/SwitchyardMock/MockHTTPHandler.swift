import Foundation
import NIOCore
import NIOHTTP1
import SwitchyardProviders

/// Collects one request, asks the `MockResponder`, and plays the reply on the channel.
final class MockHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let responder: MockResponder
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    /// Largest request body accepted.
    private let maxBody = 32 << 20

    init(responder: MockResponder) {
        self.responder = responder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body.removeAll(keepingCapacity: true)
        case .body(let buffer):
            if body.count + buffer.readableBytes <= maxBody { body.append(contentsOf: buffer.readableBytesView) }
        case .end:
            guard let head else { return }
            self.head = nil
            respond(to: head, context: context)
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        var headers = HeaderFields()
        for (name, value) in head.headers { headers.add(name, value) }
        let reply = responder.respond(
            method: head.method.rawValue, path: head.uri, headers: headers, body: body, now: Date().timeIntervalSince1970)
        let keepAlive = head.isKeepAlive
        let loop = context.eventLoop.assumeIsolated()
        switch reply {
        case .hang:
            return  // the client gives up and closes
        case .answer(let status, let replyHeaders, let bytes, let delay, let truncateAt):
            after(delay, loop) {
                var fields = Self.httpHeaders(replyHeaders)
                fields.replaceOrAdd(name: "Content-Length", value: String(bytes.count))
                if !keepAlive { fields.replaceOrAdd(name: "Connection", value: "close") }
                context.write(self.wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .init(statusCode: status), headers: fields))), promise: nil)
                if let truncateAt {
                    context.writeAndFlush(self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: bytes.prefix(truncateAt))))), promise: nil)
                    context.close(promise: nil)
                    return
                }
                context.write(self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: bytes)))), promise: nil)
                self.end(context: context, keepAlive: keepAlive)
            }
        case .stream(let replyHeaders, let events, let delay, let interval, let complete):
            after(delay, loop) {
                var fields = Self.httpHeaders(replyHeaders)
                fields.replaceOrAdd(name: "Transfer-Encoding", value: "chunked")
                context.writeAndFlush(self.wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: fields))), promise: nil)
                self.play(events[...], interval: interval, complete: complete, keepAlive: keepAlive, context: context)
            }
        }
    }

    private func play(_ events: ArraySlice<[UInt8]>, interval: Double, complete: Bool, keepAlive: Bool, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        guard let event = events.first else {
            if complete { end(context: context, keepAlive: keepAlive) } else { context.close(promise: nil) }
            return
        }
        context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: event)))), promise: nil)
        let rest = events.dropFirst()
        if rest.isEmpty || interval <= 0 {
            play(rest, interval: interval, complete: complete, keepAlive: keepAlive, context: context)
        } else {
            after(interval, context.eventLoop.assumeIsolated()) {
                self.play(rest, interval: interval, complete: complete, keepAlive: keepAlive, context: context)
            }
        }
    }

    private func end(context: ChannelHandlerContext, keepAlive: Bool) {
        let promise: EventLoopPromise<Void>? = keepAlive ? nil : context.eventLoop.makePromise()
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: promise)
        if let promise {
            promise.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }

    private func after(_ seconds: Double, _ loop: NIOIsolatedEventLoop, _ body: @escaping () -> Void) {
        if seconds <= 0 {
            body()
        } else {
            loop.scheduleTask(in: .nanoseconds(Int64(min(seconds, 86_400) * 1_000_000_000))) { body() }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    static func httpHeaders(_ fields: HeaderFields) -> HTTPHeaders {
        var headers = HTTPHeaders()
        for field in fields { headers.add(name: field.name, value: field.value) }
        return headers
    }
}
