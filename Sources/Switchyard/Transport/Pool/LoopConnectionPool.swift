import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOPosix
import NIOSSL

/// The connections of one event loop, per upstream endpoint. HTTP/1.1 keep-alive connections
/// carry one exchange at a time: idle ones are reused (most recent first). HTTP/2 connections
/// (TLS endpoints whose server chose `h2` in ALPN) carry many exchanges at once, one stream each,
/// up to the peer's limit. New connections are opened up to `maxConnectionsPerEndpoint`, and
/// past that exchanges wait in line for a connection or a stream to come free. While a
/// connection that may turn out to be HTTP/2 is being opened, the exchanges it could carry wait
/// for it instead of each opening its own. Every method runs on `loop`; `@unchecked Sendable`
/// only so the transport can hold the pools of all loops.
final class LoopConnectionPool: @unchecked Sendable {
    /// A class, so that taking a connection from the idle list does not copy the list out of
    /// the dictionary and back.
    private final class EndpointPool {
        var idle: [UpstreamConnection] = []
        /// HTTP/2 connections that still take new streams (no GOAWAY), oldest first.
        var multiplexed: [UpstreamHTTP2Connection] = []
        var open = 0
        var connecting = 0
        /// What the endpoint's last TLS connection chose in ALPN: nil until one did.
        var speaksHTTP2: Bool?
        var waiting: [UpstreamExchange] = []
        var waitingHead = 0
        var waitingCount: Int { waiting.count - waitingHead }
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

    private func endpointPool(_ key: UpstreamAddress.Endpoint) -> EndpointPool {
        if let existing = endpoints[key] { return existing }
        let pool = EndpointPool()
        endpoints[key] = pool
        return pool
    }

    /// Finds a carrier for `exchange`: a stream of an HTTP/2 connection with room, else an idle
    /// HTTP/1.1 connection unless `fresh`, else a new connection, else a place in line.
    func lease(for exchange: UpstreamExchange, fresh: Bool) {
        let key = exchange.endpoint
        let pool = endpointPool(key)
        if let connection = pool.multiplexed.first(where: { $0.canOpenStream }) {
            connection.open(for: exchange)
            return
        }
        if !fresh, let connection = takeIdle(pool) {
            exchange.attach(connection)
            return
        }
        if !awaitsNegotiation(pool, key, extra: 1) && pool.open + pool.connecting < settings.maxConnectionsPerEndpoint {
            pool.connecting += 1
            connect(key, for: exchange)
        } else {
            pool.waiting.append(exchange)
        }
    }

    /// Whether the connections being opened to `key` (which may turn out to be HTTP/2), and the
    /// HTTP/2 ones still waiting for the peer's SETTINGS, may carry the exchanges in line (and
    /// `extra` more): then those wait for them.
    private func awaitsNegotiation(_ pool: EndpointPool, _ key: UpstreamAddress.Endpoint, extra: Int) -> Bool {
        guard key.tls && settings.http2 && pool.speaksHTTP2 != false else { return false }
        var pending = pool.connecting
        for connection in pool.multiplexed where !connection.settled { pending += 1 }
        return pending > 0 && pool.waitingCount + extra <= pending * max(settings.maxConcurrentStreams, 1)
    }

    /// The most recently idle HTTP/1.1 connection that is still usable.
    private func takeIdle(_ pool: EndpointPool) -> UpstreamConnection? {
        let now = NIODeadline.now()
        while let connection = pool.idle.popLast() {
            if connection.isClosed { continue }
            if now - connection.idleSince > settings.idleTimeout {
                connection.close()
                continue
            }
            return connection
        }
        return nil
    }

    /// Hands the exchanges in line what there is: streams, idle connections, new connections.
    private func dispatch(_ pool: EndpointPool, _ key: UpstreamAddress.Endpoint) {
        while let next = peekWaiting(pool) {
            if let connection = pool.multiplexed.first(where: { $0.canOpenStream }) {
                _ = nextWaiting(pool)
                connection.open(for: next)
            } else if let connection = takeIdle(pool) {
                _ = nextWaiting(pool)
                next.attach(connection)
            } else if !awaitsNegotiation(pool, key, extra: 0) && pool.open + pool.connecting < settings.maxConnectionsPerEndpoint {
                _ = nextWaiting(pool)
                pool.connecting += 1
                connect(key, for: next)
            } else {
                return
            }
        }
    }

