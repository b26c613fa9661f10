import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// An HTTP/1.1 server on loopback that answers the first request of each connection with a
/// keep-alive `200 ok`, and closes the connection without answering when a second request
/// arrives on it: the upstream side of the stale keep-alive race, every time.
final class ClosesReusedConnectionsServer: Sendable {
    let port: Int
    private let channel: any Channel
    private let counts: Counts

    var connections: Int { counts.state.withLock { $0.connections } }
    var requests: Int { counts.state.withLock { $0.requests } }

    private init(channel: any Channel, counts: Counts) {
        self.channel = channel
        self.port = channel.localAddress?.port ?? 0
        self.counts = counts
    }

    static func start() async throws -> ClosesReusedConnectionsServer {
        let counts = Counts()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                counts.state.withLock { $0.connections += 1 }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(counts: counts))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return ClosesReusedConnectionsServer(channel: channel, counts: counts)
    }

    func shutdown() async throws { try await channel.close() }

    private final class Counts: Sendable {
        let state = Mutex((connections: 0, requests: 0))
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let counts: Counts
        var served = 0
        init(counts: Counts) { self.counts = counts }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .end = unwrapInboundIn(data) else { return }
            counts.state.withLock { $0.requests += 1 }
            served += 1
            guard served == 1 else {
                context.close(promise: nil)
                return
            }
            var headers = HTTPHeaders()
            headers.add(name: "Content-Length", value: "2")
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "ok")))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
