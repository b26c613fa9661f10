import NIOCore
import NIOHTTP1
import Switchyard

/// Writes a `GatewayResponse` onto a client connection. A streamed body is flushed chunk by
/// chunk; when the client reads slower than the upstream sends, each write waits for the
/// previous one to reach the socket (back-pressure), and a client that went away fails the
/// write, which ends the stream and cancels the upstream call.
struct ChannelResponseWriter: Sendable {
    let channel: any Channel
    let version: HTTPVersion
    let keepAlive: Bool

    /// The client went away in the middle of a streamed body.
    struct ClientGone: Error {}

    func write(_ response: GatewayResponse) async {
        switch response.body {
        case .bytes:
            writeWhole(response)
        case .stream(let produce):
            channel.write(HTTPServerResponsePart.head(head(response, contentLength: nil)), promise: nil)
            var writer: any ResponseChunkWriter = Chunks(channel: channel)
            do {
                try await produce(&writer)
                end()
            } catch {
                channel.close(promise: nil)
            }
        }
    }

    /// A response with its whole body at once (the body of a stream response is ignored).
    func writeWhole(_ response: GatewayResponse) {
        guard case .bytes(let bytes) = response.body else { return }
        channel.write(HTTPServerResponsePart.head(head(response, contentLength: bytes.count)), promise: nil)
        if !bytes.isEmpty { channel.write(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(bytes: bytes))), promise: nil) }
        end()
    }

    private func end() {
        if keepAlive {
            channel.writeAndFlush(HTTPServerResponsePart.end(nil), promise: nil)
        } else {
            let channel = self.channel
            let written = channel.eventLoop.makePromise(of: Void.self)
            channel.writeAndFlush(HTTPServerResponsePart.end(nil), promise: written)
            written.futureResult.whenComplete { _ in channel.close(promise: nil) }
        }
    }

    private func head(_ response: GatewayResponse, contentLength: Int?) -> HTTPResponseHead {
        var headers = HTTPHeaders()
        for field in response.headers {
            let name = field.name.lowercased()
            if name == "content-length" || name == "transfer-encoding" || name == "connection" { continue }
            headers.add(name: field.name, value: field.value)
        }
        if let contentLength { headers.add(name: "Content-Length", value: String(contentLength)) }
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        return HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
    }

    /// The streamed body's writer.
    private struct Chunks: ResponseChunkWriter {
        let channel: any Channel

        mutating func write(_ bytes: [UInt8]) async throws {
            guard channel.isActive else { throw ClientGone() }
            let part = HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(bytes: bytes)))
            if channel.isWritable {
                channel.writeAndFlush(part, promise: nil)
            } else {
                // The client is behind: wait until this write reaches the socket.
                let written = channel.eventLoop.makePromise(of: Void.self)
                channel.writeAndFlush(part, promise: written)
                do { try await written.futureResult.get() } catch { throw ClientGone() }
            }
        }
    }
}
