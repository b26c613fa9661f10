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
            var scanner = JSONScanner(bytes: buffer, maxDepth: maxDepth)
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
        var scanner = JSONScanner(bytes: buffer, maxDepth: maxDepth)
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

    /// Whether `member`'s key is `name`, compared as bytes.
    func keyIs(_ member: Member, _ name: StaticString) -> Bool {
        name.withUTF8Buffer { name in bytes.withUnsafeBufferPointer { Self.keyEquals(member, name, in: $0) } }
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
