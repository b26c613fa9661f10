/// String helpers for raw JSON bytes.
public enum JSONStrings {
    @inline(__always) public static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// `"…"` (quotes included) to its text, escapes resolved; nil for a malformed string.
    /// Lenient about what a JSON parser may refuse (a lone surrogate or invalid UTF-8 becomes
    /// U+FFFD): the scan that found the string already checked its syntax.
    public static func unescape(_ quoted: ArraySlice<UInt8>) -> String? {
        guard quoted.count >= 2 else { return nil }
        return unescape(inner: quoted.dropFirst().dropLast(), strict: false)
    }

    /// The text between a string's quotes, escapes resolved. `strict` refuses (nil) what
    /// Foundation's decoder refuses: a lone surrogate, invalid UTF-8.
    static func unescape(inner: ArraySlice<UInt8>, strict: Bool) -> String? {
        if !inner.contains(UInt8(ascii: "\\")) {
            return strict ? validUTF8(inner) : String(decoding: inner, as: UTF8.self)
        }
        var out: [UInt8] = []
        out.reserveCapacity(inner.count)
        var index = inner.startIndex
        while index < inner.endIndex {
            let byte = inner[index]
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                index += 1
                continue
            }
            index += 1
            guard index < inner.endIndex else { return nil }
            switch inner[index] {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard index + 4 < inner.endIndex, var scalar = hex4(inner[(index + 1)...(index + 4)]) else { return nil }
                index += 4
                if (0xD800..<0xDC00).contains(scalar), index + 6 < inner.endIndex, inner[index + 1] == UInt8(ascii: "\\"),
                    inner[index + 2] == UInt8(ascii: "u"), let low = hex4(inner[(index + 3)...(index + 6)]), (0xDC00..<0xE000).contains(low)
                {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                }
                guard let unicode = Unicode.Scalar(scalar) else {
                    if strict { return nil }
                    out.append(contentsOf: [0xEF, 0xBF, 0xBD])  // U+FFFD
                    index += 1
                    continue
                }
                out.append(contentsOf: String(Character(unicode)).utf8)
            default:
                return nil
            }
            index += 1
        }
        return strict ? validUTF8(out[...]) : String(decoding: out, as: UTF8.self)
    }

    /// `bytes` as a string when they are valid UTF-8, else nil. `String(validating:as:)` does the
    /// same through a generic entry that looks up type metadata on every call (2 % of a
    /// translated request, most of its strings short).
    public static func validUTF8(_ bytes: ArraySlice<UInt8>) -> String? {
        isValidUTF8(bytes) ? String(decoding: bytes, as: UTF8.self) : nil
    }

    /// Whether `bytes` are valid UTF-8 (RFC 3629: shortest forms, no surrogates, at most
    /// U+10FFFF), checked without making a string.
    public static func isValidUTF8(_ bytes: ArraySlice<UInt8>) -> Bool {
        var index = bytes.startIndex
        let end = bytes.endIndex
        while index < end {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let count: Int
            var scalar: UInt32
            let least: UInt32
            switch lead {
            case 0xC0...0xDF: (count, scalar, least) = (1, UInt32(lead & 0x1F), 0x80)
            case 0xE0...0xEF: (count, scalar, least) = (2, UInt32(lead & 0x0F), 0x800)
            case 0xF0...0xF7: (count, scalar, least) = (3, UInt32(lead & 0x07), 0x10000)
            default: return false
            }
            guard end - index > count else { return false }
            for offset in 1...count {
                let next = bytes[index + offset]
                guard next & 0xC0 == 0x80 else { return false }
                scalar = scalar << 6 | UInt32(next & 0x3F)
            }
            guard scalar >= least, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else { return false }
            index += count + 1
        }
        return true
    }

    @inline(__always) static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "f"))
    }

    static func hex4(_ digits: ArraySlice<UInt8>) -> UInt32? {
        var value: UInt32 = 0
        for digit in digits {
            value <<= 4
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value |= UInt32(digit - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value |= UInt32(digit - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value |= UInt32(digit - UInt8(ascii: "A") + 10)
            default: return nil
            }
        }
        return value
    }

    /// `text` as a JSON string literal, quotes included.
    public static func quoted(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 2)
        appendQuoted(text, to: &out)
        return out
    }

    /// Appends `text` as a JSON string literal, quotes included: runs of bytes that need no
    /// escape are copied whole.
    public static func appendQuoted(_ text: String, to out: inout [UInt8]) {
        // Read in place (a native string is contiguous): `withUTF8` is mutating, and the copy it
        // needs was a retain and a release per string.
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { appendQuoted(utf8: $0, to: &out) }
        guard done == nil else { return }
        var text = text
        text.withUTF8 { appendQuoted(utf8: $0, to: &out) }
    }

    static func appendQuoted(utf8 bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(0x22)
        var runStart = 0
        for index in 0..<bytes.count {
            let byte = bytes[index]
            guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
            appendEscaped(byte, to: &out)
            runStart = index + 1
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        out.append(0x22)
    }

    private static func appendEscaped(_ byte: UInt8, to out: inout [UInt8]) {
        out.append(0x5C)
        switch byte {
        case 0x22, 0x5C: out.append(byte)
        case 0x0A: out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(UInt8(ascii: "r"))
        case 0x09: out.append(UInt8(ascii: "t"))
        default:
            func hex(_ digit: UInt8) -> UInt8 { digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10 }
            out.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex(byte >> 4), hex(byte & 0xF)])
        }
    }
}
