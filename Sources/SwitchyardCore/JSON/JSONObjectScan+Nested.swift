/// Reading inside a scanned document: the object or array a member holds and the value of a
/// scalar, without a `JSONValue` of the whole (its dictionaries hash every key). For the bodies
/// the translated paths read for a few members: a request's messages, a provider's answer.
extension JSONObjectScan {
    /// The members of the object at `range` of `bytes` (a value a scan of `bytes` found: a
    /// member's `value`, an item of `items(of:in:)`), their ranges `bytes`' own indices; nil when
    /// the value there is not one well-formed object.
    public init?(_ bytes: [UInt8], at range: Range<Int>, maxDepth: Int = 512) {
        let found = bytes.withUnsafeBufferPointer { buffer -> [Member]? in
            guard range.lowerBound >= 0, range.upperBound <= buffer.count else { return nil }
            var scanner = JSONScanner(bytes: UnsafeBufferPointer(rebasing: buffer[range]), maxDepth: maxDepth)
            return scanner.scanTopObject()
        }
        guard var found else { return nil }
        // Shifted in place: a mapped copy was an allocation per object.
        for index in found.indices { found[index] = found[index].shifted(by: range.lowerBound) }
        self.bytes = bytes
        self.members = found
    }

    /// The ranges of the items of the array at `range` of `bytes`, in `bytes`' own indices; nil
    /// when the value there is not one well-formed array.
    public static func items(of range: Range<Int>, in bytes: [UInt8], maxDepth: Int = 512) -> [Range<Int>]? {
        bytes.withUnsafeBufferPointer { buffer -> [Range<Int>]? in
            guard range.lowerBound >= 0, range.upperBound <= buffer.count else { return nil }
            var scanner = JSONScanner(bytes: UnsafeBufferPointer(rebasing: buffer[range]), maxDepth: maxDepth)
            var items: [Range<Int>] = []
            items.reserveCapacity(8)
            guard scanner.scanTopArray(into: &items) else { return nil }
            let base = range.lowerBound
            for index in items.indices { items[index] = (items[index].lowerBound + base)..<(items[index].upperBound + base) }
            return items
        }
    }

    /// The items of the array member `key`; nil when it is absent or not an array.
    public func items(_ key: String) -> [Range<Int>]? {
        guard let member = member(key), bytes[member.value.lowerBound] == UInt8(ascii: "[") else { return nil }
        return Self.items(of: member.value, in: bytes)
    }

    /// The object member `key`; nil when it is absent or not an object.
    public func object(_ key: String) -> JSONObjectScan? {
        guard let member = member(key), bytes[member.value.lowerBound] == UInt8(ascii: "{") else { return nil }
        return JSONObjectScan(bytes, at: member.value)
    }

    /// The value at `range` (found by the scan) when it is a scalar, as `JSONValue.parse` reads
    /// it: a string (nil for invalid UTF-8 or a lone surrogate, which the parse refuses), a
    /// number (an integer that fits is `.int`), a flag or null. Nil for an object or an array.
    public func scalar(at range: Range<Int>) -> JSONValue? {
        guard let first = bytes[range].first else { return nil }
        switch first {
        case UInt8(ascii: "\""):
            guard range.count >= 2 else { return nil }
            return JSONStrings.unescape(inner: bytes[(range.lowerBound + 1)..<(range.upperBound - 1)], strict: true).map(JSONValue.string)
        case UInt8(ascii: "t"): return .bool(true)
        case UInt8(ascii: "f"): return .bool(false)
        case UInt8(ascii: "n"): return .null
        case UInt8(ascii: "{"), UInt8(ascii: "["): return nil
        default:
            let integral = !bytes[range].contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
            return JSONValue.number(bytes[range], integral: integral)
        }
    }

    /// The value at `range` (found by the scan) of any kind, parsed.
    public func value(at range: Range<Int>) -> JSONValue? {
        JSONValue.parse(Array(bytes[range]))
    }

    /// Member `key`'s value of any kind, parsed (nil when absent).
    public func value(_ key: String) -> JSONValue? {
        member(key).flatMap { value(at: $0.value) }
    }

    /// Member `key` as `JSONValue.intValue` reads it (a plain count without parsing anything).
    public func int(_ key: String) -> Int? {
        guard let member = member(key) else { return nil }
        return Self.integer(bytes[member.value]) ?? value(at: member.value)?.intValue
    }
}

extension JSONObjectScan.Member {
    func shifted(by offset: Int) -> Self {
        Self(
            keyBytes: (keyBytes.lowerBound + offset)..<(keyBytes.upperBound + offset), keyIsEscaped: keyIsEscaped,
            range: (range.lowerBound + offset)..<(range.upperBound + offset), value: (value.lowerBound + offset)..<(value.upperBound + offset))
    }
}
