/// The top-level members of a JSON object, found without decoding it: each key and the byte
/// ranges of the member and its value. The whole document is checked for well-formedness on the
/// way (strings, escapes, numbers, literals, nesting), so a body that scans is valid JSON. Used
/// by the forwarding fast path, which reads the few members routing needs and copies the rest.
public struct JSONObjectScan: Sendable {
    public struct Member: Sendable {
        /// The key's bytes between its quotes, escapes as written (`key(_:)` gives its text).
        public let keyBytes: Range<Int>
        /// The key holds a backslash escape, so its text is not its bytes.
        public let keyIsEscaped: Bool
        /// `"key"` through the end of the value.
        public let range: Range<Int>
        public let value: Range<Int>
    }

    public let bytes: [UInt8]
    public let members: [Member]

    /// nil when `bytes` is not one well-formed JSON object (whitespace around it allowed).
    public init?(_ bytes: [UInt8], maxDepth: Int = 512) {
        // The scan reads through a buffer pointer: no bounds check or retain per byte. The
        // scanner never escapes the closure.
        let found = bytes.withUnsafeBufferPointer { buffer -> [Member]? in
            var scanner = Scanner(bytes: buffer, maxDepth: maxDepth)
            return scanner.scanTopObject()
        }
        guard let members = found else { return nil }
        self.bytes = bytes
        self.members = members
    }

    /// The value ranges of the first top-level members named `names`, read while `bytes` is
    /// checked to be one well-formed JSON object (as `init` checks it); nil when it is not.
    /// Keeps no other member, so it allocates nothing: for a stream's reader, which asks the same
    /// few members of every event.
    public static func values(
        _ names: (StaticString, StaticString, StaticString), in bytes: [UInt8], maxDepth: Int = 512
    ) -> (Range<Int>?, Range<Int>?, Range<Int>?)? {
        values(names, in: bytes[...], maxDepth: maxDepth)
    }

    /// `values(_:in:)` for two names.
    public static func values(_ names: (StaticString, StaticString), in bytes: [UInt8], maxDepth: Int = 512) -> (Range<Int>?, Range<Int>?)? {
        values((names.0, names.1, names.1), in: bytes, maxDepth: maxDepth).map { ($0.0, $0.1) }
    }

    /// `values(_:in:)` over a slice; the ranges are the slice's own indices.
    public static func values(
        _ names: (StaticString, StaticString, StaticString), in bytes: ArraySlice<UInt8>, maxDepth: Int = 512
    ) -> (Range<Int>?, Range<Int>?, Range<Int>?)? {
        bytes.withUnsafeBufferPointer { buffer in
            guard let found = values(names, in: buffer, maxDepth: maxDepth) else { return nil }
            let base = bytes.startIndex
            func shifted(_ range: Range<Int>?) -> Range<Int>? { range.map { ($0.lowerBound + base)..<($0.upperBound + base) } }
            return (shifted(found.0), shifted(found.1), shifted(found.2))
        }
    }

    /// `values(_:in:)` over bytes a caller holds by pointer; the ranges are offsets into them.
    public static func values(
        _ names: (StaticString, StaticString, StaticString), in buffer: UnsafeBufferPointer<UInt8>, maxDepth: Int = 512
    ) -> (Range<Int>?, Range<Int>?, Range<Int>?)? {
        var scanner = Scanner(bytes: buffer, maxDepth: maxDepth)
        var sink = ThreeMembers(names: names)
        guard scanner.scanTopObject(into: &sink) else { return nil }
        return sink.found
    }

    /// The member named `key`. Keys are compared as bytes, so a lookup makes no string.
    public func member(_ key: String) -> Member? {
        var key = key
        return key.withUTF8 { name in
            bytes.withUnsafeBufferPointer { buffer in members.first { Self.keyEquals($0, name, in: buffer) } }
        }
    }

    /// Whether `member`'s key is `name` (an escaped key, rare, is compared by its text).
    static func keyEquals(_ member: Member, _ name: UnsafeBufferPointer<UInt8>, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let key = UnsafeBufferPointer(rebasing: bytes[member.keyBytes])
        guard member.keyIsEscaped else {
            // Lengths first: most keys compared are some other member's.
            guard key.count == name.count else { return false }
            for offset in 0..<key.count where key[offset] != name[offset] { return false }
            return true
        }
        return JSONStrings.unescape(inner: Array(key)[...], strict: false).map { $0.utf8.elementsEqual(name) } ?? false
    }

    /// Whether a value's bytes are the literal `null`.
    public static func isNull(_ value: ArraySlice<UInt8>) -> Bool { value.elementsEqual("null".utf8) }
    public static func isNull(_ value: UnsafeBufferPointer<UInt8>) -> Bool { value.elementsEqual("null".utf8) }

    /// A member's key, escapes resolved.
    public func key(_ member: Member) -> String {
        let inner = bytes[member.keyBytes]
        guard member.keyIsEscaped else { return String(decoding: inner, as: UTF8.self) }
        return JSONStrings.unescape(inner: inner, strict: false) ?? ""
    }

