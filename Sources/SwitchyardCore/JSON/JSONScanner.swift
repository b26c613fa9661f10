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

/// Where a scan puts the ranges of the items of the array it reads.
protocol ItemSink {
    /// False for a sink that keeps nothing (the items of nested arrays).
    static var records: Bool { get }
    mutating func record(_ item: Range<Int>)
}

extension Array: ItemSink where Element == Range<Int> {
    static var records: Bool { true }
    mutating func record(_ item: Range<Int>) { append(item) }
}

struct NoItems: ItemSink {
    static var records: Bool { false }
    func record(_ item: Range<Int>) {}
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
struct JSONScanner {
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

    /// Checks the bytes are one array (whitespace around it allowed), the range of each item to `items`.
    mutating func scanTopArray(into items: inout [Range<Int>]) -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "[") else { return false }
        guard scanArray(depth: 1, into: &items) else { return false }
        skipWhitespace()
        return index == bytes.count
    }

    /// Skips an array (at `[`), the range of each item to `sink`.
    mutating func scanArray<Sink: ItemSink>(depth: Int, into sink: inout Sink) -> Bool {
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return true
        }
        while true {
            skipWhitespace()
            let start = index
            guard scanValue(depth: depth + 1) else { return false }
            if Sink.records { sink.record(start..<index) }
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
            var ignored = NoItems()
            return scanArray(depth: depth, into: &ignored)
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
