import NIOCore
import NIOHTTP1
import Switchyard

/// A request's head as the server reads it.
struct RequestHead: Sendable, Equatable {
    var method: String
    /// The request target as sent (path and query).
    var uri: String
    /// HTTP/1.`minor`.
    var minor: Int
    var headers: HeaderFields
    /// Whether the connection stays open after the answer (RFC 9112 § 9.3).
    var keepAlive: Bool
    /// The body's declared length; nil for a chunked body.
    var contentLength: Int?

    var version: HTTPVersion { HTTPVersion(major: 1, minor: minor) }
    var isHEAD: Bool { method == "HEAD" }
}

enum RequestPart: Sendable, Equatable {
    case head(RequestHead)
    /// Body bytes as they arrived, chunked framing removed (slices of the read).
    case body(ByteBuffer)
    case end
}

/// Reads HTTP/1.x requests from a client connection's bytes (RFC 9112), in place of NIO's
/// request decoder, with the head and body readers the transport's response parser uses
/// (`HTTP1Head`, `HTTP1BodyReader`). Incremental and pipelining-aware: the bytes after one
/// request stay in the buffer for the next. What it refuses, each an `HTTP1ParseError` (the
/// connection is then answered 400, or 431 for a head over `HTTP1Head.maxBytes`, and closed): a
/// request line that is not `method SP target SP HTTP/1.x`, a field that is not one, differing
/// `Content-Length`s, and any body framing a front proxy might read differently — both
/// `Content-Length` and `Transfer-Encoding`, a `Transfer-Encoding` not ending in `chunked`, or
/// one on HTTP/1.0 (RFC 9112 § 6.1, § 6.3).
struct HTTP1RequestParser {
    private var reader = HTTP1MessageReader()
    /// The last request head's fields: the next one reuses what repeats (`HTTP1Head.parse`).
    private var previousFields = HeaderFields()

    /// The next part from `buffer` (whose read bytes are consumed), or nil when more bytes are needed.
    mutating func next(_ buffer: inout ByteBuffer) throws(HTTP1ParseError) -> RequestPart? {
        switch try reader.next(&buffer) {
        case nil: return nil
        case .body(let bytes)?: return .body(bytes)
        case .end?: return .end
        case .head(let bytes)?: return .head(try head(bytes))
        }
    }

    /// A request's head, its body's framing set up.
    private mutating func head(_ bytes: ByteBuffer) throws(HTTP1ParseError) -> RequestHead {
        let ((method, uri, minor), fields) = try bytes.withUnsafeReadableBytes { raw throws(HTTP1ParseError) in
            try HTTP1Head.parse(raw, reusing: previousFields, startLine: Self.requestLine)
        }
        previousFields = fields.headers
        let framing: HTTP1BodyReader.Framing
        if let chunked = fields.chunked {
            guard minor >= 1 else { throw HTTP1ParseError("an HTTP/1.0 request cannot have a Transfer-Encoding") }
            guard fields.contentLength == nil else { throw HTTP1ParseError("it has both Content-Length and Transfer-Encoding") }
            guard chunked else { throw HTTP1ParseError("its Transfer-Encoding does not end in chunked") }
            framing = .chunked
        } else {
            framing = .length(fields.contentLength ?? 0)
        }
        reader.startBody(framing)
        return RequestHead(
            method: method, uri: uri, minor: minor, headers: fields.headers, keepAlive: fields.keepAlive(minor: minor),
            contentLength: fields.chunked == nil ? fields.contentLength ?? 0 : nil)
    }

    /// `method SP request-target SP HTTP/1.x`.
    private static func requestLine(_ line: UnsafeRawBufferPointer) throws(HTTP1ParseError) -> (String, String, Int) {
        guard let space = line.firstIndex(of: 0x20), space > 0, line[..<space].allSatisfy(HeaderFields.isTokenByte) else {
            throw HTTP1ParseError("its request line has no method")
        }
        let versionStart = line.count - 8
        guard versionStart > space + 1, line[versionStart - 1] == 0x20 else { throw HTTP1ParseError("its request line is not method, target and version") }
        let target = line[(space + 1)..<(versionStart - 1)]
        guard target.allSatisfy({ $0 > 0x20 && $0 != 0x7F }) else { throw HTTP1ParseError("its request target has a space or control character") }
        let version = UnsafeRawBufferPointer(rebasing: line[versionStart...])
        guard HTTP1Head.hasPrefix(version, "HTTP/1."), (0x30...0x39).contains(version[7]) else {
            throw HTTP1ParseError("it is not an HTTP/1.x request")
        }
        return (
            String(decoding: UnsafeRawBufferPointer(rebasing: line[..<space]), as: UTF8.self),
            String(decoding: UnsafeRawBufferPointer(rebasing: target), as: UTF8.self),
            Int(version[7] - 0x30)
        )
    }
}