    public func contains(_ key: String) -> Bool { member(key) != nil }

    /// The raw bytes of a member's value.
    public func valueBytes(_ key: String) -> ArraySlice<UInt8>? { member(key).map { bytes[$0.value] } }

    /// A string member's value, unescaped.
    public func string(_ key: String) -> String? {
        guard let range = member(key)?.value, bytes[range.lowerBound] == UInt8(ascii: "\"") else { return nil }
        return JSONStrings.unescape(bytes[range])
    }

    /// A boolean member's value.
    public func bool(_ key: String) -> Bool? {
        guard let slice = valueBytes(key) else { return nil }
        if slice.elementsEqual("true".utf8) { return true }
        if slice.elementsEqual("false".utf8) { return false }
        return nil
    }

    /// Whether the member is `null` (or absent).
    public func isNull(_ key: String) -> Bool {
        guard let slice = valueBytes(key) else { return true }
        return Self.isNull(slice)
    }

    /// Whether the member is an array with at least one element.
    public func isNonEmptyArray(_ key: String) -> Bool {
        guard let slice = valueBytes(key), slice.first == UInt8(ascii: "[") else { return false }
        return slice.dropFirst().contains { !JSONStrings.isWhitespace($0) && $0 != UInt8(ascii: "]") }
    }

    /// Whether the member is an array.
    public func isArray(_ key: String) -> Bool { valueBytes(key)?.first == UInt8(ascii: "[") }

    /// A member's value as a plain non-negative integer (`123`), or nil for anything else
    /// (absent, null, negative, fractional, exponent, more than 18 digits).
    public func integer(_ key: String) -> Int? {
        valueBytes(key).flatMap(Self.integer)
    }

