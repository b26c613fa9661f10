import NIOCore
import Switchyard
@testable import SwitchyardServer
import Testing

/// The server's own HTTP/1.x request reader: heads, bodies, pipelining, and what it refuses.
@Suite("HTTP/1 request parser")
struct HTTP1RequestParserTests {
    struct Read: Equatable {
        var heads: [RequestHead] = []
        var bodies: [String] = []
    }

    /// Feeds `pieces` one read at a time, as a connection would, and collects the requests.
    static func read(_ pieces: [String]) throws(HTTP1ParseError) -> Read {
        var parser = HTTP1RequestParser()
        var result = Read()
        var current = ""
        var buffer = ByteBuffer()
        for piece in pieces {
            buffer.writeString(piece)
            while let part = try parser.next(&buffer) {
                switch part {
                case .head(let head):
                    result.heads.append(head)
                    current = ""
                case .body(let bytes): current += String(buffer: bytes)
                case .end: result.bodies.append(current)
                }
            }
            buffer.discardReadBytes()
        }
        return result
    }

    /// The bytes whole, split at every position into two reads, and a byte at a time.
    static func everySplit(_ text: String) throws -> [Read] {
        let bytes = Array(text.utf8)
        var reads = [try read([text])]
        for cut in 1..<bytes.count {
            reads.append(try read([String(decoding: bytes[..<cut], as: UTF8.self), String(decoding: bytes[cut...], as: UTF8.self)]))
        }
        reads.append(try read(bytes.map { String(decoding: [$0], as: UTF8.self) }))
        return reads
    }

    static func refusal(_ text: String) -> HTTP1ParseError? {
        do {
            _ = try read([text])
            return nil
        } catch {
            return error
        }
    }

    @Test("pipelined requests, with a Content-Length body, a chunked body and none, however the bytes are split")
    func pipelined() throws {
        let text = "POST /v1/chat/completions?x=1 HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer k\r\nContent-Length: 4\r\n\r\nabcd"
            + "POST /v1/embeddings HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nefg\r\nA\r\nhijklmnopq\r\n0\r\nX-T: 1\r\n\r\n"
            + "GET /health HTTP/1.1\r\nConnection: close\r\n\r\n"
        for read in try Self.everySplit(text) {
            #expect(read.heads.map(\.method) == ["POST", "POST", "GET"])
            #expect(read.heads.map(\.uri) == ["/v1/chat/completions?x=1", "/v1/embeddings", "/health"])
            #expect(read.bodies == ["abcd", "efghijklmnopq", ""])
            #expect(read.heads.map(\.keepAlive) == [true, true, false])
            #expect(read.heads.map(\.contentLength) == [4, nil, 0])
            #expect(read.heads.first?.headers["authorization"] == "Bearer k")
        }
    }

    @Test("HTTP/1.0 keeps its connection only with Connection: keep-alive")
    func http10() throws {
        let plain = try Self.read(["GET / HTTP/1.0\r\n\r\n"])
        #expect(plain.heads.first?.minor == 0 && plain.heads.first?.keepAlive == false)
        let kept = try Self.read(["GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"])
        #expect(kept.heads.first?.keepAlive == true)
    }

    @Test("what is not HTTP, or whose body a proxy in front might frame differently, is refused", arguments: [
        ("THIS IS NOT HTTP\r\n\r\n", "not an HTTP/1.x request"),
        ("GET HTTP/1.1\r\n\r\n", "not method, target and version"),
        ("GET / HTTP/2.0\r\n\r\n", "not an HTTP/1.x request"),
        ("GET /a b HTTP/1.1\r\n\r\n", "space or control"),
        ("G(T / HTTP/1.1\r\n\r\n", "no method"),
        ("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", "both Content-Length and Transfer-Encoding"),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", "does not end in chunked"),
        ("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", "HTTP/1.0 request cannot have a Transfer-Encoding"),
        ("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", "Content-Length is invalid"),
        ("POST / HTTP/1.1\r\nContent-Length: +3\r\n\r\n", "Content-Length is invalid"),
        ("GET / HTTP/1.1\r\nX-A: 1\r\n continued\r\n\r\n", "folds a field"),
        ("GET / HTTP/1.1\r\nX A: 1\r\n\r\n", "not a token"),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n", "not a hex number"),
    ])
    func refused(text: String, expected: String) {
        let error = Self.refusal(text)
        #expect(error?.kind == .malformed)
        #expect(error?.description.contains(expected) == true, "\(error?.description ?? "no error")")
    }

    @Test("a head past the limit is refused as too large before it ends")
    func headTooLarge() {
        let error = Self.refusal("GET / HTTP/1.1\r\nX-Big: " + String(repeating: "y", count: HTTP1Head.maxBytes))
        #expect(error?.kind == .headTooLarge)
    }
}
