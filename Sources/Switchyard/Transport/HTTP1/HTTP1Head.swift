import NIOCore
import SwitchyardProviders

/// Why a message's bytes cannot be read as HTTP/1.1. `description` says what is wrong, without
/// saying whose message it was: each side puts it in its own words.
package struct HTTP1ParseError: Error, Equatable, CustomStringConvertible {
    package enum Kind: Sendable { case malformed, headTooLarge }
    package let kind: Kind
    package let description: String

    package init(_ description: String, kind: Kind = .malformed) {
        self.kind = kind
        self.description = description
    }
}

/// A head's fields, and what they say about framing and the connection (RFC 9112 § 6, § 9.3).
package struct HTTP1Fields: Sendable {
    package var headers = HeaderFields()
    /// `Connection: close` was sent.
    package var close = false
    /// `Connection: keep-alive` was sent (what keeps an HTTP/1.0 connection open).
    package var keepAliveToken = false
    /// nil without `Transfer-Encoding`; else whether its last coding is `chunked`.
    package var chunked: Bool?
    /// The `Content-Length`, every copy of it agreeing.
    package var contentLength: Int?

    /// Whether the connection stays open after this message, for HTTP/1.`minor`.
    package func keepAlive(minor: Int) -> Bool { !close && (minor >= 1 || keepAliveToken) }
}

