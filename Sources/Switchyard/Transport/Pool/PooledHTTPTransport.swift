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
        try Self.check(request)
        let exchange = UpstreamExchange(endpoint: address.endpoint, request: request, address: address, pool: pool)
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

    /// Checks the caller's fields before anything is sent.
    /// - Throws: `.invalidRequest` for a field that would break the request's framing (a name that
    ///   is not a token, a value with CR, LF or NUL: an API key read with its trailing newline).
    ///   This check stands in for NIO's outbound header validator, which the pipelines leave out
    ///   (a handler of its own that walked every header again on every request).
    static func check(_ request: UpstreamRequest) throws(TransportError) {
        // Fields the transport drops anyway (framing, hop-by-hop) are not judged.
        for field in request.headers.fields where !HeaderFields.isFraming(field.name) && !isHopByHop(field.name, field.value) {
            guard HeaderFields.isToken(field.name) else { throw .invalidRequest("header name \"\(field.name)\" is not a valid HTTP field name") }
            guard HeaderFields.isFieldValue(field.value) else {
                throw .invalidRequest("header \(field.name) has a line break or NUL in its value")
            }
        }
    }

    /// The fields a request goes out with (after `check`): the caller's, plus `Host` and
    /// `Content-Length` when missing. Framing and hop-by-hop fields are the transport's own, and
    /// HTTP/2 forbids them, so the caller's are left out; on HTTP/2 the codec turns `Host` into
    /// `:authority`.
    @inline(__always)
    static func forEachField(_ request: UpstreamRequest, _ address: UpstreamAddress, _ body: (String, String) -> Void) {
        var hasHost = false
        for field in request.headers.fields {
            if HeaderFields.isFraming(field.name) || isHopByHop(field.name, field.value) { continue }
            if HeaderFields.sameName(field.name, "host") { hasHost = true }
            body(field.name, field.value)
        }
        if !hasHost { body("Host", address.hostHeader) }
        if !request.body.isEmpty || request.method == "POST" || request.method == "PUT" || request.method == "PATCH" {
            body("Content-Length", String(request.body.count))
        }
    }

    /// The request head, for an HTTP/2 stream.
    static func head(_ request: UpstreamRequest, _ address: UpstreamAddress) -> HTTPRequestHead {
        var headers = HTTPHeaders()
        headers.reserveCapacity(request.headers.fields.count + 2)
        forEachField(request, address) { headers.add(name: $0, value: $1) }
        return HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: request.method), uri: address.target, headers: headers)
    }

    /// The whole request as HTTP/1.1 bytes, head and body in one buffer: what an HTTP/1.1
    /// connection writes, with no head built and no parts sent through its pipeline.
    static func http1Bytes(_ request: UpstreamRequest, _ address: UpstreamAddress, allocator: ByteBufferAllocator) -> ByteBuffer {
        var size = 48 + request.method.utf8.count + address.target.utf8.count + address.hostHeader.utf8.count + request.body.count
        for field in request.headers.fields { size += field.name.utf8.count + field.value.utf8.count + 4 }
        var buffer = allocator.buffer(capacity: size)
        buffer.writeString(request.method)
        buffer.writeInteger(UInt8(ascii: " "))
        buffer.writeString(address.target)
        buffer.writeStaticString(" HTTP/1.1\r\n")
        forEachField(request, address) { name, value in
            buffer.writeString(name)
            buffer.writeStaticString(": ")
            buffer.writeString(value)
            buffer.writeStaticString("\r\n")
        }
        buffer.writeStaticString("\r\n")
        buffer.writeBytes(request.body)
        return buffer
    }

    /// Connection-specific fields (RFC 9110 § 7.6.1, RFC 9113 § 8.2.2); `TE: trailers` may stay.
    static func isHopByHop(_ name: String, _ value: String) -> Bool {
        if HeaderFields.sameName(name, "te") { return !HeaderFields.sameName(value, "trailers") }
        return HeaderFields.sameName(name, "keep-alive") || HeaderFields.sameName(name, "proxy-connection")
            || HeaderFields.sameName(name, "upgrade")
    }
}
