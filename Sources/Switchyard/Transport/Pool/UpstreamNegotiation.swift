import NIOCore
import NIOTLS

/// What a new connection turned out to speak, with the handler that carries its exchanges.
enum NegotiatedConnection {
    case http1(UpstreamConnection)
    case http2(UpstreamHTTP2Connection)
}

/// Sits behind the TLS handler while a TLS connection starts: once the handshake completes it
/// sets up the pipeline for the protocol the upstream chose in ALPN (`configure`: HTTP/2 for
/// `h2`, HTTP/1.1 otherwise), steps out, and fulfils `ready`. A failed handshake, a connection
/// that closes first, or one that takes longer than `timeout` fails `ready` and closes.
/// Confined to its channel's event loop.
final class UpstreamNegotiation: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let ready: EventLoopPromise<NegotiatedConnection>
    private let configure: (String?, ChannelHandlerContext) throws -> NegotiatedConnection
    private let timeout: TimeAmount
    private var timer: Scheduled<Void>?
    private var done = false

    init(
        ready: EventLoopPromise<NegotiatedConnection>, timeout: TimeAmount,
        configure: @escaping (String?, ChannelHandlerContext) throws -> NegotiatedConnection
    ) {
        self.ready = ready
        self.timeout = timeout
        self.configure = configure
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
            let (handler, context) = loopBound.value
            handler.failed(ChannelError.connectTimeout(handler.timeout), context: context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tls = event as? TLSUserEvent, case .handshakeCompleted(let negotiated) = tls, !done {
            done = true
            timer?.cancel()
            do {
                let connection = try configure(negotiated, context)
                context.fireUserInboundEventTriggered(event)
                context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
                ready.assumeIsolated().succeed(connection)
            } catch {
                ready.fail(error)
                context.close(promise: nil)
            }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard !done else {
            context.fireErrorCaught(error)
            return
        }
        failed(error, context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failed(ChannelError.eof, context: context)
        context.fireChannelInactive()
    }

    private func failed(_ error: any Error, context: ChannelHandlerContext) {
        guard !done else { return }
        done = true
        timer?.cancel()
        ready.fail(error)
        context.close(promise: nil)
    }
}