    /// A value's bytes as a plain non-negative integer, as `integer(_:)` reads it.
    public static func integer(_ slice: ArraySlice<UInt8>) -> Int? {
        guard !slice.isEmpty, slice.count <= 18 else { return nil }
        var value = 0
        for byte in slice {
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}

extension JSONObjectScan {
    /// The object with `drop` removed, members renamed per `rename` (when the new name is not
    /// already set) and values replaced per `replace` (the new value's JSON bytes); everything else
    /// is copied byte for byte, in order.
    public func edited(drop: Set<String> = [], rename: [String: String] = [:], replace: [String: [UInt8]] = [:]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.reserveCapacity(bytes.count + 16)
        var first = true
        for member in members where drop.isEmpty || !drop.contains(key(member)) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            append(member, to: &out, rename: rename, replace: replace)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// Appends `member` as `"key":value`, its key renamed per `rename` unless the new name is
    /// already a member, its value replaced per `replace`.
    @inline(__always)
    func append(_ member: Member, to out: inout [UInt8], rename: [String: String], replace: [String: [UInt8]]) {
        let key = rename.isEmpty && replace.isEmpty ? nil : self.key(member)
        let newName = rename.isEmpty ? nil : key.flatMap { rename[$0] }.flatMap { contains($0) ? nil : $0 }
        let newValue = replace.isEmpty ? nil : key.flatMap { replace[$0] }
        guard newName != nil || newValue != nil else {
            out.append(contentsOf: bytes[member.range])
            return
        }
        if let newName {
            out.append(contentsOf: JSONStrings.quoted(newName))
        } else {
            out.append(contentsOf: bytes[member.keyBytes.lowerBound - 1..<member.keyBytes.upperBound + 1])  // as written
        }
        out.append(UInt8(ascii: ":"))
        if let newValue {
            out.append(contentsOf: newValue)
        } else {
            out.append(contentsOf: bytes[member.value])
        }
    }
}

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

/// Where a scan puts the members of the object it reads.
protocol MemberSink {
    /// False for a sink that keeps nothing (the members of nested objects).
    static var records: Bool { get }
    mutating func record(_ member: JSONObjectScan.Member, in bytes: UnsafeBufferPointer<UInt8>)
}

extension Array: MemberSink where Element == JSONObjectScan.Member {
    static var records: Bool { true }
    mutating func record(_ member: JSONObjectScan.Member, in bytes: UnsafeBufferPointer<UInt8>) { append(member) }
}

struct NoMembers: MemberSink {
    static var records: Bool { false }
    func record(_ member: JSONObjectScan.Member, in bytes: UnsafeBufferPointer<UInt8>) {}
}

/// The first value of each of three names.
struct ThreeMembers: MemberSink {
    static var records: Bool { true }
    let names: (StaticString, StaticString, StaticString)
    var found: (Range<Int>?, Range<Int>?, Range<Int>?) = (nil, nil, nil)

    mutating func record(_ member: JSONObjectScan.Member, in bytes: UnsafeBufferPointer<UInt8>) {
        if found.0 == nil, Self.named(member, names.0, in: bytes) { found.0 = member.value }
        if found.1 == nil, Self.named(member, names.1, in: bytes) { found.1 = member.value }
        if found.2 == nil, Self.named(member, names.2, in: bytes) { found.2 = member.value }
    }

    static func named(_ member: JSONObjectScan.Member, _ name: StaticString, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        name.withUTF8Buffer { JSONObjectScan.keyEquals(member, $0, in: bytes) }
    }
}

/// A validating single-pass scanner over JSON bytes, valid only while its buffer is.
private struct Scanner {
    let bytes: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    var index = 0
    /// Whether the string `scanString()` read last holds an escape.
    var lastStringEscaped = false

    init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    mutating func skipWhitespace() {
        while index < bytes.count, JSONStrings.isWhitespace(bytes[index]) { index += 1 }
    }

    mutating func scanTopObject() -> [JSONObjectScan.Member]? {
        var members: [JSONObjectScan.Member] = []
        members.reserveCapacity(8)
        return scanTopObject(into: &members) ? members : nil
    }

    /// Checks the bytes are one object (whitespace around it allowed), its members to `sink`.
    mutating func scanTopObject<Sink: MemberSink>(into sink: inout Sink) -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return false }
        guard scanObject(depth: 1, into: &sink) else { return false }
        skipWhitespace()
        return index == bytes.count
    }

    /// Skips an object (at `{`), each member to `sink`.
    mutating func scanObject<Sink: MemberSink>(depth: Int, into sink: inout Sink) -> Bool {
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return true
        }
        while true {
            skipWhitespace()
            let memberStart = index
            guard let keyRange = scanString() else { return false }
            let keyEscaped = lastStringEscaped
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return false }
            index += 1
            skipWhitespace()
            let valueStart = index
            guard scanValue(depth: depth) else { return false }
            if Sink.records {
                sink.record(
                    .init(
                        keyBytes: (keyRange.lowerBound + 1)..<(keyRange.upperBound - 1), keyIsEscaped: keyEscaped,
                        range: memberStart..<index, value: valueStart..<index),
                    in: bytes)
            }
            skipWhitespace()
            guard index < bytes.count else { return false }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "}") else { return false }
            index += 1
            return true
        }
    }

    /// Skips one value; false if it is malformed.
    mutating func scanValue(depth: Int) -> Bool {
        guard depth <= maxDepth, index < bytes.count else { return false }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            return scanString() != nil
        case UInt8(ascii: "{"):
            var ignored = NoMembers()
            return scanObject(depth: depth + 1, into: &ignored)
        case UInt8(ascii: "["):
            index += 1
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return true
            }
            while true {
                skipWhitespace()
                guard scanValue(depth: depth + 1) else { return false }
                skipWhitespace()
                guard index < bytes.count else { return false }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                guard bytes[index] == UInt8(ascii: "]") else { return false }
                index += 1
                return true
            }
        case UInt8(ascii: "t"): return scanLiteral("true")
        case UInt8(ascii: "f"): return scanLiteral("false")
        case UInt8(ascii: "n"): return scanLiteral("null")
        default:
            return scanNumber()
        }
    }

    mutating func scanLiteral(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        let matches = literal.withUTF8Buffer { buffer in
            for offset in 0..<count where bytes[index + offset] != buffer[offset] { return false }
            return true
        }
        guard matches else { return false }
        index += count
        return true
    }

    /// A string's range, quotes included; nil if malformed (control characters, bad escapes, unterminated).
    mutating func scanString() -> Range<Int>? {
        // The position is a local while the string is read, stored back once: kept in `self`,
        // it was written to memory at every byte.
        let bytes = self.bytes
        var at = index
        guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { return nil }
        let start = at
        at += 1
        var escaped = false
        var plainRun = 0
        defer {
            index = at
            lastStringEscaped = escaped
        }
        while at < bytes.count {
            if plainRun == 16 {
                // A long run of text: eight bytes a step until a word may end or escape it.
                at = WordScan.skip(bytes, from: at) { WordScan.has($0, 0x22) || WordScan.has($0, 0x5C) || WordScan.hasLess($0, than: 0x20) }
                plainRun = 0
                guard at < bytes.count else { return nil }
            }
            let byte = bytes[at]
            if byte == UInt8(ascii: "\"") {
                at += 1
                return start..<at
            }
            if byte < 0x20 { return nil }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                at += 1
                guard at < bytes.count else { return nil }
                switch bytes[at] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    at += 1
                case UInt8(ascii: "u"):
                    guard at + 4 < bytes.count else { return nil }
                    for offset in 1...4 where !JSONStrings.isHexDigit(bytes[at + offset]) { return nil }
                    at += 5
                default:
                    return nil
                }
                plainRun = 0
                continue
            }
            at += 1
            plainRun += 1
        }
        return nil
    }

    mutating func scanNumber() -> Bool {
        let start = index
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { return false }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            guard scanDigits() else { return false }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard scanDigits() else { return false }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard scanDigits() else { return false }
        }
        return index > start
    }

    mutating func scanDigits() -> Bool {
        let start = index
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
        return index > start
    }
}
