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
/// decoder: the head's fields become `HeaderFields` directly, and body bytes are slices of what
/// was read. Incremental: bytes may arrive split anywhere; `next` returns nil until it has a
/// part. Framing follows RFC 9112 § 6.3: no body after `HEAD`, 1xx, 204 and 304; a
/// `Transfer-Encoding` ending in `chunked` is read chunk by chunk (extensions and trailers
/// skipped), any other runs until the connection closes; else `Content-Length`; else until
/// close. Interim (1xx) answers are skipped. Anything it cannot frame safely is an error, and
/// the connection is not used again.
struct HTTP1ResponseParser {
    /// Largest head (status line and fields) accepted, and largest chunk-size or trailer line.
    static let maxHeadBytes = 64 * 1_024

    private enum State {
        case head
        case fixed(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers(seen: Int)
        case untilClose
    }

    private var state = State.head
    /// Bytes of the current head already searched for its end (a slow upstream is not rescanned).
    private var headScanned = 0
    /// A part that follows the one just returned (the end of a bodyless answer).
    private var pendingEnd = false
    /// For each request sent and not yet answered: whether it was a `HEAD`.
    private var requests = CircularBuffer<Bool>(initialCapacity: 4)

    /// A request went out; its answer is read with its method in mind.
    mutating func requestSent(isHEAD: Bool) { requests.append(isHEAD) }

    /// Whether the parser is between responses with nothing half read.
    var isIdle: Bool {
        if case .head = state, headScanned == 0, !pendingEnd { return true }
        return false
    }

    /// The next part from `buffer` (whose read bytes are consumed), or nil when more bytes are needed.
    mutating func next(_ buffer: inout ByteBuffer) throws(UpstreamHTTPError) -> UpstreamResponsePart? {
        if pendingEnd {
            pendingEnd = false
            return .end
        }
        while true {
            switch state {
            case .head:
                guard let head = try readHead(&buffer) else { return nil }
                if let head { return .head(head) }
                // An interim (1xx) answer was skipped; read the final one.
            case .fixed(let remaining):
                guard buffer.readableBytes > 0, let slice = buffer.readSlice(length: min(remaining, buffer.readableBytes)) else { return nil }
                if remaining == slice.readableBytes {
                    state = .head
                    pendingEnd = true
                } else {
                    state = .fixed(remaining: remaining - slice.readableBytes)
                }
                return .body(slice)
            case .untilClose:
                guard buffer.readableBytes > 0, let slice = buffer.readSlice(length: buffer.readableBytes) else { return nil }
                return .body(slice)
            case .chunkSize:
                guard let line = try readLine(&buffer) else { return nil }
                let size = try Self.chunkSize(line)
                state = size == 0 ? .trailers(seen: 0) : .chunkData(remaining: size)
            case .chunkData(let remaining):
                guard buffer.readableBytes > 0, let slice = buffer.readSlice(length: min(remaining, buffer.readableBytes)) else { return nil }
                state = remaining == slice.readableBytes ? .chunkDataEnd : .chunkData(remaining: remaining - slice.readableBytes)
                return .body(slice)
            case .chunkDataEnd:
                guard let line = try readLine(&buffer) else { return nil }
                guard line.readableBytes == 0 else { throw UpstreamHTTPError("a chunk of the upstream's response did not end with CRLF") }
                state = .chunkSize
            case .trailers(let seen):
                guard let line = try readLine(&buffer) else { return nil }
                if line.readableBytes == 0 {
                    state = .head
                    return .end
                }
                let total = seen + line.readableBytes
                guard total <= Self.maxHeadBytes else { throw UpstreamHTTPError("the upstream's response trailers are too large") }
                state = .trailers(seen: total)
            }
        }
    }

    /// The connection closed. The end of a body that runs until close; nil between responses;
    /// an error for a response cut short.
    mutating func closed() throws(UpstreamHTTPError) -> UpstreamResponsePart? {
        if pendingEnd {
            pendingEnd = false
            return .end
        }
        switch state {
        case .untilClose:
            state = .head
            return .end
        case .head where headScanned == 0:
            return nil
        case .head:
            throw UpstreamHTTPError("the upstream closed the connection in the middle of a response head")
        default:
            throw UpstreamHTTPError("the upstream closed the connection before the response's body was complete")
        }
    }

    // MARK: Lines

    /// The next line (without its CRLF or LF), consumed from `buffer`; nil while incomplete.
    private func readLine(_ buffer: inout ByteBuffer) throws(UpstreamHTTPError) -> ByteBuffer? {
        guard let lf = buffer.readableBytesView.firstIndex(of: 0x0A) else {
            guard buffer.readableBytes <= Self.maxHeadBytes else { throw UpstreamHTTPError("a line of the upstream's response is too long") }
            return nil
        }
        let length = lf - buffer.readerIndex
        guard var line = buffer.readSlice(length: length) else { return nil }
        buffer.moveReaderIndex(forwardBy: 1)
        if line.readableBytes > 0, line.getInteger(at: line.writerIndex - 1, as: UInt8.self) == 0x0D {
            line.moveWriterIndex(to: line.writerIndex - 1)
        }
        return line
    }