/// Reading an HTTP/1.1 head (start line, fields, blank line) out of a connection's bytes; the
/// parts both the server's request parser and the transport's response parser use.
package enum HTTP1Head {
    /// Largest head accepted (start line and fields), and largest chunk-size or trailer line:
    /// 80 KiB, the limit NIO's decoder had (the README promises 431 past it).
    package static let maxBytes = 80 * 1_024

    /// The length of the head at the start of `buffer` through its blank line, or nil while it is
    /// incomplete. Empty lines before the start line are dropped first (RFC 9112 § 2.2).
    /// `scanned` is how much was searched before (zero for a new head); a slow sender is not
    /// searched again from the start.
    package static func end(in buffer: inout ByteBuffer, scanned: inout Int) throws(HTTP1ParseError) -> Int? {
        if scanned == 0 {
            while let byte = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self), byte == 0x0D || byte == 0x0A {
                buffer.moveReaderIndex(forwardBy: 1)
            }
        }
        let from = max(0, scanned - 1)
        let end = buffer.withUnsafeReadableBytes { raw -> Int? in
            var index = from
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
        guard let end else {
            scanned = buffer.readableBytes
            guard buffer.readableBytes <= maxBytes else { throw HTTP1ParseError("its head is too large", kind: .headTooLarge) }
            return nil
        }
        guard end <= maxBytes else { throw HTTP1ParseError("its head is too large", kind: .headTooLarge) }
        scanned = 0
        return end
    }

    /// Parses a complete head: its start line with `startLine`, then its fields.
    ///
    /// `previous` is the last head read on the same connection: a connection's heads mostly
    /// repeat (a client's fields, an upstream's), so a field equal to the one at its place there
    /// reuses its strings, and a head whose fields all are equal reuses its list: no allocation.
    package static func parse<Start>(
        _ raw: UnsafeRawBufferPointer, reusing previous: HeaderFields = HeaderFields(),
        startLine: (UnsafeRawBufferPointer) throws(HTTP1ParseError) -> Start
    ) throws(HTTP1ParseError) -> (Start, HTTP1Fields) {
        var lines = Lines(raw)
        guard let first = lines.next() else { throw HTTP1ParseError("it has no start line") }
        let start = try startLine(UnsafeRawBufferPointer(rebasing: raw[first]))
        var fields = HTTP1Fields()
        let reused = previous.fields
        // How many fields from the start equal `reused`'s, while every one so far has.
        var same = 0
        var differs = false
        while let range = lines.next(), !range.isEmpty {
            let (name, value) = try parseField(UnsafeRawBufferPointer(rebasing: raw[range]), into: &fields)
            let index = differs ? fields.headers.fields.count : same
            let sameName = index < reused.count && sameBytes(reused[index].name, name)
            let sameValue = sameName && sameBytes(reused[index].value, value)
            if !differs {
                if sameValue {
                    same += 1
                    continue
                }
                differs = true
                // One allocation for the fields: at most one per line after the start line.
                var lineCount = 0
                for byte in raw where byte == 0x0A { lineCount += 1 }
                fields.headers.fields.reserveCapacity(max(0, lineCount - 2))
                fields.headers.fields.append(contentsOf: reused[..<same])
            }
            fields.headers.fields.append(HeaderFields.Field(
                name: sameName ? reused[index].name : String(decoding: name, as: UTF8.self),
                value: sameValue ? reused[index].value : String(decoding: value, as: UTF8.self)))
        }
        if !differs {
            fields.headers = same == reused.count ? previous : HeaderFields(Array(reused[..<same]))
        }
        return (start, fields)
    }

    /// Checks a field line and notes what it says about framing and keep-alive; its name and
    /// value (without the spaces around it).
    private static func parseField(
        _ line: UnsafeRawBufferPointer, into fields: inout HTTP1Fields
    ) throws(HTTP1ParseError) -> (UnsafeRawBufferPointer, UnsafeRawBufferPointer) {
        guard line[0] != 0x20 && line[0] != 0x09 else { throw HTTP1ParseError("it folds a field over lines, which HTTP/1.1 forbids") }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0 else { throw HTTP1ParseError("a line of its head is not a field") }
        for byte in line[..<colon] where !HeaderFields.isTokenByte(byte) {
            throw HTTP1ParseError("a field name is not a token")
        }
        var start = colon + 1
        var end = line.count
        while start < end && (line[start] == 0x20 || line[start] == 0x09) { start += 1 }
        while end > start && (line[end - 1] == 0x20 || line[end - 1] == 0x09) { end -= 1 }
        for byte in line[start..<end] where byte == 0 || byte == 0x0D { throw HTTP1ParseError("a field value has a CR or NUL") }
        let name = UnsafeRawBufferPointer(rebasing: line[..<colon])
        let value = UnsafeRawBufferPointer(rebasing: line[start..<end])
        switch name.count {
        case 10 where equalsLowercase(name, "connection"):
            forEachElement(value) { token in
                if equalsLowercase(token, "close") { fields.close = true }
                if equalsLowercase(token, "keep-alive") { fields.keepAliveToken = true }
            }
        case 14 where equalsLowercase(name, "content-length"):
            var length: Int?
            var valid = true
            forEachElement(value) { element in
                guard let parsed = decimal(element), length == nil || length == parsed else {
                    valid = false
                    return
                }
                length = parsed
            }
            guard valid, let length, fields.contentLength == nil || fields.contentLength == length else {
                throw HTTP1ParseError("its Content-Length is invalid")
            }
            fields.contentLength = length
        case 17 where equalsLowercase(name, "transfer-encoding"):
            var chunked = false
            forEachElement(value) { coding in chunked = equalsLowercase(coding, "chunked") }
            // Codings of several fields make one list: the last one decides.
            fields.chunked = chunked
        default:
            break
        }
        return (name, value)
    }

    /// Whether `string`'s UTF-8 is exactly `bytes`.
    static func sameBytes(_ string: String, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let utf8 = string.utf8
        guard utf8.count == bytes.count else { return false }
        let equal = utf8.withContiguousStorageIfAvailable { stored in
            for index in 0..<stored.count where stored[index] != bytes[index] { return false }
            return true
        }
        return equal ?? utf8.elementsEqual(bytes)
    }

    /// A non-negative decimal that fits an `Int`, nothing else.
    package static func decimal(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value = 0
        for byte in bytes {
            guard (0x30...0x39).contains(byte) else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }

    /// Each element of a comma-separated field value, without the spaces around it.
    package static func forEachElement(_ value: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
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
    package static func equalsLowercase(_ bytes: UnsafeRawBufferPointer, _ lowercase: StaticString) -> Bool {
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

    /// Whether `bytes` start with `prefix` exactly.
    package static func hasPrefix(_ bytes: UnsafeRawBufferPointer, _ prefix: StaticString) -> Bool {
        prefix.withUTF8Buffer { expected in
            bytes.count >= expected.count && expected.indices.allSatisfy { bytes[$0] == expected[$0] }
        }
    }

    /// The lines of a head: index ranges without their CRLF (or LF).
    private struct Lines {
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
