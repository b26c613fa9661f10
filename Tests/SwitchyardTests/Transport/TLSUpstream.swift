import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOPosix
import NIOSSL
import NIOTLS
import SwiftASN1
import Synchronization
import X509

/// A self-signed certificate for `localhost` and `127.0.0.1`, made when the tests start: the
/// TLS upstream serves it and the transport under test trusts it (`Settings.trustRoots`).
struct TestCertificate: Sendable {
    let certificate: NIOSSLCertificate
    let privateKey: NIOSSLPrivateKey

    static let shared: TestCertificate? = try? make()

    static func make() throws -> TestCertificate {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName("localhost") }
        let now = Date()
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: now - 3_600, notValidAfter: now + 86_400, issuer: name, subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                SubjectAlternativeNames([.dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))])
            },
            issuerPrivateKey: Certificate.PrivateKey(key))
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return TestCertificate(
            certificate: try NIOSSLCertificate(bytes: serializer.serializedBytes, format: .der),
            privateKey: try NIOSSLPrivateKey(bytes: Array(key.derRepresentation), format: .der))
    }
}

/// An HTTPS upstream on loopback that speaks HTTP/2 or HTTP/1.1 as ALPN decides (it offers
/// `alpn`), answering by path:
/// - `/ok`: `200` with `ok HTTP/<version>`;
/// - `/slow`: the same after 100 ms;
/// - `/stream?chunks=N`: N lines of 512 bytes, numbered, all written at once (the counts keep
///   how many bytes went out to the socket: flow control holds the rest back);
/// - `/goaway`: answered on a connection's first stream; on a later one, GOAWAY naming the first
///   stream as the last processed, then the connection closes;
/// - `/drain`: GOAWAY naming this stream as the last processed, the answer 200 ms later, then
///   the connection closes;
/// - `/die`: the head and `partial-`, then the whole connection closes;
/// - `/reset`: the head and `partial-`, then the stream is reset (RST_STREAM);
/// - `/hang`: the head and `first`, then nothing; `/hang-silent`: nothing at all.
/// It counts connections, requests, the HTTP versions it saw, and streams closed before their
/// answer ended (resets).
final class TLSUpstream: Sendable {
    struct Counts {
        var connections = 0
        var requests = 0
        var versions: [String] = []
        var authorities: [String] = []
        var forbiddenHeaders: [String] = []
        var resets = 0
        var bytesWritten = 0
        /// The most streams open at once on one connection.
        var mostStreams = 0
    }

    let port: Int
    private let channel: any Channel
    private let shared: Shared

    var counts: Counts { shared.state.withLock { $0 } }

    private init(channel: any Channel, counts: Shared) {
        self.channel = channel
        self.port = channel.localAddress?.port ?? 0
        self.shared = counts
    }

    func url(_ path: String) -> String { "https://127.0.0.1:\(port)\(path)" }

