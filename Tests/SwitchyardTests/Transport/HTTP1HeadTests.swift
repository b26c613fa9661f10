import Foundation
@testable import Switchyard
import SwitchyardProviders
import Testing

/// A head parsed with the previous head of its connection: what repeats is reused, and the
/// result is always what a parse on its own gives.
@Suite("HTTP/1.1 head parse, reusing the previous head")
struct HTTP1HeadTests {
    static func parse(_ text: String, reusing previous: HeaderFields = HeaderFields()) throws -> HTTP1Fields {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBytes { raw in
            try HTTP1Head.parse(raw, reusing: previous) { line in String(decoding: line, as: UTF8.self) }.1
        }
    }

    static func storage(_ headers: HeaderFields) -> UnsafeRawPointer? {
        headers.fields.withUnsafeBufferPointer { $0.baseAddress.map(UnsafeRawPointer.init) }
    }

    static let first = "HTTP/1.1 200 OK\r\nServer: nginx\r\nDate: Sun, 06 Dec 2026 14:00:00 GMT\r\nContent-Type: application/json\r\nContent-Length: 42\r\nConnection: keep-alive\r\n\r\n"

    @Test("a head whose fields all repeat the previous head's shares its list, framing still read")
    func repeated() throws {
        let previous = try Self.parse(Self.first)
        let again = try Self.parse(Self.first, reusing: previous.headers)
        #expect(again.headers == previous.headers)
        #expect(Self.storage(again.headers) == Self.storage(previous.headers))
        #expect(again.contentLength == 42)
        #expect(again.keepAliveToken)
    }

    @Test("fields that differ from the previous head's, in value, name case, number or order, read as a parse on its own reads them")
    func differing() throws {
        let previous = try Self.parse(Self.first).headers
        let heads = [
            Self.first.replacingOccurrences(of: "14:00:00", with: "14:00:01"),
            Self.first.replacingOccurrences(of: "Content-Type", with: "content-type"),
            Self.first.replacingOccurrences(of: "Content-Length: 42", with: "Content-Length: 7"),
            "HTTP/1.1 200 OK\r\nServer: nginx\r\n\r\n",
            "HTTP/1.1 200 OK\r\n\r\n",
            Self.first.replacingOccurrences(of: "\r\n\r\n", with: "\r\nX-Extra: 1\r\n\r\n"),
            "HTTP/1.1 200 OK\r\nDate: Sun, 06 Dec 2026 14:00:00 GMT\r\nServer: nginx\r\nContent-Length: 42\r\n\r\n",
        ]
        for head in heads {
            let alone = try Self.parse(head)
            let reusing = try Self.parse(head, reusing: previous)
            #expect(reusing.headers == alone.headers, "\(head)")
            #expect(reusing.contentLength == alone.contentLength)
            #expect(reusing.keepAliveToken == alone.keepAliveToken)
        }
        let cased = try Self.parse(Self.first.replacingOccurrences(of: "Content-Type", with: "content-type"), reusing: previous)
        #expect(cased.headers.fields.map(\.name).contains("content-type"))
    }

    @Test("a malformed head is refused whatever the previous head was")
    func malformed() throws {
        let previous = try Self.parse(Self.first).headers
        #expect(throws: HTTP1ParseError.self) {
            try Self.parse(Self.first.replacingOccurrences(of: "Content-Length: 42", with: "Content-Length: 4x2"), reusing: previous)
        }
        #expect(throws: HTTP1ParseError.self) {
            try Self.parse(Self.first.replacingOccurrences(of: "Server: nginx", with: "Ser ver: nginx"), reusing: previous)
        }
    }
}
