import Logging
import NIOCore
import NIOExtras
import NIOHTTP1
import NIOPosix
import Switchyard
import Synchronization

/// The gateway's HTTP/1.1 server on SwiftNIO channel handlers: every route (the LLM endpoints
/// and the rest) goes through `Gateway.handle`. Each connection's requests run on its event
/// loop, and so do their upstream calls when NIO's loops are Swift concurrency's executor
/// (`switchyard serve` installs them), so a request crosses no thread.
public final class HTTPServer: Sendable {
    /// The address it listens on (with the real port when started on port 0).
    public let localAddress: SocketAddress?
    private let channel: any Channel
    private let quiescing: ServerQuiescingHelper
    private let connections: OpenConnections

    private init(channel: any Channel, quiescing: ServerQuiescingHelper, connections: OpenConnections) {
        self.channel = channel
        self.quiescing = quiescing
        self.connections = connections
        self.localAddress = channel.localAddress
    }

    /// The port it listens on.
    public var port: Int { localAddress?.port ?? 0 }

    /// Binds and starts serving `gateway`.
    /// - Parameter idleTimeout: seconds an idle keep-alive connection stays open.
    public static func start(
        _ gateway: Gateway, host: String, port: Int, idleTimeout: Double = 120,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> HTTPServer {
        let quiescing = ServerQuiescingHelper(group: group)
        let connections = OpenConnections()
        let idle = TimeAmount.milliseconds(Int64(min(max(idleTimeout, 1), 86_400) * 1000))
        let channel = try await ServerBootstrap(group: group)
            // A deep accept queue: a burst of thousands of clients connecting at once is normal
            // for a gateway (the usual 256 drops SYNs, and clients then back off for seconds).
            .serverChannelOption(.backlog, value: 8192)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(quiescing.makeServerChannelHandler(channel: channel))
                }
            }
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                connections.add(channel)
                return channel.eventLoop.makeCompletedFuture {
                    // One handler, no NIO HTTP codec: GatewayChannelHandler reads requests with
                    // HTTP1RequestParser, ChannelResponseWriter writes the answers' bytes
                    // (HTTP1ResponseBytes); malformed requests are answered in OpenAI's format,
                    // and pipelining is handled there (NIO's pipelining handler costs two
                    // epoll_ctl calls per request).
                    try channel.pipeline.syncOperations.addHandler(GatewayChannelHandler(gateway: gateway, idleTimeout: idle))
                }
            }
            .bind(host: host, port: port)
            .get()
        return HTTPServer(channel: channel, quiescing: quiescing, connections: connections)
    }

    /// Stops accepting, lets every request in flight finish (streams included), closes idle
    /// connections, and returns once all connections are closed.
    public func drain() async {
        let done = channel.eventLoop.makePromise(of: Void.self)
        quiescing.initiateShutdown(promise: done)
        try? await done.futureResult.get()
    }

    /// Closes the listening socket and every connection at once (requests in flight are
    /// cancelled, which cancels their upstream calls).
    public func close() async {
        try? await channel.close()
        for connection in connections.all { try? await connection.close() }
    }

    /// Connections open now.
    public var openConnections: Int { connections.all.count }
}

/// The open client connections, so that a drain that ran out of time can close them.
final class OpenConnections: Sendable {
    private let channels = Mutex([ObjectIdentifier: any Channel]())

    func add(_ channel: any Channel) {
        let key = ObjectIdentifier(channel)
        channels.withLock { $0[key] = channel }
        channel.closeFuture.whenComplete { _ in _ = self.channels.withLock { $0.removeValue(forKey: key) } }
    }

    var all: [any Channel] { channels.withLock { Array($0.values) } }
}
