/// JSON text to `JSONValue` and back without Foundation's coders: the translated paths build
/// and read provider bodies as `JSONValue`s, and `JSONEncoder`/`JSONDecoder` cost several times
/// more per byte. Numbers read as Foundation reads them into `JSONValue` (an integral value that
/// fits is `.int`), so either path gives equal values.
extension JSONValue {
    /// The value of `bytes` (one JSON value, whitespace around it allowed); nil when malformed
    /// (bad syntax, invalid UTF-8, a lone surrogate, nesting deeper than `maxDepth`).
    public static func parse(_ bytes: [UInt8], maxDepth: Int = 512) -> JSONValue? {
        var parser = ValueParser(bytes: bytes, maxDepth: maxDepth)
        parser.skipWhitespace()
        guard let value = parser.value(depth: 0) else { return nil }
        parser.skipWhitespace()
        // Not `? value : nil`: JSONValue is ExpressibleByNilLiteral, so that nil would be `.null`.
        guard parser.index == bytes.count else { return Optional.none }
        return value
    }

    /// The value as JSON text; nil if it holds a number JSON cannot write (NaN, infinity).
    public var jsonBytes: [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        return write(into: &out) ? out : nil
    }

    /// Appends the value as JSON text; false (with part of it appended) when it holds a number
    /// JSON cannot write.
    func write(into out: inout [UInt8]) -> Bool {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .int(let value): out.append(contentsOf: String(value).utf8)
        case .double(let value):
            guard value.isFinite else { return false }
            Self.append(value, to: &out)
        case .string(let value): JSONStrings.appendQuoted(value, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                guard item.write(into: &out) else { return false }
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            var first = true
            for (key, member) in members {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                JSONStrings.appendQuoted(key, to: &out)
                out.append(UInt8(ascii: ":"))
                guard member.write(into: &out) else { return false }
            }
            out.append(UInt8(ascii: "}"))
        }
        return true
    }
}

extension JSONValue {
    /// A finite double as Foundation writes it: integral values without a fraction, others in
    /// their shortest form.
    static func append(_ number: Double, to out: inout [UInt8]) {
        if number.rounded() == number && abs(number) < 9.0e15 {
            out.append(contentsOf: String(Int64(number)).utf8)
        } else {
            out.append(contentsOf: number.description.utf8)
        }
    }
}

extension JSONValue {
    /// A number's text (already checked to be one) as `parse` reads it: an integer that fits
    /// is `.int`, so is a whole double below 9e15; nil for one too large for a double.
    static func number(_ text: ArraySlice<UInt8>, integral: Bool) -> JSONValue? {
        let text = String(decoding: text, as: UTF8.self)
        if integral, let value = Int(text) { return .int(value) }
        guard let value = Double(text), value.isFinite else { return nil }
        if value.rounded() == value && abs(value) < 9.0e15 { return .int(Int(value)) }
        return .double(value)
    }
}

private struct ValueParser {
    let bytes: [UInt8]
    let maxDepth: Int
    var index = 0
    /// Members of the objects and items of the arrays being read, innermost last.
    var pending: [(String, JSONValue)] = []
    var pendingItems: [JSONValue] = []

    init(bytes: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
        pending.reserveCapacity(16)
    }

    mutating func skipWhitespace() {
        while index < bytes.count, JSONStrings.isWhitespace(bytes[index]) { index += 1 }
    }

    mutating func value(depth: Int) -> JSONValue? {
        guard depth <= maxDepth, index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "{"): return object(depth: depth + 1)
        case UInt8(ascii: "["): return array(depth: depth + 1)
        case UInt8(ascii: "\""): return string().map(JSONValue.string)
        case UInt8(ascii: "t"): return literal("true", .bool(true))
        case UInt8(ascii: "f"): return literal("false", .bool(false))
        case UInt8(ascii: "n"): return literal("null", .null)
        default: return number()
        }
    }

    mutating func literal(_ text: StaticString, _ value: JSONValue) -> JSONValue? {
        let count = text.utf8CodeUnitCount
        guard index + count <= bytes.count else { return nil }
        let matches = text.withUTF8Buffer { expected in
            (0..<count).allSatisfy { bytes[index + $0] == expected[$0] }
        }
        guard matches else { return nil }
        index += count
        return value
    }

    /// The members are gathered on `pending` (shared by every object of the parse) and the
    /// dictionary built once at its final size: growing it member by member reallocated and
    /// rehashed it at 1, 2, 4 and 7 members.
    mutating func object(depth: Int) -> JSONValue? {
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object([:])
        }
        let base = pending.count
        defer { pending.removeSubrange(base...) }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), let key = string() else { return nil }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            skipWhitespace()
            guard let member = value(depth: depth) else { return nil }
            pending.append((key, member))
            skipWhitespace()
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "}") else { return nil }
            index += 1
            var members = [String: JSONValue](minimumCapacity: pending.count - base)
            // Backwards, so that of repeated names the first wins, as with Foundation.
            for (key, member) in pending[base...].reversed() { members[key] = member }
            return .object(members)
        }
    }

    /// The items are gathered on `pendingItems` and the array made once at its final size.
    mutating func array(depth: Int) -> JSONValue? {
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array([])
        }
        let base = pendingItems.count
        defer { pendingItems.removeSubrange(base...) }
        while true {
            skipWhitespace()
            guard let item = value(depth: depth) else { return nil }
            pendingItems.append(item)
            skipWhitespace()
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "]") else { return nil }
            index += 1
            return .array(Array(pendingItems[base...]))
        }
    }

    /// A string at `"`, unescaped; nil when malformed.
    mutating func string() -> String? {
        index += 1
        let start = index
        var plain = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { break }
            if byte < 0x20 { return nil }
            if byte == UInt8(ascii: "\\") {
                plain = false
                index += 2
                continue
            }
            index += 1
        }
        guard index < bytes.count else { return nil }
        let end = index
        index += 1
        if plain { return JSONStrings.validUTF8(bytes[start..<end]) }
        return JSONStrings.unescape(inner: bytes[start..<end], strict: true)
    }

    mutating func number() -> JSONValue? {
        let start = index
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { return nil }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            guard digits() else { return nil }
        }
        var integral = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            integral = false
            index += 1
            guard digits() else { return nil }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            integral = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() else { return nil }
        }
        return JSONValue.number(bytes[start..<index], integral: integral)
    }

    mutating func digits() -> Bool {
        let start = index
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
        return index > start
    }
}
