/// An `Encoder` that writes JSON bytes: how `JSONCoding.encode` writes every Codable wire type.
/// Foundation's `JSONEncoder` cost about as much as the rest of a translated request; this one
/// keeps a small tree of what was encoded (containers may be filled in any order, and a member
/// written twice keeps its first place with its last value, as `encodeExtra` relies on) and
/// writes it once. Members come out in the order they were first encoded, so a response reads
/// `id`, `object`, `created`, … as OpenAI writes it (Foundation's order is random on Linux).
///
/// Strings are written as `JSONStrings.appendQuoted` writes them (no `\/`); numbers as Foundation
/// writes them (an integral floating-point value without `.0`); NaN and infinity fail with
/// `EncodingError.invalidValue`, as with Foundation.
struct JSONBytesEncoder {
    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let root = try EncodingNode.box(value, parent: nil, key: nil)
        var out: [UInt8] = []
        out.reserveCapacity(512)
        try root.write(into: &out, at: [])
        return out
    }
}

/// One encoded value; objects and arrays are classes so containers handed out earlier can still
/// add to them.
private enum EncodingNode {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case float(Float)
    case string(String)
    case json(JSONValue)
    case object(ObjectNode)
    case array(ArrayNode)
    /// A `superEncoder`'s value, known only once the encoding is over.
    case deferred(ValueEncoder)

    /// `value` as a node: scalars and `JSONValue` directly, anything else through `encode(to:)`
    /// with an encoder at `key` under `parent`.
    static func box<T: Encodable>(_ value: T, parent: ValueEncoder?, key: (any CodingKey)?) throws -> EncodingNode {
        if T.self == String.self, let text = value as? String { return .string(text) }
        if T.self == Int.self, let number = value as? Int { return .int(Int64(number)) }
        if T.self == Bool.self, let flag = value as? Bool { return .bool(flag) }
        if T.self == Double.self, let number = value as? Double { return .double(number) }
        if T.self == JSONValue.self, let json = value as? JSONValue { return .json(json) }
        let encoder = ValueEncoder(parent: parent, key: key)
        try value.encode(to: encoder)
        return encoder.node ?? .object(ObjectNode())
    }

    func write(into out: inout [UInt8], at path: @autoclosure () -> [any CodingKey]) throws {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .int(let number): out.append(contentsOf: String(number).utf8)
        case .uint(let number): out.append(contentsOf: String(number).utf8)
        case .double(let number):
            guard number.isFinite else { throw Self.invalid(number, path()) }
            JSONValue.append(number, to: &out)
        case .float(let number):
            guard number.isFinite else { throw Self.invalid(number, path()) }
            if number.rounded() == number && abs(number) < 1e15 {
                out.append(contentsOf: String(Int64(number)).utf8)
            } else {
                out.append(contentsOf: number.description.utf8)
            }
        case .string(let text): JSONStrings.appendQuoted(text, to: &out)
        case .json(let json):
            guard json.write(into: &out) else { throw Self.invalid(json, path()) }
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            for (position, member) in object.members.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                JSONStrings.appendQuoted(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                try member.value.write(into: &out, at: path() + [AnyCodingKey(member.key)])
            }
            out.append(UInt8(ascii: "}"))
        case .array(let array):
            out.append(UInt8(ascii: "["))
            for index in array.items.indices {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                try array.items[index].write(into: &out, at: path() + [JSONIndexKey(index)])
            }
            out.append(UInt8(ascii: "]"))
        case .deferred(let encoder):
            try (encoder.node ?? .object(ObjectNode())).write(into: &out, at: path())
        }
    }

    static func invalid(_ value: Any, _ path: [any CodingKey]) -> EncodingError {
        .invalidValue(value, .init(codingPath: path, debugDescription: "Unable to encode \(value) directly in JSON."))
    }
}

private final class ObjectNode {
    var members: [(key: String, value: EncodingNode)] = []
    /// Positions by key, made once the object is too large to search.
    private var index: [String: Int]?

