import NIOCore
import NIOHTTP1
@testable import SwitchyardServer
import SwitchyardProviders
import Testing

/// The response bytes the server writes itself (in place of NIO's encoder).
@Suite("HTTP/1 response bytes")
struct HTTP1ResponseBytesTests {
    func head(
        _ status: Int, _ fields: HeaderFields, version: HTTPVersion = .http1_1,
        framing: HTTP1ResponseBytes.Framing, persistence: HTTP1ResponseBytes.Persistence = .implied
    ) -> String {
        var buffer = ByteBuffer()
        HTTP1ResponseBytes.writeHead(
            status: status, version: version, fields: fields, framing: framing, persistence: persistence, into: &buffer)
        return String(buffer: buffer)
    }

    @Test("status line, the fields in order, the length and the blank line")
    func plainHead() {
        let text = head(200, ["Content-Type": "application/json", "x-request-id": "r1"], framing: .length(1234))
        #expect(text == "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nx-request-id: r1\r\nContent-Length: 1234\r\n\r\n")
        #expect(head(429, [:], framing: .length(0)) == "HTTP/1.1 429 Too Many Requests\r\nContent-Length: 0\r\n\r\n")
        #expect(head(599, [:], framing: .none).hasPrefix("HTTP/1.1 599 "))
    }

    @Test("the framing and connection fields are this hop's own: the given ones are left out")
    func framingFieldsReplaced() {
        let fields: HeaderFields = [
            "Content-Length": "5", "transfer-encoding": "gzip", "Connection": "upgrade", "Keep-Alive": "timeout=5",
            "X-Kept": "yes",
        ]
        #expect(head(200, fields, framing: .chunked) == "HTTP/1.1 200 OK\r\nX-Kept: yes\r\nTransfer-Encoding: chunked\r\n\r\n")
        #expect(
            head(200, fields, version: .http1_0, framing: .untilClose, persistence: .close)
                == "HTTP/1.0 200 OK\r\nX-Kept: yes\r\nConnection: close\r\n\r\n")
        #expect(
            head(200, [:], version: .http1_0, framing: .length(2), persistence: .keepAlive)
                == "HTTP/1.0 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\n")
    }

    @Test("a field that would break the head (line break, NUL, a name that is not a token) is dropped")
    func unsafeFieldsDropped() {
        let fields: HeaderFields = [
            "X-Split": "a\r\nInjected: yes", "X-Nul": "a\u{0}b", "Bad Name": "v", "": "empty", "X-Ok": "fine value; q=1",
        ]
        #expect(head(200, fields, framing: .length(0)) == "HTTP/1.1 200 OK\r\nX-Ok: fine value; q=1\r\nContent-Length: 0\r\n\r\n")
    }

    @Test("decimal lengths of every width")
    func decimals() {
        for value in [0, 7, 10, 99, 100, 65_535, 1 << 20, Int(Int32.max), Int.max] {
            #expect(head(200, [:], framing: .length(value)).contains("Content-Length: \(value)\r\n"))
        }
    }

    @Test("a chunk is its size in hex, CRLF, its bytes, CRLF")
    func chunks() {
        for size in [1, 9, 10, 15, 16, 17, 255, 256, 4095, 4096, 65_536, 1_000_003] {
            let bytes = [UInt8](repeating: UInt8(ascii: "x"), count: size)
            var buffer = ByteBuffer()
            HTTP1ResponseBytes.writeChunk(bytes, into: &buffer)
            let prefix = String(size, radix: 16) + "\r\n"
            #expect(buffer.readableBytes == prefix.utf8.count + size + 2)
            #expect(buffer.getString(at: 0, length: prefix.utf8.count) == prefix)
            #expect(buffer.getBytes(at: buffer.readableBytes - 2, length: 2) == Array("\r\n".utf8))
            #expect(buffer.getBytes(at: prefix.utf8.count, length: size) == bytes)
        }
    }
}
