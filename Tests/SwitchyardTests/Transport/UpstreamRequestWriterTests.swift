import NIOCore
import NIOEmbedded
import NIOHTTP1
@testable import Switchyard
import Testing

/// The HTTP/1.1 request writer that stands in for NIO's encoder on upstream connections.
@Suite("Upstream request writer")
struct UpstreamRequestWriterTests {
    func post(_ body: String) -> HTTPRequestHead {
        var headers = HTTPHeaders()
        headers.add(name: "Authorization", value: "Bearer sk-test")
        headers.add(name: "Host", value: "api.example.com")
        headers.add(name: "Content-Length", value: String(body.utf8.count))
        return HTTPRequestHead(version: .http1_1, method: .POST, uri: "/v1/chat/completions?x=1", headers: headers)
    }

    /// Everything the writer sent to the socket side, one buffer per write.
    func writes(_ channel: EmbeddedChannel) throws -> [String] {
        var all: [String] = []
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { all.append(String(buffer: buffer)) }
        return all
    }

    @Test("head, body and end go out as one write of the exact bytes, and every part's promise succeeds")
    func oneWrite() throws {
        let channel = EmbeddedChannel(handler: UpstreamRequestWriter())
        let body = #"{"model":"gpt-4o-mini"}"#
        let parts: [HTTPClientRequestPart] = [.head(post(body)), .body(.byteBuffer(ByteBuffer(string: body))), .end(nil)]
        let written = parts.map { part in
            let promise = channel.eventLoop.makePromise(of: Void.self)
            channel.write(part, promise: promise)
            return promise.futureResult
        }
        channel.flush()
        #expect(
            try writes(channel) == [
                "POST /v1/chat/completions?x=1 HTTP/1.1\r\nAuthorization: Bearer sk-test\r\nHost: api.example.com\r\n"
                    + "Content-Length: \(body.utf8.count)\r\n\r\n" + body
            ])
        for future in written { try future.wait() }
        _ = try channel.finish()
    }

    @Test("a request without a body is its head alone; the next request is a write of its own")
    func noBodyThenNext() throws {
        let channel = EmbeddedChannel(handler: UpstreamRequestWriter())
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "h")
        channel.write(HTTPClientRequestPart.head(HTTPRequestHead(version: .http1_1, method: .GET, uri: "/v1/models", headers: headers)), promise: nil)
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        channel.write(HTTPClientRequestPart.head(post("{}")), promise: nil)
        channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(string: "{}"))), promise: nil)
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        let sent = try writes(channel)
        #expect(sent.count == 2)
        #expect(sent.first == "GET /v1/models HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(sent.last?.hasPrefix("POST /v1/chat/completions?x=1 HTTP/1.1\r\n") == true)
        #expect(sent.last?.hasSuffix("\r\n\r\n{}") == true)
        _ = try channel.finish()
    }

    @Test("a flush between head and end sends what is held, and the rest follows as it is written")
    func flushInBetween() throws {
        let channel = EmbeddedChannel(handler: UpstreamRequestWriter())
        channel.writeAndFlush(HTTPClientRequestPart.head(post("abcdef")), promise: nil)
        channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(string: "abc"))), promise: nil)
        channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(string: "def"))), promise: nil)
        let ended = channel.eventLoop.makePromise(of: Void.self)
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: ended)
        #expect(try writes(channel).joined().hasSuffix("Content-Length: 6\r\n\r\nabcdef"))
        try ended.futureResult.wait()
        _ = try channel.finish()
    }

    @Test("the response decoder above it still learns each request's method: a HEAD answer has no body")
    func headResponseHasNoBody() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(UpstreamRequestWriter())
        try channel.pipeline.syncOperations.addHandler(UpstreamResponseDecoder())
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "h")
        channel.write(HTTPClientRequestPart.head(HTTPRequestHead(version: .http1_1, method: .HEAD, uri: "/", headers: headers)), promise: nil)
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        #expect(try writes(channel) == ["HEAD / HTTP/1.1\r\nHost: h\r\n\r\n"])
        try channel.writeInbound(ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"))
        guard case .head(let head)? = try channel.readInbound(as: UpstreamResponsePart.self) else {
            Issue.record("no response head")
            return
        }
        #expect(head.status == 200 && head.keepAlive)
        #expect(try channel.readInbound(as: UpstreamResponsePart.self) == .end, "a HEAD answer must end right after its head")
        _ = try channel.finish()
    }
}
