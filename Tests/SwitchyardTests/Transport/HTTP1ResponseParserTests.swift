import NIOCore
import NIOEmbedded
@testable import Switchyard
import Testing

/// The upstream side's own HTTP/1.1 response reader: framing, keep-alive, and what it refuses.
@Suite("HTTP/1.1 response parser")
struct HTTP1ResponseParserTests {
    /// A response as the connection would see it: heads, the body's bytes joined, ends.
    struct Read: Equatable {
        var heads: [UpstreamResponseHead] = []
        var bodies: [String] = []
        var ends = 0
    }

    /// Feeds `pieces` one read at a time (as a connection would) and collects the parts; then
    /// the close, when `close` is set.
    static func read(_ pieces: [String], heads: [Bool] = [], close: Bool = false) throws(UpstreamHTTPError) -> Read {
        var parser = HTTP1ResponseParser()
        for isHEAD in heads { parser.requestSent(isHEAD: isHEAD) }
        var result = Read()
        var current = ""
        func take(_ part: UpstreamResponsePart) {
            switch part {
            case .head(let head):
                result.heads.append(head)
                current = ""
            case .body(let bytes): current += String(buffer: bytes)
            case .end:
                result.bodies.append(current)
                result.ends += 1
            }
        }
        var buffer = ByteBuffer()
        for piece in pieces {
            buffer.writeString(piece)
            while let part = try parser.next(&buffer) { take(part) }
            buffer.discardReadBytes()
        }
        if close, let part = try parser.closed() { take(part) }
        return result
    }

    /// The same bytes split at every position into two reads, and fed a byte at a time.
    static func everySplit(_ text: String, heads: [Bool] = [], close: Bool = false) throws -> [Read] {
        let bytes = Array(text.utf8)
        var reads = [try read([text], heads: heads, close: close)]
        for cut in 1..<bytes.count {
            let pieces = [String(decoding: bytes[..<cut], as: UTF8.self), String(decoding: bytes[cut...], as: UTF8.self)]
            reads.append(try read(pieces, heads: heads, close: close))
        }
        reads.append(try read(bytes.map { String(decoding: [$0], as: UTF8.self) }, heads: heads, close: close))
        return reads
    }

    static func failure(_ pieces: [String], close: Bool = false) -> String? {
        do {
            _ = try read(pieces, close: close)
            return nil
        } catch {
            return error.description
        }
    }

