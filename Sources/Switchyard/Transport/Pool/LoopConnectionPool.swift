import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The keep-alive connections of one event loop, per upstream endpoint: idle ones are reused
/// (most recent first), new ones are opened up to `maxConnectionsPerEndpoint`, and past that
/// exchanges wait in line for the next connection to come free. Every method runs on `loop`;
/// `@unchecked Sendable` only so the transport can hold the pools of all loops.
final class LoopConnectionPool: @unchecked Sendable {
    /// A class, so that taking a connection from the idle list does not copy the list out of
    /// the dictionary and back.
    private final class EndpointPool {
        var idle: [UpstreamConnection] = []
        var open = 0
        var connecting = 0
        var waiting: [UpstreamExchange] = []
        var waitingHead = 0
    }

    let loop: any EventLoop
    let settings: PooledHTTPTransport.Settings
    private let tls: NIOSSLContext?
    private var endpoints: [UpstreamAddress.Endpoint: EndpointPool] = [:]
    private var sweeper: RepeatedTask?
    /// URLs already read (a deployment sends every request to the same few), bounded.
    private var addresses: [String: UpstreamAddress] = [:]
    var tlsUnavailable: Bool { tls == nil }

    init(loop: any EventLoop, settings: PooledHTTPTransport.Settings, tls: NIOSSLContext?) {
        self.loop = loop
        self.settings = settings
        self.tls = tls
    }

    /// `url` read as an address, from the cache when it was seen before.
    func address(of url: String) -> UpstreamAddress? {
        if let known = addresses[url] { return known }
        guard let parsed = UpstreamAddress(url) else { return nil }
        if addresses.count >= 512 { addresses.removeAll(keepingCapacity: true) }
        addresses[url] = parsed
        return parsed
    }

    /// Finds a connection for `exchange`: an idle one unless `fresh`, else a new one, else a
    /// place in line.
    func lease(for exchange: UpstreamExchange, fresh: Bool) {
        let key = exchange.endpoint
        let pool: EndpointPool
        if let existing = endpoints[key] {
            pool = existing
        } else {
            pool = EndpointPool()
            endpoints[key] = pool
        }
        if !fresh {
            let now = NIODeadline.now()
            while let connection = pool.idle.popLast() {
                if connection.isClosed { continue }
                if now - connection.idleSince > settings.idleTimeout {
                    connection.close()
                    continue
                }
                exchange.attach(connection)
                return
            }
        }
        if pool.open + pool.connecting < settings.maxConnectionsPerEndpoint {
            pool.connecting += 1
            connect(key, for: exchange)
        } else {
            pool.waiting.append(exchange)
        }
    }

    /// A connection finished a response and may serve another.
    func release(_ connection: UpstreamConnection) {
        guard !connection.isClosed else { return }
        let key = connection.endpoint
        guard let pool = endpoints[key] else {
            connection.close()
            return
        }
        if let next = nextWaiting(pool) {
            next.attach(connection)
            return
        }
        if pool.idle.count >= settings.maxIdlePerEndpoint {
            connection.close()
        } else {
            connection.idleSince = .now()
            pool.idle.append(connection)
            startSweeping()
        }
    }

    /// A connection closed: its place can go to the next exchange in line.
    func closed(_ connection: UpstreamConnection) {
        let key = connection.endpoint
        guard let pool = endpoints[key] else { return }
        pool.open -= 1
        if let index = pool.idle.firstIndex(where: { $0 === connection }) { pool.idle.remove(at: index) }
        if let next = nextWaiting(pool) {
            pool.connecting += 1
            connect(key, for: next)
            return
        }
        if pool.open == 0 && pool.connecting == 0 && pool.waiting.isEmpty {
            endpoints[key] = nil
        }
    }

    /// An exchange that gave up while waiting in line.
    func forget(_ exchange: UpstreamExchange) {
        guard let pool = endpoints[exchange.endpoint] else { return }
        if let index = pool.waiting[pool.waitingHead...].firstIndex(where: { $0 === exchange }) {
            pool.waiting.remove(at: index)
        }
    }

    private func nextWaiting(_ pool: EndpointPool) -> UpstreamExchange? {
        while pool.waitingHead < pool.waiting.count {
            let next = pool.waiting[pool.waitingHead]
            pool.waitingHead += 1
            if pool.waitingHead == pool.waiting.count {
                pool.waiting.removeAll(keepingCapacity: true)
                pool.waitingHead = 0
            }
            if next.phase == .waiting { return next }
        }
        return nil
    }

    private func connect(_ key: UpstreamAddress.Endpoint, for exchange: UpstreamExchange) {
        let connection = UpstreamConnection(endpoint: key, pool: self)
        let handler = NIOLoopBound(connection, eventLoop: loop)
        let tls = key.tls ? self.tls : nil
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(settings.connectTimeout)
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            // Answers are often several kilobytes (a streamed completion arrives at once from a
            // fast upstream): start reads at 16 KB instead of NIO's 2 KB, one read instead of three.
            .channelOption(ChannelOptions.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 1024, initial: 16_384, maximum: 262_144))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if let tls {
                        let serverName = key.host.contains(":") || key.host.allSatisfy({ $0.isNumber || $0 == "." }) ? nil : key.host
                        try sync.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName))
                    }
                    try sync.addHTTPClientHandlers()
                    try sync.addHandler(handler.value)
                }
            }
        bootstrap.connect(host: key.host, port: key.port).assumeIsolated().whenComplete { result in
            let pool: EndpointPool
            if let existing = self.endpoints[key] {
                pool = existing
            } else {
                pool = EndpointPool()
                self.endpoints[key] = pool
            }
            pool.connecting -= 1
            switch result {
            case .success:
                pool.open += 1
                if exchange.phase == .waiting {
                    exchange.attach(connection)
                } else {
                    self.release(connection)
                }
            case .failure(let error):
                exchange.connectFailed(error)
                // The next in line gets its own try (a refused port may come back).
                guard let pool = self.endpoints[key] else { return }
                if let next = self.nextWaiting(pool) {
                    self.lease(for: next, fresh: true)
                } else if pool.open == 0 && pool.connecting == 0 && pool.waiting.isEmpty {
                    self.endpoints[key] = nil
                }
            }
        }
    }

    /// Closes idle connections past the idle timeout, every half timeout while any are idle.
    private func startSweeping() {
        guard sweeper == nil else { return }
        let interval = settings.idleTimeout.nanoseconds / 2
        sweeper = loop.scheduleRepeatedTask(initialDelay: .nanoseconds(interval), delay: .nanoseconds(interval)) { [self] task in
            let now = NIODeadline.now()
            var anyIdle = false
            for pool in endpoints.values {
                let (stale, fresh) = pool.idle.reduce(into: ([UpstreamConnection](), [UpstreamConnection]())) { split, connection in
                    if now - connection.idleSince > settings.idleTimeout { split.0.append(connection) } else { split.1.append(connection) }
                }
                pool.idle = fresh
                anyIdle = anyIdle || !fresh.isEmpty
                for connection in stale { connection.close() }
            }
            if !anyIdle {
                task.cancel()
                sweeper = nil
            }
        }
    }
}