    /// An HTTP/1.1 connection finished a response and may serve another.
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

    /// A stream of an HTTP/2 connection closed, or the connection may open more streams.
    func streamFreed(_ connection: UpstreamHTTP2Connection) {
        guard let pool = endpoints[connection.endpoint] else { return }
        dispatch(pool, connection.endpoint)
        if connection.active == 0 && !connection.isDraining { startSweeping() }
    }

    /// An HTTP/2 connection got GOAWAY: no new streams go to it; it closes after its last one.
    func drained(_ connection: UpstreamHTTP2Connection) {
        guard let pool = endpoints[connection.endpoint] else { return }
        pool.multiplexed.removeAll { $0 === connection }
        dispatch(pool, connection.endpoint)
    }

    /// An HTTP/1.1 connection closed: its place can go to the next exchange in line.
    func closed(_ connection: UpstreamConnection) {
        let key = connection.endpoint
        guard let pool = endpoints[key] else { return }
        pool.open -= 1
        if let index = pool.idle.firstIndex(where: { $0 === connection }) { pool.idle.remove(at: index) }
        afterClose(pool, key)
    }

    /// An HTTP/2 connection closed (its streams were told first).
    func closed(_ connection: UpstreamHTTP2Connection) {
        let key = connection.endpoint
        guard let pool = endpoints[key] else { return }
        pool.open -= 1
        pool.multiplexed.removeAll { $0 === connection }
        afterClose(pool, key)
    }