    @Test("a Content-Length response: the fields as sent, the body whole, however the bytes are split")
    func contentLength() throws {
        let text = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Request-ID:  abc \r\nx-multi: 1\r\nX-Multi: 2\r\nContent-Length: 11\r\n\r\n{\"ok\":true}"
        for read in try Self.everySplit(text) {
            #expect(read.heads.count == 1 && read.ends == 1)
            #expect(read.bodies == [#"{"ok":true}"#])
            let head = try #require(read.heads.first)
            #expect(head.status == 200 && head.keepAlive)
            #expect(head.headers.fields.map(\.name) == ["Content-Type", "X-Request-ID", "x-multi", "X-Multi", "Content-Length"])
            #expect(head.headers["x-request-id"] == "abc")
        }
    }

    @Test("a chunked response: chunk extensions and trailers skipped, the data joined, however split")
    func chunked() throws {
        let text = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n1A\r\n, world, in a longer chunk\r\n0\r\nX-Trailer: t\r\n\r\n"
        for read in try Self.everySplit(text) {
            #expect(read.bodies == ["hello, world, in a longer chunk"])
            #expect(read.heads.first?.keepAlive == true)
        }
    }

    @Test("responses one after another on a connection, the first to a HEAD (no body despite its length)")
    func pipelined() throws {
        let text = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n" + "HTTP/1.1 204 No Content\r\n\r\n"
            + "HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n" + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
        for read in try Self.everySplit(text, heads: [true, false, false, false]) {
            #expect(read.heads.map(\.status) == [200, 204, 304, 200])
            #expect(read.bodies == ["", "", "", "ok"])
        }
    }

    @Test("an interim 100 Continue is skipped; an upgrade nobody asked for is refused")
    func interim() throws {
        let read = try Self.read(["HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 1\r\n\r\nx"])
        #expect(read.heads.map(\.status) == [201] && read.bodies == ["x"])
        #expect(Self.failure(["HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n"])?.contains("switched protocols") == true)
    }

    @Test("a body without a length runs until the close, and that connection is not reused")
    func untilClose() throws {
        for read in try Self.everySplit("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it", close: true) {
            #expect(read.bodies == ["all of it"] && read.heads.first?.keepAlive == false)
        }
        let other = try Self.read(["HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nzz"], close: true)
        #expect(other.bodies == ["zz"] && other.heads.first?.keepAlive == false)
    }

    @Test("keep-alive: HTTP/1.1 unless Connection: close; HTTP/1.0 only with Connection: keep-alive")
    func keepAlive() throws {
        func keptAlive(_ version: String, _ connection: String?) throws -> Bool? {
            let field = connection.map { "Connection: \($0)\r\n" } ?? ""
            return try Self.read(["HTTP/\(version) 200 OK\r\n\(field)Content-Length: 0\r\n\r\n"]).heads.first?.keepAlive
        }
        #expect(try keptAlive("1.1", nil) == true)
        #expect(try keptAlive("1.1", "Close") == false)
        #expect(try keptAlive("1.1", "upgrade, close") == false)
        #expect(try keptAlive("1.0", nil) == false)
        #expect(try keptAlive("1.0", "Keep-Alive") == true)
    }

    @Test("Transfer-Encoding wins over Content-Length, and such a connection is not reused")
    func bothLengths() throws {
        let read = try Self.read(["HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n"])
        #expect(read.bodies == ["ab"] && read.heads.first?.keepAlive == false)
    }

    @Test("lines ended by a bare LF are read too, and empty lines before a status line are skipped")
    func bareLF() throws {
        let read = try Self.read(["\r\nHTTP/1.1 200 OK\nContent-Length: 2\n\nhi"])
        #expect(read.heads.first?.status == 200 && read.bodies == ["hi"])
    }

    @Test("what cannot be framed safely is an error", arguments: [
        ("SSH-2.0-OpenSSH\r\n\r\n", "not an HTTP/1.x response"),
        ("HTTP/1.1 2x0 OK\r\n\r\n", "status code is invalid"),
        ("HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\n\r\n", "folds a field"),
        ("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "not a field"),
        ("HTTP/1.1 200 OK\r\nBad Name: 1\r\n\r\n", "not a token"),
        ("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", "Content-Length is invalid"),
        ("HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\n", "Content-Length is invalid"),
        ("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "Content-Length is invalid"),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "not a hex number"),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFF\r\n", "too large"),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n", "did not end with CRLF"),
    ])
    func malformed(text: String, expected: String) {
        let message = Self.failure([text])
        #expect(message?.contains(expected) == true, "\(message ?? "no error")")
    }

    @Test("a head past the limit is refused without waiting for its end")
    func headTooLarge() {
        let long = "HTTP/1.1 200 OK\r\nX-Big: " + String(repeating: "a", count: HTTP1Head.maxBytes)
        #expect(Self.failure([long])?.contains("too large") == true)
    }

    @Test("a close in the middle of a head or a framed body is an error; between responses it is not")
    func truncated() throws {
        #expect(Self.failure(["HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort"], close: true)?.contains("before the body was complete") == true)
        #expect(Self.failure(["HTTP/1.1 200 OK\r\nContent-"], close: true)?.contains("middle of a head") == true)
        #expect(Self.failure(["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab"], close: true) != nil)
        let clean = try Self.read(["HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx"], close: true)
        #expect(clean.ends == 1)
    }

    @Test("the decoder in a pipeline: an error reaches the next handler and nothing more is read")
    func decoderStopsAfterError() throws {
        let channel = EmbeddedChannel(handler: UpstreamResponseDecoder())
        #expect(throws: UpstreamHTTPError.self) { try channel.writeInbound(ByteBuffer(string: "garbage that is not HTTP\r\n\r\n")) }
        try channel.writeInbound(ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))
        #expect(try channel.readInbound(as: UpstreamResponsePart.self) == nil)
        _ = try? channel.finish()
    }

    @Test("the decoder ends a body that runs until the connection closes")
    func decoderEndsAtClose() throws {
        let channel = EmbeddedChannel(handler: UpstreamResponseDecoder())
        try channel.writeInbound(ByteBuffer(string: "HTTP/1.1 200 OK\r\n\r\npart"))
        guard case .head? = try channel.readInbound(as: UpstreamResponsePart.self) else {
            Issue.record("no head")
            return
        }
        #expect(try channel.readInbound(as: UpstreamResponsePart.self) == .body(ByteBuffer(string: "part")))
        channel.pipeline.fireChannelInactive()
        #expect(try channel.readInbound(as: UpstreamResponsePart.self) == .end)
        _ = try? channel.finish()
    }
}
