import NIOCore
import NIOHTTP1
import Switchyard
import Synchronization

/// Writes a `GatewayResponse` onto a client connection. A streamed body's chunks are flushed
/// as soon as the task that writes them pauses (one flush, one system call, for everything it
/// wrote in one go: the frames of a batch, `[DONE]` and the end); when the client reads slower
/// than the upstream sends, each write waits until it reaches the socket (back-pressure), and a
/// client that went away fails the write, which ends the stream and cancels the upstream call.
struct ChannelResponseWriter: Sendable {
    let channel: any Channel
    let version: HTTPVersion
    let keepAlive: Bool
    /// When not keeping the connection alive: close it once the answer is written. False when
    /// the client is still sending a request that was answered early (the handler closes then).
    var closeAfterAnswer = true

    /// The client went away in the middle of a streamed body.
    struct ClientGone: Error {}

    func write(_ response: GatewayResponse) async {
        switch response.body {
        case .bytes:
            writeWhole(response)
        case .stream(let produce):
            channel.write(HTTPServerResponsePart.head(head(response, contentLength: nil)), promise: nil)
            let flusher = Flusher(channel: channel)
            var writer: any ResponseChunkWriter = Chunks(channel: channel, flusher: flusher)
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
        if keepAlive || !closeAfterAnswer {
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
        headers.reserveCapacity(response.headers.fields.count + 2)
        for field in response.headers {
            if HeaderFields.isFraming(field.name) { continue }
            headers.add(name: field.name, value: field.value)
        }
        if let contentLength { headers.add(name: "Content-Length", value: String(contentLength)) }
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        return HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
    }

    /// The streamed body's writer.
    private struct Chunks: ResponseChunkWriter {
        let channel: any Channel
        let flusher: Flusher

        mutating func write(_ bytes: [UInt8]) async throws {
            try await write(bytes, flush: true)
        }

        mutating func write(_ bytes: [UInt8], flush: Bool) async throws {
            guard channel.isActive else { throw ClientGone() }
            guard !bytes.isEmpty else { return }  // an empty chunk would end a chunked body
            let part = HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(bytes: bytes)))
            if channel.isWritable {
                channel.write(part, promise: nil)
                if flush { flusher.flushSoon() }
            } else {
                // The client is behind: wait until this write reaches the socket.
                let written = channel.eventLoop.makePromise(of: Void.self)
                channel.writeAndFlush(part, promise: written)
                do { try await written.futureResult.get() } catch { throw ClientGone() }
            }
        }
    }

    /// Flushes once after the writes made before the writing task next lets the event loop run
    /// (when that task runs on the connection's event loop, as under `switchyard serve`).
    final class Flusher: Sendable {
        let channel: any Channel
        private let pending = Atomic(false)

        init(channel: any Channel) { self.channel = channel }

        func flushSoon() {
            // Off the event loop a write travels through the loop's queue, and a flush queued
            // earlier could run before it: flush at once instead.
            guard channel.eventLoop.inEventLoop else {
                channel.flush()
                return
            }
            guard pending.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
            channel.eventLoop.execute { [self] in
                pending.store(false, ordering: .releasing)
                channel.flush()
            }
        }
    }
}
