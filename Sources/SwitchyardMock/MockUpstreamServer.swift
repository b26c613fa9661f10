import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization
import SwitchyardProviders

/// `switchyard mock-upstream`: an HTTP/1.1 server on SwiftNIO that impersonates OpenAI's API
/// (chat, streaming, embeddings, models) with the faults of `MockDirective`, played out for
/// real: delays, stalled streams, connections broken mid-body. For tests, demos and benchmarks.
public final class MockUpstreamServer: Sendable {
    /// The port it listens on (useful when started on port 0).
    public let port: Int
    public let host: String
    private let channel: any Channel
    private let accepted: Counter

    private init(channel: any Channel, host: String, port: Int, accepted: Counter) {
        self.channel = channel
        self.host = host
        self.port = port
        self.accepted = accepted
    }

    /// How many connections it has accepted (tells a test whether a client reused them).
    public var acceptedConnections: Int { accepted.value }

    /// Starts listening; returns once bound.
    public static func start(
        host: String = "127.0.0.1", port: Int = 0, responder: MockResponder = MockResponder(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> MockUpstreamServer {
        let accepted = Counter()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 8192)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                accepted.increment()
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(MockHTTPHandler(responder: responder))
                }
            }
            .bind(host: host, port: port)
            .get()
        let boundPort = channel.localAddress?.port ?? port
        return MockUpstreamServer(channel: channel, host: host, port: boundPort, accepted: accepted)
    }

    /// The base URL of its OpenAI API, e.g. `http://127.0.0.1:PORT/v1`.
    public var baseURL: String { "http://\(host):\(port)/v1" }

    /// The base URL with a fault directive, e.g. `fault("fail_first=2")` → `http://…/fault/fail_first=2/v1`.
    public func baseURL(fault directive: String) -> String { "http://\(host):\(port)/fault/\(directive)/v1" }

    /// Stops listening and closes the listening socket.
    public func shutdown() async throws {
        try await channel.close()
    }

    /// Waits until the listening socket closes.
    public func waitUntilClosed() async throws {
        try await channel.closeFuture.get()
    }
}

/// A thread-safe count.
final class Counter: Sendable {
    private let count = Atomic(0)
    func increment() { count.add(1, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}
