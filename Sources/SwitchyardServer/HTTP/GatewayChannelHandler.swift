import NIOCore
import NIOHTTP1
import Switchyard

/// One client connection: collects each request (refusing bodies over the limit without
/// buffering them), answers it through the gateway in a task of its own, and writes the answer
/// back, streamed bodies included. A client that goes away cancels its request, which cancels
/// the upstream call. Requests on one connection are answered in order (NIO's pipelining
/// assistance holds the next one back). Confined to the channel's event loop.
final class GatewayChannelHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let gateway: Gateway
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var limit = 0
    private var tooLarge = false
    private var inFlight: Task<Void, Never>?

    init(gateway: Gateway) {
        self.gateway = gateway
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            limit = gateway.maxRequestBytes
            body.clear()
            let declared = head.headers.first(name: "content-length").flatMap { Int($0) } ?? 0
            tooLarge = declared > limit
            if !tooLarge && declared > 0 { body.reserveCapacity(declared) }
        case .body(var part):
            guard !tooLarge else { return }
            if body.readableBytes + part.readableBytes > limit {
                tooLarge = true
                body.clear()
            } else {
                body.writeBuffer(&part)
            }
        case .end:
            guard let head else { return }
            self.head = nil
            respond(to: head, context: context)
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let channel = context.channel
        let keepAlive = head.isKeepAlive
        if tooLarge {
            tooLarge = false
            let response = ErrorResponses.openAI(ErrorResponses.tooLarge(limit: limit))
            ChannelResponseWriter(channel: channel, version: head.version, keepAlive: false).writeWhole(response)
            return
        }
        var headers = HeaderFields()
        for (name, value) in head.headers { headers.add(name, value) }
        let (path, query) = GatewayRequest.split(uri: head.uri)
        let request = GatewayRequest(
            method: head.method.rawValue, path: path, query: query, headers: headers,
            body: body.readableBytes == 0 ? [] : Array(body.readableBytesView))
        body.clear()
        let gateway = self.gateway
        let writer = ChannelResponseWriter(channel: channel, version: head.version, keepAlive: keepAlive)
        let finished = NIOLoopBound(self, eventLoop: context.eventLoop)
        let loop = context.eventLoop
        inFlight = Task {
            let response = await gateway.handle(request)
            await writer.write(response)
            loop.execute { finished.value.inFlight = nil }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        inFlight?.cancel()
        inFlight = nil
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            // An idle keep-alive connection; one that is still answering stays open.
            if inFlight == nil && head == nil { context.close(promise: nil) }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