    /// A chunk-size line: hex digits, then optional extensions (`;…`), which are ignored.
    private static func chunkSize(_ line: ByteBuffer) throws(UpstreamHTTPError) -> Int {
        var size = 0
        var digits = 0
        for byte in line.readableBytesView {
            let value: Int
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = Int(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = Int(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = Int(byte - UInt8(ascii: "A") + 10)
            case UInt8(ascii: ";"), UInt8(ascii: " "), UInt8(ascii: "\t"):
                guard digits > 0 else { throw UpstreamHTTPError("a chunk size in the upstream's response is not a hex number") }
                return size
            default: throw UpstreamHTTPError("a chunk size in the upstream's response is not a hex number")
            }
            digits += 1
            guard digits <= 15 else { throw UpstreamHTTPError("a chunk size in the upstream's response is too large") }
            size = size << 4 | value
        }
        guard digits > 0 else { throw UpstreamHTTPError("a chunk size in the upstream's response is not a hex number") }
        return size
    }

    // MARK: The head

    /// A final answer's head, `.some(nil)` for an interim answer that was skipped, nil while the
    /// head is incomplete.
    private mutating func readHead(_ buffer: inout ByteBuffer) throws(UpstreamHTTPError) -> UpstreamResponseHead?? {
        // Empty lines before a status line are ignored (RFC 9112 § 2.2).
        if headScanned == 0 {
            while let byte = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self), byte == 0x0D || byte == 0x0A {
                buffer.moveReaderIndex(forwardBy: 1)
            }
        }
        guard let end = findHeadEnd(buffer) else {
            headScanned = buffer.readableBytes
            guard buffer.readableBytes <= Self.maxHeadBytes else { throw UpstreamHTTPError("the upstream's response head is too large") }
            return nil
        }
        headScanned = 0
        guard let bytes = buffer.readSlice(length: end) else { return nil }
        let parsed = try bytes.withUnsafeReadableBytes { raw throws(UpstreamHTTPError) in try Self.parseHead(raw) }
        if (100..<200).contains(parsed.status) {
            guard parsed.status != 101 else { throw UpstreamHTTPError("the upstream switched protocols, which was not asked for") }
            return .some(nil)
        }
        let isHEAD = requests.popFirst() ?? false
        var head = UpstreamResponseHead(status: parsed.status, headers: parsed.headers, keepAlive: parsed.keepAlive)
        if isHEAD || parsed.status == 204 || parsed.status == 304 {
            pendingEnd = true
        } else if let chunked = parsed.chunked {
            // A body framed by Transfer-Encoding; Content-Length beside it is ignored, and a
            // connection that sent both is not trusted with another request.
            if parsed.contentLength != nil { head.keepAlive = false }
            if chunked {
                state = .chunkSize
            } else {
                state = .untilClose
                head.keepAlive = false
            }
        } else if let length = parsed.contentLength {
            if length == 0 { pendingEnd = true } else { state = .fixed(remaining: length) }
        } else {
            state = .untilClose
            head.keepAlive = false
        }
        return .some(head)
    }

    /// The length of the head through its blank line, searching only bytes not searched before.
    private func findHeadEnd(_ buffer: ByteBuffer) -> Int? {
        buffer.withUnsafeReadableBytes { raw -> Int? in
            var index = max(0, headScanned - 1)
            while index < raw.count {
                if raw[index] == 0x0A {
                    // A blank line: LF LF, or LF CR LF.
                    if index >= 1 && raw[index - 1] == 0x0A { return index + 1 }
                    if index >= 2 && raw[index - 1] == 0x0D && raw[index - 2] == 0x0A { return index + 1 }
                }
                index += 1
            }
            return nil
        }
    }

    private struct ParsedHead {
        var status: Int
        var headers: HeaderFields
        var keepAlive: Bool
        /// nil without Transfer-Encoding; else whether its last coding is chunked.
        var chunked: Bool?
        var contentLength: Int?
    }