    /// `maxStreams`: the SETTINGS_MAX_CONCURRENT_STREAMS it announces.
    static func start(
        alpn: [String] = ["h2", "http/1.1"], maxStreams: Int = 100, certificate: TestCertificate
    ) async throws -> TLSUpstream {
        var http2 = NIOHTTP2Handler.ConnectionConfiguration()
        http2.initialSettings = [
            HTTP2Setting(parameter: .maxConcurrentStreams, value: maxStreams),
            HTTP2Setting(parameter: .maxHeaderListSize, value: 1 << 16),
        ]
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(certificate.certificate)], privateKey: .privateKey(certificate.privateKey))
        configuration.applicationProtocols = alpn
        let context = try NIOSSLContext(configuration: configuration)
        let counts = Shared()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                counts.state.withLock { $0.connections += 1 }
                let connection = ConnectionState()
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                }.flatMap {
                    channel.configureHTTP2SecureUpgrade(
                        h2ChannelConfigurator: { channel in
                            channel.eventLoop.makeCompletedFuture {
                                _ = try channel.pipeline.syncOperations.configureHTTP2Pipeline(
                                    mode: .server, connectionConfiguration: http2, streamConfiguration: .init()
                                ) { stream in
                                    stream.eventLoop.makeCompletedFuture {
                                        try stream.pipeline.syncOperations.addHandler(HTTP2FramePayloadToHTTP1ServerCodec())
                                        try stream.pipeline.syncOperations.addHandler(Handler(counts: counts, connection: connection))
                                    }
                                }
                            }
                        },
                        http1ChannelConfigurator: { channel in
                            channel.eventLoop.makeCompletedFuture {
                                try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                                try channel.pipeline.syncOperations.addHandler(Handler(counts: counts, connection: connection))
                            }
                        })
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return TLSUpstream(channel: channel, counts: counts)
    }

    func shutdown() async throws { try await channel.close() }

    final class Shared: Sendable {
        let state = Mutex(Counts())
    }

    /// What the streams of one connection share (confined to its event loop).
    final class ConnectionState: @unchecked Sendable {
        var firstStream: HTTP2StreamID?
        var streams = 0
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let counts: Shared
        let connection: ConnectionState
        var path = ""
        var ended = false
        var http2 = false

        init(counts: Shared, connection: ConnectionState) {
            self.counts = counts
            self.connection = connection
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                path = head.uri
                http2 = head.version.major == 2
                if http2 { connection.streams += 1 }
                let streams = connection.streams
                let forbidden = head.headers.map(\.name).filter {
                    ["connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection"].contains($0.lowercased())
                }
                counts.state.withLock {
                    $0.requests += 1
                    $0.versions.append("\(head.version.major).\(head.version.minor)")
                    $0.authorities.append(head.headers.first(name: "host") ?? "")
                    $0.forbiddenHeaders += forbidden
                    $0.mostStreams = max($0.mostStreams, streams)
                }
            case .body:
                break
            case .end:
                respond(context: context)
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            if http2 { connection.streams -= 1 }
            if !ended { counts.state.withLock { $0.resets += 1 } }
            context.fireChannelInactive()
        }

        private var streamID: HTTP2StreamID? {
            try? (context?.channel.syncOptions?.getOption(HTTP2StreamChannelOptions.streamID))
        }

        private var context: ChannelHandlerContext?
        func handlerAdded(context: ChannelHandlerContext) { self.context = context }

        private func head(_ context: ChannelHandlerContext, length: Int? = nil) {
            var headers = HTTPHeaders()
            headers.add(name: "content-type", value: "text/plain")
            if let length { headers.add(name: "content-length", value: String(length)) }
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
        }

        private func answer(_ context: ChannelHandlerContext, _ text: String) {
            head(context, length: text.utf8.count)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
            ended = true
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }

        private func respond(context: ChannelHandlerContext) {
            let version = http2 ? "HTTP/2" : "HTTP/1.1"
            let route = path.split(separator: "?").first.map(String.init) ?? path
            let loop = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            switch route {
            case "/ok":
                answer(context, "ok \(version)")
            case "/slow":
                context.eventLoop.scheduleTask(in: .milliseconds(100)) {
                    let (handler, context) = loop.value
                    handler.answer(context, "ok \(version)")
                }
            case "/stream":
                let chunks = path.split(separator: "=").last.flatMap { Int($0) } ?? 100
                head(context, length: chunks * 512)
                for index in 0..<chunks {
                    let written = context.eventLoop.makePromise(of: Void.self)
                    let counts = self.counts
                    written.futureResult.whenSuccess { counts.state.withLock { $0.bytesWritten += 512 } }
                    context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: Self.line(index))))), promise: written)
                }
                ended = true
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            case "/goaway":
                guard http2, let parent = context.channel.parent, let streamID else {
                    answer(context, "ok \(version)")
                    return
                }
                if connection.firstStream == nil || connection.firstStream == streamID {
                    connection.firstStream = streamID
                    answer(context, "ok \(version)")
                    return
                }
                let last = connection.firstStream ?? 0
                let frame = HTTP2Frame(streamID: .rootStream, payload: .goAway(lastStreamID: last, errorCode: .noError, opaqueData: nil))
                ended = true
                parent.writeAndFlush(frame).whenComplete { _ in parent.close(promise: nil) }
            case "/drain":
                guard http2, let parent = context.channel.parent, let streamID else {
                    answer(context, "ok \(version)")
                    return
                }
                let frame = HTTP2Frame(streamID: .rootStream, payload: .goAway(lastStreamID: streamID, errorCode: .noError, opaqueData: nil))
                parent.writeAndFlush(frame, promise: nil)
                context.eventLoop.scheduleTask(in: .milliseconds(200)) {
                    let (handler, context) = loop.value
                    handler.answer(context, "ok \(version)")
                    context.eventLoop.scheduleTask(in: .milliseconds(50)) { parent.close(promise: nil) }
                }
            case "/die":
                head(context)
                context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "partial-")))), promise: nil)
                let connection = (http2 ? context.channel.parent : nil) ?? context.channel
                context.eventLoop.scheduleTask(in: .milliseconds(50)) { connection.close(promise: nil) }
            case "/reset":
                head(context)
                context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "partial-")))), promise: nil)
                context.eventLoop.scheduleTask(in: .milliseconds(50)) {
                    let (_, context) = loop.value
                    context.close(promise: nil)
                }
            case "/hang":
                head(context)
                context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "first")))), promise: nil)
            case "/hang-silent":
                break
            default:
                answer(context, "no route \(path)")
            }
        }

        /// Line `index` of `/stream`: its number, padded to 512 bytes with a newline at the end.
        static func line(_ index: Int) -> String {
            let number = String(index)
            return String(repeating: "0", count: 8 - number.count) + number + String(repeating: ".", count: 503) + "\n"
        }
    }

    /// What `/stream?chunks=N` sends.
    static func streamBody(chunks: Int) -> String { (0..<chunks).map { Handler.line($0) }.joined() }
}