    private func afterClose(_ pool: EndpointPool, _ key: UpstreamAddress.Endpoint) {
        dispatch(pool, key)
        if pool.open == 0 && pool.connecting == 0 && pool.waitingCount == 0 {
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

    /// The first exchange in line that still waits, left in line.
    private func peekWaiting(_ pool: EndpointPool) -> UpstreamExchange? {
        while pool.waitingHead < pool.waiting.count {
            let next = pool.waiting[pool.waitingHead]
            if next.phase == .waiting { return next }
            pool.waitingHead += 1
        }
        pool.waiting.removeAll(keepingCapacity: true)
        pool.waitingHead = 0
        return nil
    }

    /// The first exchange in line that still waits, taken out of the line.
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
        let ready = loop.makePromise(of: NegotiatedConnection.self)
        let tls = key.tls ? self.tls : nil
        // Plain HTTP is HTTP/1.1 from the start; over TLS the upstream's ALPN choice decides.
        let plain = tls == nil ? UpstreamConnection(endpoint: key, pool: self) : nil
        let plainHandler = plain.map { NIOLoopBound($0, eventLoop: loop) }
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(settings.connectTimeout)
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            // Answers are often several kilobytes (a streamed completion arrives at once from a
            // fast upstream): start reads at 16 KB instead of NIO's 2 KB, one read instead of three.
            .channelOption(ChannelOptions.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 1024, initial: 16_384, maximum: 262_144))
            .channelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if let tls {
                        let serverName = key.host.contains(":") || key.host.allSatisfy({ $0.isNumber || $0 == "." }) ? nil : key.host
                        try sync.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName))
                        try sync.addHandler(
                            UpstreamNegotiation(ready: ready, timeout: settings.connectTimeout) { negotiated, context in
                                try self.configure(context, key: key, http2: negotiated == "h2")
                            })
                    } else if let plainHandler {
                        try Self.addHTTP1Handlers(sync, for: plainHandler.value)
                        try sync.addHandler(plainHandler.value)
                    }
                }
            }
        bootstrap.connect(host: key.host, port: key.port).assumeIsolated().whenComplete { result in
            switch result {
            case .success:
                if let plain { ready.assumeIsolated().succeed(.http1(plain)) }
            case .failure(let error):
                ready.fail(error)
            }
        }
        ready.futureResult.assumeIsolated().whenComplete { result in
            let pool = self.endpointPool(key)
            pool.connecting -= 1
            switch result {
            case .success(.http1(let connection)):
                pool.open += 1
                if key.tls && self.settings.http2 { pool.speaksHTTP2 = false }
                if exchange.phase == .waiting {
                    exchange.attach(connection)
                } else {
                    self.release(connection)
                }
                // Those that waited for this connection in case it spoke HTTP/2 open their own.
                self.dispatch(pool, key)
            case .success(.http2(let connection)):
                pool.open += 1
                pool.speaksHTTP2 = true
                pool.multiplexed.append(connection)
                if exchange.phase == .waiting { connection.open(for: exchange) }
                self.dispatch(pool, key)
                if connection.active == 0 { self.startSweeping() }
            case .failure(let error):
                exchange.connectFailed(error)
                guard let pool = self.endpoints[key] else { return }
                if key.tls && self.settings.http2 && pool.speaksHTTP2 != false {
                    // Those that waited to ride on this connection as HTTP/2 streams share its fate.
                    var riders = max(self.settings.maxConcurrentStreams, 1) - 1
                    while riders > 0, pool.waitingCount > pool.connecting * max(self.settings.maxConcurrentStreams, 1),
                        let rider = self.nextWaiting(pool)
                    {
                        rider.connectFailed(error)
                        riders -= 1
                    }
                }
                // The next in line gets its own try (a refused port may come back).
                if let next = self.nextWaiting(pool) {
                    self.lease(for: next, fresh: true)
                } else if pool.open == 0 && pool.connecting == 0 && pool.waitingCount == 0 {
                    self.endpoints[key] = nil
                }
            }
        }
    }

    /// The handlers under an HTTP/1.1 connection's `UpstreamConnection`: the request writer
    /// (fields checked in `PooledHTTPTransport.head`) and the response decoder, both our own.
    private static func addHTTP1Handlers(_ sync: ChannelPipeline.SynchronousOperations, for connection: UpstreamConnection) throws {
        let handlers = UpstreamConnection.HTTP1Handlers(writer: UpstreamRequestWriter(), decoder: UpstreamResponseDecoder())
        try sync.addHandler(handlers.writer)
        try sync.addHandler(handlers.decoder)
        connection.attach(handlers)
    }

    /// Sets up a TLS connection's pipeline for the protocol its upstream chose.
    private func configure(_ context: ChannelHandlerContext, key: UpstreamAddress.Endpoint, http2: Bool) throws -> NegotiatedConnection {
        let sync = context.pipeline.syncOperations
        guard http2 else {
            let connection = UpstreamConnection(endpoint: key, pool: self)
            try Self.addHTTP1Handlers(sync, for: connection)
            try sync.addHandler(connection)
            return .http1(connection)
        }
        var connectionConfiguration = NIOHTTP2Handler.ConnectionConfiguration()
        connectionConfiguration.initialSettings = [
            HTTP2Setting(parameter: .enablePush, value: 0),
            HTTP2Setting(parameter: .maxConcurrentStreams, value: 100),
            HTTP2Setting(parameter: .maxHeaderListSize, value: 1 << 16),
        ]
        // The connection's window comes back as frames arrive, whoever reads them; a paused
        // stream holds back only its own window.
        connectionConfiguration.targetWindowSize = 8 << 20
        var streamConfiguration = NIOHTTP2Handler.StreamConfiguration()
        streamConfiguration.targetWindowSize = min(max(settings.bodyHighWatermark, 65_535), 1 << 20)
        let multiplexer = try sync.configureHTTP2Pipeline(
            mode: .client, connectionConfiguration: connectionConfiguration, streamConfiguration: streamConfiguration,
            inboundStreamInitializer: { channel in channel.close() })
        let connection = UpstreamHTTP2Connection(endpoint: key, pool: self, multiplexer: multiplexer)
        try sync.addHandler(connection)
        return .http2(connection)
    }

    /// Closes idle connections past the idle timeout, every half timeout while any are idle.
    private func startSweeping() {
        guard sweeper == nil else { return }
        let interval = settings.idleTimeout.nanoseconds / 2
        sweeper = loop.scheduleRepeatedTask(initialDelay: .nanoseconds(interval), delay: .nanoseconds(interval)) { [self] task in
            let now = NIODeadline.now()
            var anyIdle = false
            for pool in endpoints.values {
                for connection in pool.multiplexed where connection.active == 0 {
                    if now - connection.idleSince > settings.idleTimeout {
                        connection.close()
                    } else {
                        anyIdle = true
                    }
                }
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