    /// The status line and fields of a complete head (through its blank line).
    private static func parseHead(_ raw: UnsafeRawBufferPointer) throws(UpstreamHTTPError) -> ParsedHead {
        var lines = LineIterator(raw)
        guard let statusLine = lines.next() else { throw UpstreamHTTPError("the upstream's response has no status line") }
        let (minor, status) = try parseStatusLine(UnsafeRawBufferPointer(rebasing: raw[statusLine]))
        var headers = HeaderFields()
        // One allocation for the fields: at most a field per line after the status line.
        var lineCount = 0
        for byte in raw where byte == 0x0A { lineCount += 1 }
        headers.fields.reserveCapacity(max(0, lineCount - 2))
        var close = false
        var keepAliveToken = false
        var chunked: Bool?
        var contentLength: Int?
        while let range = lines.next(), !range.isEmpty {
            let line = UnsafeRawBufferPointer(rebasing: raw[range])
            guard line[0] != 0x20 && line[0] != 0x09 else {
                throw UpstreamHTTPError("the upstream's response head folds a field over lines, which HTTP/1.1 forbids")
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0 else {
                throw UpstreamHTTPError("a line of the upstream's response head is not a field")
            }
            for byte in line[..<colon] where !HeaderFields.isTokenByte(byte) {
                throw UpstreamHTTPError("a field name in the upstream's response head is not a token")
            }
            var start = colon + 1
            var end = line.count
            while start < end && (line[start] == 0x20 || line[start] == 0x09) { start += 1 }
            while end > start && (line[end - 1] == 0x20 || line[end - 1] == 0x09) { end -= 1 }
            for byte in line[start..<end] where byte == 0 || byte == 0x0D {
                throw UpstreamHTTPError("a field value in the upstream's response head has a CR or NUL")
            }
            let nameBytes = UnsafeRawBufferPointer(rebasing: line[..<colon])
            let valueBytes = UnsafeRawBufferPointer(rebasing: line[start..<end])
            switch nameBytes.count {
            case 10 where equalsLowercase(nameBytes, "connection"):
                forEachToken(valueBytes) { token in
                    if equalsLowercase(token, "close") { close = true }
                    if equalsLowercase(token, "keep-alive") { keepAliveToken = true }
                }
            case 14 where equalsLowercase(nameBytes, "content-length"):
                var value: Int?
                var valid = true
                forEachToken(valueBytes) { token in
                    guard let parsed = decimal(token), value == nil || value == parsed else {
                        valid = false
                        return
                    }
                    value = parsed
                }
                guard valid, let value, contentLength == nil || contentLength == value else {
                    throw UpstreamHTTPError("the upstream's response has an invalid Content-Length")
                }
                contentLength = value
            case 17 where equalsLowercase(nameBytes, "transfer-encoding"):
                forEachToken(valueBytes) { token in chunked = equalsLowercase(token, "chunked") }
                if chunked == nil { chunked = false }
            default:
                break
            }
            headers.add(String(decoding: nameBytes, as: UTF8.self), String(decoding: valueBytes, as: UTF8.self))
        }
        let keepAlive = minor >= 1 ? !close : keepAliveToken && !close
        return ParsedHead(status: status, headers: headers, keepAlive: keepAlive, chunked: chunked, contentLength: contentLength)
    }

    /// `HTTP/1.x SSS reason`: the minor version and the status.
    private static func parseStatusLine(_ line: UnsafeRawBufferPointer) throws(UpstreamHTTPError) -> (Int, Int) {
        let prefix: StaticString = "HTTP/1."
        guard line.count >= 12, line[8] == 0x20,  // "HTTP/1.x SSS"
              prefix.withUTF8Buffer({ p in p.indices.allSatisfy { line[$0] == p[$0] } }),
              (0x30...0x39).contains(line[7])
        else { throw UpstreamHTTPError("the upstream's answer is not an HTTP/1.x response") }
        var status = 0
        for index in 9..<12 {
            guard (0x30...0x39).contains(line[index]) else { throw UpstreamHTTPError("the upstream's response has an invalid status code") }
            status = status * 10 + Int(line[index] - 0x30)
        }
        guard line.count == 12 || line[12] == 0x20, status >= 100 else {
            throw UpstreamHTTPError("the upstream's response has an invalid status code")
        }
        return (Int(line[7] - 0x30), status)
    }

    /// A non-negative decimal that fits an `Int`, nothing else.
    private static func decimal(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value = 0
        for byte in bytes {
            guard (0x30...0x39).contains(byte) else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }

    /// Each element of a comma-separated field value, without the spaces around it.
    private static func forEachToken(_ value: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
        var start = 0
        while start <= value.count {
            var end = start
            while end < value.count && value[end] != UInt8(ascii: ",") { end += 1 }
            var from = start
            var to = end
            while from < to && (value[from] == 0x20 || value[from] == 0x09) { from += 1 }
            while to > from && (value[to - 1] == 0x20 || value[to - 1] == 0x09) { to -= 1 }
            if to > from { body(UnsafeRawBufferPointer(rebasing: value[from..<to])) }
            start = end + 1
        }
    }

    /// Whether `bytes` equal `lowercase` ignoring ASCII case.
    private static func equalsLowercase(_ bytes: UnsafeRawBufferPointer, _ lowercase: StaticString) -> Bool {
        lowercase.withUTF8Buffer { expected in
            guard bytes.count == expected.count else { return false }
            for index in 0..<bytes.count {
                let byte = bytes[index]
                let folded = (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
                if folded != expected[index] { return false }
            }
            return true
        }
    }

    /// The lines of a head: index ranges without their CRLF (or LF).
    private struct LineIterator {
        let raw: UnsafeRawBufferPointer
        var at = 0
        init(_ raw: UnsafeRawBufferPointer) { self.raw = raw }

        mutating func next() -> Range<Int>? {
            guard at < raw.count else { return nil }
            var end = at
            while end < raw.count && raw[end] != 0x0A { end += 1 }
            let start = at
            at = end + 1
            var lineEnd = end
            if lineEnd > start && raw[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            return start..<lineEnd
        }
    }
}