    init() { members.reserveCapacity(8) }

    /// Sets `key`; a key already present keeps its place and takes the new value.
    func set(_ key: String, _ value: EncodingNode) {
        if let position = position(of: key) {
            members[position].value = value
            return
        }
        index?[key] = members.count
        members.append((key, value))
        if index == nil, members.count > 16 {
            index = Dictionary(members.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    private func position(of key: String) -> Int? {
        if let index { return index[key] }
        return members.firstIndex { $0.key == key }
    }
}

private final class ArrayNode {
    var items: [EncodingNode] = []
}

/// The `Encoder` handed to a value's `encode(to:)`: it holds what the value encoded. It is also
/// its containers' place in the coding path (its key under its parent), which is only spelled
/// out as an array when something asks for it.
private final class ValueEncoder: Encoder {
    let parent: ValueEncoder?
    let key: (any CodingKey)?
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    var node: EncodingNode?

    init(parent: ValueEncoder?, key: (any CodingKey)?) {
        self.parent = parent
        self.key = key
    }

    var codingPath: [any CodingKey] {
        var path: [any CodingKey] = []
        var encoder: ValueEncoder? = self
        while let current = encoder {
            if let key = current.key { path.append(key) }
            encoder = current.parent
        }
        return path.reversed()
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(KeyedContainer<Key>(object: object(), encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        UnkeyedContainer(array: array(), encoder: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueContainer(encoder: self)
    }

    /// The object this encoder holds, made on first use (asking twice gives the same object).
    private func object() -> ObjectNode {
        if case .object(let existing) = node { return existing }
        let object = ObjectNode()
        node = .object(object)
        return object
    }

    private func array() -> ArrayNode {
        if case .array(let existing) = node { return existing }
        let array = ArrayNode()
        node = .array(array)
        return array
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let object: ObjectNode
    /// Whose container this is: where it sits in the coding path.
    let encoder: ValueEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil(forKey key: Key) { object.set(key.stringValue, .null) }
    mutating func encode(_ value: Bool, forKey key: Key) { object.set(key.stringValue, .bool(value)) }
    mutating func encode(_ value: String, forKey key: Key) { object.set(key.stringValue, .string(value)) }
    mutating func encode(_ value: Double, forKey key: Key) { object.set(key.stringValue, .double(value)) }
    mutating func encode(_ value: Float, forKey key: Key) { object.set(key.stringValue, .float(value)) }
    mutating func encode(_ value: Int, forKey key: Key) { object.set(key.stringValue, .int(Int64(value))) }
    mutating func encode(_ value: Int8, forKey key: Key) { object.set(key.stringValue, .int(Int64(value))) }
    mutating func encode(_ value: Int16, forKey key: Key) { object.set(key.stringValue, .int(Int64(value))) }
    mutating func encode(_ value: Int32, forKey key: Key) { object.set(key.stringValue, .int(Int64(value))) }
    mutating func encode(_ value: Int64, forKey key: Key) { object.set(key.stringValue, .int(value)) }
    mutating func encode(_ value: UInt, forKey key: Key) { object.set(key.stringValue, .uint(UInt64(value))) }
    mutating func encode(_ value: UInt8, forKey key: Key) { object.set(key.stringValue, .uint(UInt64(value))) }
    mutating func encode(_ value: UInt16, forKey key: Key) { object.set(key.stringValue, .uint(UInt64(value))) }
    mutating func encode(_ value: UInt32, forKey key: Key) { object.set(key.stringValue, .uint(UInt64(value))) }
    mutating func encode(_ value: UInt64, forKey key: Key) { object.set(key.stringValue, .uint(value)) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        object.set(key.stringValue, try EncodingNode.box(value, parent: encoder, key: key))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let nested = ObjectNode()
        object.set(key.stringValue, .object(nested))
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(object: nested, encoder: ValueEncoder(parent: encoder, key: key)))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = ArrayNode()
        object.set(key.stringValue, .array(nested))
        return UnkeyedContainer(array: nested, encoder: ValueEncoder(parent: encoder, key: key))
    }

    mutating func superEncoder() -> any Encoder {
        let superEncoder = ValueEncoder(parent: encoder, key: AnyCodingKey("super"))
        object.set("super", .deferred(superEncoder))
        return superEncoder
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let superEncoder = ValueEncoder(parent: encoder, key: key)
        object.set(key.stringValue, .deferred(superEncoder))
        return superEncoder
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let array: ArrayNode
    let encoder: ValueEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }
    var count: Int { array.items.count }

    private var nextKey: JSONIndexKey { JSONIndexKey(array.items.count) }

    mutating func encodeNil() { array.items.append(.null) }
    mutating func encode(_ value: Bool) { array.items.append(.bool(value)) }
    mutating func encode(_ value: String) { array.items.append(.string(value)) }
    mutating func encode(_ value: Double) { array.items.append(.double(value)) }
    mutating func encode(_ value: Float) { array.items.append(.float(value)) }
    mutating func encode(_ value: Int) { array.items.append(.int(Int64(value))) }
    mutating func encode(_ value: Int8) { array.items.append(.int(Int64(value))) }
    mutating func encode(_ value: Int16) { array.items.append(.int(Int64(value))) }
    mutating func encode(_ value: Int32) { array.items.append(.int(Int64(value))) }
    mutating func encode(_ value: Int64) { array.items.append(.int(value)) }
    mutating func encode(_ value: UInt) { array.items.append(.uint(UInt64(value))) }
    mutating func encode(_ value: UInt8) { array.items.append(.uint(UInt64(value))) }
    mutating func encode(_ value: UInt16) { array.items.append(.uint(UInt64(value))) }
    mutating func encode(_ value: UInt32) { array.items.append(.uint(UInt64(value))) }
    mutating func encode(_ value: UInt64) { array.items.append(.uint(value)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        array.items.append(try EncodingNode.box(value, parent: encoder, key: nextKey))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nestedEncoder = ValueEncoder(parent: encoder, key: nextKey)
        let nested = ObjectNode()
        array.items.append(.object(nested))
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(object: nested, encoder: nestedEncoder))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nestedEncoder = ValueEncoder(parent: encoder, key: nextKey)
        let nested = ArrayNode()
        array.items.append(.array(nested))
        return UnkeyedContainer(array: nested, encoder: nestedEncoder)
    }

    mutating func superEncoder() -> any Encoder {
        let superEncoder = ValueEncoder(parent: encoder, key: nextKey)
        array.items.append(.deferred(superEncoder))
        return superEncoder
    }
}

private struct SingleValueContainer: SingleValueEncodingContainer {
    let encoder: ValueEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil() { encoder.node = .null }
    mutating func encode(_ value: Bool) { encoder.node = .bool(value) }
    mutating func encode(_ value: String) { encoder.node = .string(value) }
    mutating func encode(_ value: Double) { encoder.node = .double(value) }
    mutating func encode(_ value: Float) { encoder.node = .float(value) }
    mutating func encode(_ value: Int) { encoder.node = .int(Int64(value)) }
    mutating func encode(_ value: Int8) { encoder.node = .int(Int64(value)) }
    mutating func encode(_ value: Int16) { encoder.node = .int(Int64(value)) }
    mutating func encode(_ value: Int32) { encoder.node = .int(Int64(value)) }
    mutating func encode(_ value: Int64) { encoder.node = .int(value) }
    mutating func encode(_ value: UInt) { encoder.node = .uint(UInt64(value)) }
    mutating func encode(_ value: UInt8) { encoder.node = .uint(UInt64(value)) }
    mutating func encode(_ value: UInt16) { encoder.node = .uint(UInt64(value)) }
    mutating func encode(_ value: UInt32) { encoder.node = .uint(UInt64(value)) }
    mutating func encode(_ value: UInt64) { encoder.node = .uint(value) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        encoder.node = try EncodingNode.box(value, parent: encoder.parent, key: encoder.key)
    }
}
