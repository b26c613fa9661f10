import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import SwitchyardProviders

/// The `Transport` on SwiftNIO channels of the project's own: per event loop, a connection pool
/// per upstream endpoint (TLS through swift-nio-ssl), bounded, with a connect timeout, an idle
/// timeout, the stale keep-alive race retried once, and back-pressure from the body's reader.
/// Plain `http://` is HTTP/1.1 keep-alive; over TLS the transport offers `h2` and `http/1.1` in
/// ALPN, and an upstream that chooses `h2` gets its requests as streams of shared HTTP/2
/// connections (swift-nio-http2). The whole exchange after the caller's first hop runs on one event
/// loop with no locks; the body's bytes cross to the caller through `UpstreamBody`.
public struct PooledHTTPTransport: Transport {
    public struct Settings: Sendable {
        /// How long a new connection (TCP and TLS) may take.
        public var connectTimeout: TimeAmount = .seconds(10)
        /// How long a connection may sit idle in the pool before it is closed.
        public var idleTimeout: TimeAmount = .seconds(60)
        /// Open connections per endpoint on one event loop; past it, requests wait in line.
        public var maxConnectionsPerEndpoint = 8_192
        /// Idle connections kept per endpoint on one event loop.
        public var maxIdlePerEndpoint = 1_024
        /// Body bytes buffered for a slow reader before the connection (or HTTP/2 stream) stops
        /// reading.
        public var bodyHighWatermark = 256 * 1_024
        /// Offer HTTP/2 (ALPN `h2`) to TLS upstreams; off, every connection is HTTP/1.1.
        public var http2 = true
        /// Streams at once on one HTTP/2 connection (lower when the upstream's
        /// SETTINGS_MAX_CONCURRENT_STREAMS is); past it, another connection or the waiting line.
        public var maxConcurrentStreams = 100
        /// The certificates TLS upstreams are checked against: the system's by default; a file
        /// or directory of PEM certificates (or certificates in memory) for a private CA.
        public var trustRoots: NIOSSLTrustRoots = .default

        public init() {}
    }

    /// The process-wide transport on NIO's shared event loops.
    public static let shared = PooledHTTPTransport()

    private let pools: [ObjectIdentifier: LoopConnectionPool]
    private let group: any EventLoopGroup

    public init(settings: Settings = Settings(), group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.applicationProtocols = settings.http2 ? ["h2", "http/1.1"] : ["http/1.1"]
        configuration.trustRoots = settings.trustRoots
        let tls = try? NIOSSLContext(configuration: configuration)
        var pools: [ObjectIdentifier: LoopConnectionPool] = [:]
        for loop in group.makeIterator() {
            pools[ObjectIdentifier(loop)] = LoopConnectionPool(loop: loop, settings: settings, tls: tls)
        }
        self.pools = pools
        self.group = group
    }

    public func execute(_ request: UpstreamRequest, deadline: Double) async throws(TransportError) -> TransportResponse {
        let loop = group.any()
        guard let pool = pools[ObjectIdentifier(loop)] else { throw .invalidRequest("no connection pool for this event loop") }
        let onLoop = loop.inEventLoop
        guard let address = onLoop ? pool.address(of: request.url) : UpstreamAddress(request.url) else {
            throw .invalidRequest("not an http(s) URL: \(request.url)")
        }
        if address.endpoint.tls && pool.tlsUnavailable { throw .connectFailed("TLS is not available in this process") }
        let head = try Self.head(request, address)
        let exchange = UpstreamExchange(endpoint: address.endpoint, head: head, body: ByteBuffer(bytes: request.body), pool: pool)
        do {
            return try await withTaskCancellationHandler {
                try await withUnsafeThrowingContinuation { (response: UnsafeContinuation<TransportResponse, any Error>) in
                    if onLoop {
                        exchange.start(deadline: deadline, response: response)  // the usual case: the caller's task runs on this loop
                    } else {
                        loop.execute { exchange.start(deadline: deadline, response: response) }
                    }
                }
            } onCancel: {
                loop.execute { exchange.fail(.cancelled) }
            }
        } catch let error as TransportError {
            throw error
        } catch {
            throw .connectionClosed(UpstreamExchange.describe(error))
        }
    }

    /// The request head: the caller's headers, plus `Host` and `Content-Length` when missing.
    /// Framing and hop-by-hop fields are the transport's own, and HTTP/2 forbids them, so the
    /// caller's are left out; on HTTP/2 the codec turns `Host` into `:authority`.
    /// - Throws: `.invalidRequest` for a field that would break the request's framing (a name that
    ///   is not a token, a value with CR, LF or NUL: an API key read with its trailing newline).
    ///   This check stands in for NIO's outbound header validator, which the pipelines leave out
    ///   (a handler of its own that walked every header again on every request).
    static func head(_ request: UpstreamRequest, _ address: UpstreamAddress) throws(TransportError) -> HTTPRequestHead {
        var headers = HTTPHeaders()
        headers.reserveCapacity(request.headers.fields.count + 2)
        var hasHost = false
        for field in request.headers {
            if HeaderFields.isFraming(field.name) || isHopByHop(field.name, field.value) { continue }
            guard HeaderFields.isToken(field.name) else { throw .invalidRequest("header name \"\(field.name)\" is not a valid HTTP field name") }
            guard HeaderFields.isFieldValue(field.value) else {
                throw .invalidRequest("header \(field.name) has a line break or NUL in its value")
            }
            if HeaderFields.sameName(field.name, "host") { hasHost = true }
            headers.add(name: field.name, value: field.value)
        }
        if !hasHost { headers.add(name: "Host", value: address.hostHeader) }
        if !request.body.isEmpty || request.method == "POST" || request.method == "PUT" || request.method == "PATCH" {
            headers.add(name: "Content-Length", value: String(request.body.count))
        }
        return HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: request.method), uri: address.target, headers: headers)
    }

    /// Connection-specific fields (RFC 9110 § 7.6.1, RFC 9113 § 8.2.2); `TE: trailers` may stay.
    static func isHopByHop(_ name: String, _ value: String) -> Bool {
        if HeaderFields.sameName(name, "te") { return !HeaderFields.sameName(value, "trailers") }
        return HeaderFields.sameName(name, "keep-alive") || HeaderFields.sameName(name, "proxy-connection")
            || HeaderFields.sameName(name, "upgrade")
    }
}
