import NIOCore
import NIOHTTP1
import SwitchyardProviders

/// The bytes of an HTTP/1 response, written straight into the buffer that goes to the socket:
/// the status line and fields, and a streamed body's chunk framing. (The server writes these
/// itself instead of through NIO's `HTTPResponseEncoder`: an answer is one buffer and one
/// pipeline write, not a head, a body and an end each wrapped, encoded and queued apart.)
enum HTTP1ResponseBytes {
    /// How the body's end is known.
    enum Framing: Equatable {
        /// `Content-Length: n` (with a body to follow unless the request was `HEAD`).
        case length(Int)
        /// `Transfer-Encoding: chunked`: HTTP/1.1's streamed body.
        case chunked
        /// The body ends when the connection closes: HTTP/1.0's streamed body.
        case untilClose
        /// No body and no length (1xx, 204).
        case none
    }

    /// What the `Connection` field says.
    enum Persistence {
        /// HTTP/1.1's default: no field.
        case implied
        /// `Connection: keep-alive`, which an HTTP/1.0 client needs to keep the connection.
        case keepAlive
        /// `Connection: close`.
        case close
    }

    /// Appends the head of a response: status line, `fields` (less the ones that frame a message,
    /// which are this hop's own, and any that would break the head: a name that is not a token,
    /// a value with CR, LF or NUL), the framing field, the `Connection` field and the blank line.
    static func writeHead(
        status: Int, version: HTTPVersion, fields: HeaderFields, framing: Framing, persistence: Persistence,
        into buffer: inout ByteBuffer
    ) {
        buffer.writeStaticString(version.minor == 0 && version.major == 1 ? "HTTP/1.0 " : "HTTP/1.1 ")
        writeDecimal(min(max(status, 100), 999), into: &buffer)
        buffer.writeInteger(UInt8(ascii: " "))
        buffer.writeString(HTTPResponseStatus(statusCode: status).reasonPhrase)
        buffer.writeStaticString("\r\n")
        writeFields(fields, into: &buffer)
        switch framing {
        case .length(let count):
            buffer.writeStaticString("Content-Length: ")
            writeDecimal(count, into: &buffer)
            buffer.writeStaticString("\r\n")
        case .chunked:
            buffer.writeStaticString("Transfer-Encoding: chunked\r\n")
        case .untilClose, .none:
            break
        }
        switch persistence {
        case .implied: break
        case .keepAlive: buffer.writeStaticString("Connection: keep-alive\r\n")
        case .close: buffer.writeStaticString("Connection: close\r\n")
        }
        buffer.writeStaticString("\r\n")
    }

    /// Writes `fields` in one go into the buffer's free space, each checked as it is copied (a
    /// field that fails the check is taken back); this hop's own fields are left out.
    private static func writeFields(_ fields: HeaderFields, into buffer: inout ByteBuffer) {
        // Index loops reading the fields in place: iterating copies (retains) each field.
        let list = fields.fields
        var room = 0
        for index in list.indices { room += list[index].name.utf8.count + list[index].value.utf8.count + 4 }
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: room) { out in
            var end = 0
            for index in list.indices where !isOwnField(list[index].name) {
                var at = end
                guard copy(list[index].name.utf8, to: out, at: &at, allowed: HeaderFields.isTokenByte), at > end else { continue }
                out[at] = UInt8(ascii: ":")
                out[at + 1] = UInt8(ascii: " ")
                at += 2
                guard copy(list[index].value.utf8, to: out, at: &at, allowed: HeaderFields.isFieldValueByte) else { continue }
                out[at] = UInt8(ascii: "\r")
                out[at + 1] = UInt8(ascii: "\n")
                end = at + 2
            }
            return end
        }
    }

    /// Copies `bytes` to `out` from `at` (moved past them); false at the first byte not `allowed`.
    @inline(__always)
    private static func copy(
        _ bytes: String.UTF8View, to out: UnsafeMutableRawBufferPointer, at: inout Int, allowed: (UInt8) -> Bool
    ) -> Bool {
        let start = at
        let copied = bytes.withContiguousStorageIfAvailable { source -> Bool in
            guard source.allSatisfy(allowed) else { return false }
            UnsafeMutableRawBufferPointer(rebasing: out[start..<(start + source.count)]).copyMemory(from: UnsafeRawBufferPointer(source))
            return true
        }
        if let copied {
            at += copied ? bytes.count : 0
            return copied
        }
        for byte in bytes {
            guard allowed(byte) else { return false }
            out[at] = byte
            at += 1
        }
        return true
    }

    /// The fields that frame a message or manage its connection: each hop writes its own.
    private static func isOwnField(_ name: String) -> Bool {
        HeaderFields.isFraming(name) || HeaderFields.sameName(name, "keep-alive")
    }

    /// The size of a head with these fields, to reserve before writing it (an estimate, never
    /// short for the fields themselves).
    static func headCapacity(_ fields: HeaderFields) -> Int {
        var size = 128
        for field in fields { size += field.name.utf8.count + field.value.utf8.count + 4 }
        return size
    }

    /// Appends one chunk of a chunked body (`bytes` must not be empty: an empty chunk ends the body).
    static func writeChunk(_ bytes: [UInt8], into buffer: inout ByteBuffer) {
        writeHex(bytes.count, into: &buffer)
        buffer.writeStaticString("\r\n")
        buffer.writeBytes(bytes)
        buffer.writeStaticString("\r\n")
    }

    /// The end of a chunked body: the last chunk, no trailers.
    static let lastChunk: StaticString = "0\r\n\r\n"

    /// The room a chunk's framing takes beside its bytes.
    static let chunkFramingCapacity = 20

    private static func writeDecimal(_ value: Int, into buffer: inout ByteBuffer) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // up to 24 digits, written backwards
        var count = 0
        var rest = max(value, 0)
        withUnsafeMutableBytes(of: &digits) { raw in
            repeat {
                raw[23 - count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            } while rest > 0
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: raw[(24 - count)...]))
        }
    }

    private static func writeHex(_ value: Int, into buffer: inout ByteBuffer) {
        let hex: StaticString = "0123456789abcdef"
        var shift = (Int.bitWidth - value.leadingZeroBitCount + 3) / 4 * 4 - 4
        if shift < 0 { shift = 0 }
        hex.withUTF8Buffer { table in
            while shift >= 0 {
                buffer.writeInteger(table[(value >> shift) & 0xF])
                shift -= 4
            }
        }
    }
}
