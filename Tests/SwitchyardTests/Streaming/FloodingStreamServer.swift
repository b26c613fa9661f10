import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// An upstream on loopback that answers every request with an endless OpenAI chat stream,
/// written as fast as the connection takes it (it waits only while the socket is full), and
/// counts the bytes the kernel accepted: how far a reader let it get.
final class FloodingStreamServer: Sendable {
    let port: Int
    private let channel: any Channel
    private let counts: Counts

    /// Bytes of the answer accepted by the connection so far.
    var bytesWritten: Int { counts.state.withLock { $0.bytes } }
    /// Whether the client closed its connection.
    var clientClosed: Bool { counts.state.withLock { $0.closed } }
    var baseURL: String { "http://127.0.0.1:\(port)/v1" }

    private init(channel: any Channel, counts: Counts) {
        self.channel = channel
        self.port = channel.localAddress?.port ?? 0
        self.counts = counts
    }

    static func start() async throws -> FloodingStreamServer {
        let counts = Counts()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(counts: counts))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return FloodingStreamServer(channel: channel, counts: counts)
    }

    func shutdown() async throws { try await channel.close() }

    private final class Counts: Sendable {
        let state = Mutex((bytes: 0, closed: false))
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let counts: Counts
        var streaming = false
        var sent = 0
        /// One chunk of about 1 KB of content.
        let frame: ByteBuffer = {
            let text = String(repeating: "flood ", count: 170)
            return ByteBuffer(string: "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\(text)\"},\"finish_reason\":null}]}\n\n")
        }()

        init(counts: Counts) { self.counts = counts }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .end = unwrapInboundIn(data), !streaming else { return }
            streaming = true
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "text/event-stream")
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
            pump(context)
        }

        func channelWritabilityChanged(context: ChannelHandlerContext) {
            if context.channel.isWritable { pump(context) }
            context.fireChannelWritabilityChanged()
        }

        func channelInactive(context: ChannelHandlerContext) {
            counts.state.withLock { $0.closed = true }
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }

        /// Writes frames until the channel is full (then `channelWritabilityChanged` resumes).
        private func pump(_ context: ChannelHandlerContext) {
            let counts = self.counts
            let size = frame.readableBytes
            while streaming && context.channel.isActive && context.channel.isWritable {
                let promise = context.eventLoop.makePromise(of: Void.self)
                promise.futureResult.whenSuccess { counts.state.withLock { $0.bytes += size } }
                context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(frame))), promise: promise)
                sent += 1
            }
        }
    }
}
