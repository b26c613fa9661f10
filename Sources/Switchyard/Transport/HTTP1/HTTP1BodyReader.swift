import NIOCore

/// Reads one HTTP/1.1 message body out of a connection's bytes as its framing says: a
/// `Content-Length`, chunked (chunk extensions and trailers skipped), or until the connection
/// closes. Body bytes are slices of what was read, not copies.
package struct HTTP1BodyReader: Sendable {
    package enum Framing: Sendable, Equatable {
        case length(Int)
        case chunked
        case untilClose
    }

    package enum Event: Sendable, Equatable {
        case bytes(ByteBuffer)
        case end
    }

    private enum State: Sendable {
        case fixed(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers(seen: Int)
        case untilClose
        /// The last bytes went out; `.end` is next.
        case ending
        case done
    }

    private var state: State

    package init(_ framing: Framing) {
        switch framing {
        case .length(let length): state = length > 0 ? .fixed(remaining: length) : .ending
        case .chunked: state = .chunkSize
        case .untilClose: state = .untilClose
        }
    }

    /// Whether the body ended (its `.end` was returned).
    package var isDone: Bool {
        if case .done = state { return true }
        return false
    }

    /// The next event from `buffer`, or nil when more bytes are needed. After `.end` it returns
    /// nil and leaves the bytes that follow (the next message's) in `buffer`.
    package mutating func next(_ buffer: inout ByteBuffer) throws(HTTP1ParseError) -> Event? {
        while true {
            switch state {
            case .done:
                return nil
            case .ending:
                state = .done
                return .end
            case .fixed(let remaining):
                guard buffer.readableBytes > 0, let slice = buffer.readSlice(length: min(remaining, buffer.readableBytes)) else { return nil }
                state = remaining == slice.readableBytes ? .ending : .fixed(remaining: remaining - slice.readableBytes)
                return .bytes(slice)
            case .untilClose:
                guard buffer.readableBytes > 0, let slice = buffer.readSlice(length: buffer.readableBytes) else { return nil }
                return .bytes(slice)
            case .chunkSize:
                guard let line = try Self.line(&buffer) else { return nil }
                let size = try Self.chunkSize(line)
                state = size == 0 ? .trailers(seen: 0) : .chunkData(remaining: size)
            case .chunkData(let remaining):
                guard buffer.readableBytes > 0, let slice = buffer.readSlice(length: min(remaining, buffer.readableBytes)) else { return nil }
                state = remaining == slice.readableBytes ? .chunkDataEnd : .chunkData(remaining: remaining - slice.readableBytes)
                return .bytes(slice)
            case .chunkDataEnd:
                guard let line = try Self.line(&buffer) else { return nil }
                guard line.readableBytes == 0 else { throw HTTP1ParseError("a chunk did not end with CRLF") }
                state = .chunkSize
            case .trailers(let seen):
                guard let line = try Self.line(&buffer) else { return nil }
                if line.readableBytes == 0 {
                    state = .done
                    return .end
                }
                let total = seen + line.readableBytes
                guard total <= HTTP1Head.maxBytes else { throw HTTP1ParseError("its trailers are too large") }
                state = .trailers(seen: total)
            }
        }
    }

    /// The connection closed: `.end` for a body that runs until the close, nil for one already
    /// done, an error for one cut short.
    package mutating func closed() throws(HTTP1ParseError) -> Event? {
        switch state {
        case .done: return nil
        case .untilClose, .ending:
            state = .done
            return .end
        default: throw HTTP1ParseError("the connection closed before the body was complete")
        }
    }

    /// The next line (without its CRLF or LF), consumed from `buffer`; nil while incomplete.
    private static func line(_ buffer: inout ByteBuffer) throws(HTTP1ParseError) -> ByteBuffer? {
        guard let lf = buffer.readableBytesView.firstIndex(of: 0x0A) else {
            guard buffer.readableBytes <= HTTP1Head.maxBytes else { throw HTTP1ParseError("a chunk-size or trailer line is too long") }
            return nil
        }
        guard var line = buffer.readSlice(length: lf - buffer.readerIndex) else { return nil }
        buffer.moveReaderIndex(forwardBy: 1)
        if line.readableBytes > 0, line.getInteger(at: line.writerIndex - 1, as: UInt8.self) == 0x0D {
            line.moveWriterIndex(to: line.writerIndex - 1)
        }
        return line
    }

    /// A chunk-size line: hex digits, then optional extensions (`;…`), which are ignored.
    private static func chunkSize(_ line: ByteBuffer) throws(HTTP1ParseError) -> Int {
        var size = 0
        var digits = 0
        for byte in line.readableBytesView {
            let value: Int
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = Int(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = Int(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = Int(byte - UInt8(ascii: "A") + 10)
            case UInt8(ascii: ";"), UInt8(ascii: " "), UInt8(ascii: "\t"):
                guard digits > 0 else { throw HTTP1ParseError("a chunk size is not a hex number") }
                return size
            default: throw HTTP1ParseError("a chunk size is not a hex number")
            }
            digits += 1
            guard digits <= 15 else { throw HTTP1ParseError("a chunk size is too large") }
            size = size << 4 | value
        }
        guard digits > 0 else { throw HTTP1ParseError("a chunk size is not a hex number") }
        return size
    }
}
