import NIOCore
import NIOHTTP1
import Switchyard

/// Writes a `GatewayResponse` onto a client connection. An answer is flushed once the event
/// loop has run the work it has ready (`LoopFlushes`: with the answers of other connections
/// finished in the same round), and so are a streamed body's chunks (one flush, one system
/// call, for everything the stream wrote in one go: the frames of a batch, `[DONE]` and the
/// end); when the client reads slower than the upstream sends, each write waits until it
/// reaches the socket (back-pressure), and a client that went away fails the write, which ends
/// the stream and cancels the upstream call.
struct ChannelResponseWriter: Sendable {
    let channel: any Channel
    let version: HTTPVersion
    let keepAlive: Bool
    /// The request was `HEAD`: the head says what the body would be, and no body follows.
    let bodyless: Bool
    /// When not keeping the connection alive: close it once the answer is written. False when
    /// the client is still sending a request that was answered early (the handler closes then).
    var closeAfterAnswer = true

    init(channel: any Channel, version: HTTPVersion, keepAlive: Bool, bodyless: Bool = false) {
        self.channel = channel
        self.version = version
        self.keepAlive = keepAlive
        self.bodyless = bodyless
    }

    /// The client went away in the middle of a streamed body.
    struct ClientGone: Error {}

    func write(_ response: GatewayResponse) async {
        switch response.body {
        case .bytes:
            writeWhole(response)
        case .stream(let produce):
            // HTTP/1.0 has no chunked encoding: its streamed body ends with the connection.
            let chunked = version.major > 1 || (version.major == 1 && version.minor >= 1)
            let keepAlive = self.keepAlive && chunked
            var head = channel.allocator.buffer(capacity: HTTP1ResponseBytes.headCapacity(response.headers))
            HTTP1ResponseBytes.writeHead(
                status: response.status, version: version, fields: response.headers,
                framing: chunked ? .chunked : .untilClose, persistence: persistence(keepAlive), into: &head)
            channel.write(head, promise: nil)
            var writer: any ResponseChunkWriter = Chunks(channel: channel, chunked: chunked, discard: bodyless)
            do {
                try await produce(&writer)
                var last = ByteBuffer()
                if chunked && !bodyless {
                    last = channel.allocator.buffer(capacity: 5)
                    last.writeStaticString(HTTP1ResponseBytes.lastChunk)
                }
                end(last, keepAlive: keepAlive)
            } catch {
                channel.flush()  // what was written goes out before the cut (a close drops the unflushed)
                channel.close(promise: nil)
            }
        }
    }

    /// A response with its whole body at once, in one buffer (the body of a stream response is
    /// ignored).
    func writeWhole(_ response: GatewayResponse) {
        guard case .bytes(let bytes) = response.body else { return }
        let framing: HTTP1ResponseBytes.Framing =
            response.status < 200 || response.status == 204 ? .none : .length(bytes.count)
        let withBody = !bodyless && framing != .none && !bytes.isEmpty && response.status != 304
        var buffer = channel.allocator.buffer(
            capacity: HTTP1ResponseBytes.headCapacity(response.headers) + (withBody ? bytes.count : 0))
        HTTP1ResponseBytes.writeHead(
            status: response.status, version: version, fields: response.headers,
            framing: framing, persistence: persistence(keepAlive), into: &buffer)
        if withBody { buffer.writeBytes(bytes) }
        end(buffer, keepAlive: keepAlive)
    }

    private func persistence(_ keepAlive: Bool) -> HTTP1ResponseBytes.Persistence {
        if !keepAlive { return .close }
        return version.major == 1 && version.minor == 0 ? .keepAlive : .implied
    }

    /// Writes the answer's last bytes and flushes them soon; flushes at once and closes the
    /// connection after them when it is not kept alive.
    private func end(_ last: ByteBuffer, keepAlive: Bool) {
        if keepAlive || !closeAfterAnswer {
            channel.write(last, promise: nil)
            LoopFlushes.flushSoon(channel)
        } else {
            let channel = self.channel
            let written = channel.eventLoop.makePromise(of: Void.self)
            channel.writeAndFlush(last, promise: written)
            written.futureResult.whenComplete { _ in channel.close(promise: nil) }
        }
    }

    /// The streamed body's writer: each write is one buffer, framing and bytes together.
    private struct Chunks: ResponseChunkWriter {
        let channel: any Channel
        let chunked: Bool
        /// A `HEAD` request: the bytes go nowhere.
        let discard: Bool

        mutating func write(_ bytes: [UInt8]) async throws {
            try await write(bytes, flush: true)
        }

        mutating func write(_ bytes: [UInt8], flush: Bool) async throws {
            guard channel.isActive else { throw ClientGone() }
            guard !bytes.isEmpty, !discard else { return }  // an empty chunk would end a chunked body
            var part: ByteBuffer
            if chunked {
                part = channel.allocator.buffer(capacity: bytes.count + HTTP1ResponseBytes.chunkFramingCapacity)
                HTTP1ResponseBytes.writeChunk(bytes, into: &part)
            } else {
                part = channel.allocator.buffer(bytes: bytes)
            }
            if channel.isWritable {
                channel.write(part, promise: nil)
                if flush { LoopFlushes.flushSoon(channel) }
            } else {
                // The client is behind: wait until this write reaches the socket.
                let written = channel.eventLoop.makePromise(of: Void.self)
                channel.writeAndFlush(part, promise: written)
                do { try await written.futureResult.get() } catch { throw ClientGone() }
            }
        }
    }
}
