import NIOCore
import SwitchyardProviders

/// A response's head as the transport needs it: the status, the fields, and whether the
/// connection may carry another request after this response.
struct UpstreamResponseHead: Sendable, Equatable {
    var status: Int
    var headers: HeaderFields
    var keepAlive: Bool
}

/// What an upstream connection (or HTTP/2 stream) hands its `UpstreamConnection`.
enum UpstreamResponsePart: Sendable, Equatable {
    case head(UpstreamResponseHead)
    /// Body bytes as they arrived, chunked framing removed (slices of the read, not copies).
    case body(ByteBuffer)
    case end
}

/// A response an HTTP/1.1 upstream sent that cannot be read as HTTP.
struct UpstreamHTTPError: Error, Equatable, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Reads HTTP/1.1 responses from a connection's bytes (RFC 9112), in place of NIO's response
/// decoder: the head's fields become `HeaderFields` directly (`HTTP1Head`), and body bytes are
/// slices of what was read (`HTTP1BodyReader`). Incremental: bytes may arrive split anywhere;
/// `next` returns nil until it has a part. Framing follows RFC 9112 § 6.3: no body after
/// `HEAD`, 1xx, 204 and 304; a `Transfer-Encoding` ending in `chunked` is read chunk by chunk,
/// any other runs until the connection closes; else `Content-Length`; else until close.
/// Interim (1xx) answers are skipped. Anything it cannot frame safely is an error, and the
/// connection is not used again.
struct HTTP1ResponseParser {
    private var reader = HTTP1MessageReader()
    /// For each request sent and not yet answered: whether it was a `HEAD`.
    private var requests = CircularBuffer<Bool>(initialCapacity: 4)
    /// The last response head's fields: the next one reuses what repeats (`HTTP1Head.parse`).
    private var previousFields = HeaderFields()

    /// A request went out; its answer is read with its method in mind.
    mutating func requestSent(isHEAD: Bool) { requests.append(isHEAD) }

    /// The next part from `buffer` (whose read bytes are consumed), or nil when more bytes are needed.
    mutating func next(_ buffer: inout ByteBuffer) throws(UpstreamHTTPError) -> UpstreamResponsePart? {
        while true {
            let step: HTTP1MessageReader.Step?
            do { step = try reader.next(&buffer) } catch { throw Self.unreadable(error) }
            switch step {
            case nil: return nil
            case .body(let bytes)?: return .body(bytes)
            case .end?: return .end
            case .head(let bytes)?:
                if let head = try readHead(bytes) { return .head(head) }
                // An interim (1xx) answer was skipped; read the final one.
            }
        }
    }

    private static func unreadable(_ error: HTTP1ParseError) -> UpstreamHTTPError {
        UpstreamHTTPError("the upstream's response cannot be read: \(error.description)")
    }

    /// The connection closed. The end of a body that runs until close; nil between responses;
    /// an error for a response cut short.
    mutating func closed() throws(UpstreamHTTPError) -> UpstreamResponsePart? {
        do {
            return try reader.closed() ? .end : nil
        } catch {
            throw UpstreamHTTPError("the upstream closed the connection before its response was complete (\(error.description))")
        }
    }

    /// A final answer's head (its body reader set up), or nil for an interim answer.
    private mutating func readHead(_ bytes: ByteBuffer) throws(UpstreamHTTPError) -> UpstreamResponseHead? {
        let parsed: ((Int, Int), HTTP1Fields)
        do {
            parsed = try bytes.withUnsafeReadableBytes { raw throws(HTTP1ParseError) in
                try HTTP1Head.parse(raw, reusing: previousFields, startLine: Self.statusLine)
            }
        } catch {
            throw Self.unreadable(error)
        }
        let ((minor, status), fields) = parsed
        previousFields = fields.headers
        if (100..<200).contains(status) {
            guard status != 101 else { throw UpstreamHTTPError("the upstream switched protocols, which was not asked for") }
            return nil
        }
        let isHEAD = requests.popFirst() ?? false
        var head = UpstreamResponseHead(status: status, headers: fields.headers, keepAlive: fields.keepAlive(minor: minor))
        let framing: HTTP1BodyReader.Framing
        if isHEAD || status == 204 || status == 304 {
            framing = .length(0)
        } else if let chunked = fields.chunked {
            // Framed by Transfer-Encoding; a Content-Length beside it is ignored, and a connection
            // that sent both is not trusted with another request.
            framing = chunked ? .chunked : .untilClose
            if fields.contentLength != nil || !chunked { head.keepAlive = false }
        } else if let length = fields.contentLength {
            framing = .length(length)
        } else {
            framing = .untilClose
            head.keepAlive = false
        }
        reader.startBody(framing)
        return head
    }

    /// `HTTP/1.x SSS reason`: the minor version and the status.
    private static func statusLine(_ line: UnsafeRawBufferPointer) throws(HTTP1ParseError) -> (Int, Int) {
        guard line.count >= 12, HTTP1Head.hasPrefix(line, "HTTP/1."), (0x30...0x39).contains(line[7]), line[8] == 0x20 else {
            throw HTTP1ParseError("it is not an HTTP/1.x response")
        }
        var status = 0
        for index in 9..<12 {
            guard (0x30...0x39).contains(line[index]) else { throw HTTP1ParseError("its status code is invalid") }
            status = status * 10 + Int(line[index] - 0x30)
        }
        guard line.count == 12 || line[12] == 0x20, status >= 100 else { throw HTTP1ParseError("its status code is invalid") }
        return (Int(line[7] - 0x30), status)
    }
}
