import NIOCore
import NIOEmbedded
import NIOHTTP1
@testable import Switchyard
import SwitchyardProviders
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

    @Test("a whole request in HTTP/1.1 bytes: the caller's fields less framing and hop-by-hop ones, Host and Content-Length added once")
    func wholeRequestBytes() throws {
        let address = try #require(UpstreamAddress("http://api.example.com:8080/v1/chat/completions?x=1"))
        var headers = HeaderFields()
        headers.add("Authorization", "Bearer sk-test")
        headers.add("Content-Length", "999")
        headers.add("Connection", "close")
        headers.add("Keep-Alive", "timeout=5")
        headers.add("TE", "gzip")
        headers.add("Content-Type", "application/json")
        let post = UpstreamRequest(url: "http://api.example.com:8080/v1/chat/completions?x=1", headers: headers, body: Array("{}".utf8))
        let bytes = PooledHTTPTransport.http1Bytes(post, address, allocator: ByteBufferAllocator())
        #expect(
            String(buffer: bytes)
                == "POST /v1/chat/completions?x=1 HTTP/1.1\r\nAuthorization: Bearer sk-test\r\nContent-Type: application/json\r\n"
                + "Host: api.example.com:8080\r\nContent-Length: 2\r\n\r\n{}")
        // The same fields an HTTP/2 stream's head gets.
        let head = PooledHTTPTransport.head(post, address)
        #expect(head.headers.map { "\($0.name): \($0.value)" } == ["Authorization: Bearer sk-test", "Content-Type: application/json", "Host: api.example.com:8080", "Content-Length: 2"])

        var hosted = HeaderFields()
        hosted.add("host", "override.example")
        let get = UpstreamRequest(method: "GET", url: "http://api.example.com:8080/v1/models", headers: hosted, body: [])
        let getBytes = PooledHTTPTransport.http1Bytes(get, try #require(UpstreamAddress(get.url)), allocator: ByteBufferAllocator())
        #expect(String(buffer: getBytes) == "GET /v1/models HTTP/1.1\r\nhost: override.example\r\n\r\n")
    }

    @Test("a request written whole goes out as one write, and the decoder above still knows a HEAD's answer has no body")
    func writtenWhole() throws {
        let channel = EmbeddedChannel()
        let writer = UpstreamRequestWriter()
        let decoder = UpstreamResponseDecoder()
        try channel.pipeline.syncOperations.addHandler(writer)
        try channel.pipeline.syncOperations.addHandler(decoder)
        let head = UpstreamRequest(method: "HEAD", url: "http://h/", headers: [:], body: [])
        decoder.requestSent(isHEAD: true)
        writer.writeWhole(PooledHTTPTransport.http1Bytes(head, try #require(UpstreamAddress(head.url)), allocator: channel.allocator))
        #expect(try writes(channel) == ["HEAD / HTTP/1.1\r\nHost: h\r\n\r\n"])
        try channel.writeInbound(ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"))
        guard case .head(let answer)? = try channel.readInbound(as: UpstreamResponsePart.self) else {
            Issue.record("no response head")
            return
        }
        #expect(answer.status == 200)
        #expect(try channel.readInbound(as: UpstreamResponsePart.self) == .end, "a HEAD answer must end right after its head")
        _ = try channel.finish()
    }
}
