/// A `Decoder` over a parsed `JSONValue`: how `JSONCoding.decode` reads every Codable wire type.
/// Foundation's `JSONDecoder` cost about four times as much for a chat request (its keyed
/// containers hash every member name again and box every step); this one looks members up in
/// the parsed object and hands `JSONValue` members over as they are.
///
/// It decides and fails as Foundation's does, so `JSONCoding.describe` gives the same message
/// for the same body: a wrong type is `typeMismatch`, a missing member `keyNotFound`, a `null`
/// where a value is required `valueNotFound`, a number that does not fit `dataCorrupted`, each
/// with the coding path to the member. An integral number is read as a floating-point one and a
/// number written with a fraction or exponent is read as an integer when it is one exactly.
struct JSONValueDecoder: Decoder {
    private static let objectType: Any.Type = [String: JSONValue].self

    let value: JSONValue
    let path: LazyCodingPath
    var codingPath: [any CodingKey] { path.keys }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(_ value: JSONValue, path: LazyCodingPath = LazyCodingPath()) {
        self.value = value
        self.path = path
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else {
            throw Self.mismatch([String: Any].self, value, codingPath)
        }
        return KeyedDecodingContainer(KeyedContainer<Key>(members: members, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let items) = value else {
            throw Self.mismatch([Any].self, value, codingPath)
        }
        return UnkeyedContainer(items: items, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueContainer(value: value, path: path)
    }

    /// `value` as a `T`, at `path`: the scalars and `JSONValue` directly, anything else through
    /// its `init(from:)`. The path is only made for an error or a nested decoder.
    static func decode<T: Decodable>(
        _ type: T.Type, from value: JSONValue, at lazyPath: @autoclosure () -> LazyCodingPath
    ) throws -> T {
        func path() -> [any CodingKey] { lazyPath().keys }
        if T.self == JSONValue.self, let same = value as? T { return same }
        if T.self == String.self {
            guard case .string(let text) = value else { throw mismatch(String.self, value, path()) }
            if let text = text as? T { return text }
        }
        if T.self == Int.self, let number = try integer(Int.self, value, path()) as? T { return number }
        if T.self == Double.self, let number = try double(value, path()) as? T { return number }
        if T.self == Bool.self, let flag = try bool(value, path()) as? T { return flag }
        // A generic type's metadata is looked up at every mention; this one is kept.
        if T.self == Self.objectType, case .object(let members) = value, let members = members as? T {
            return members
        }
        return try T(from: JSONValueDecoder(value, path: lazyPath()))
    }

    static func bool(_ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws -> Bool {
        guard case .bool(let flag) = value else { throw mismatch(Bool.self, value, path()) }
        return flag
    }

    static func string(_ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws -> String {
        guard case .string(let text) = value else { throw mismatch(String.self, value, path()) }
        return text
    }

    static func double(_ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws -> Double {
        switch value {
        case .int(let number): return Double(number)
        case .double(let number): return number
        default: throw mismatch(Double.self, value, path())
        }
    }

    static func float(_ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws -> Float {
        let number = try double(value, path())
        guard abs(number) <= Double(Float.greatestFiniteMagnitude) else { throw doesNotFit(Float.self, value, path()) }
        return Float(number)
    }

    static func integer<T: FixedWidthInteger>(_ type: T.Type, _ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) throws -> T {
        switch value {
        case .int(let number):
            guard let exact = T(exactly: number) else { throw doesNotFit(T.self, value, path()) }
            return exact
        case .double(let number):
            guard let exact = T(exactly: number) else { throw doesNotFit(T.self, value, path()) }
            return exact
        default:
            throw mismatch(T.self, value, path())
        }
    }

    static func mismatch(_ type: Any.Type, _ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) -> DecodingError {
        if value == .null {
            return .valueNotFound(type, .init(codingPath: path(), debugDescription: "Cannot get \(type) -- found null value instead"))
        }
        return .typeMismatch(type, .init(codingPath: path(), debugDescription: "Expected to decode \(type) but found \(value.kind) instead."))
    }

    static func doesNotFit(_ type: Any.Type, _ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) -> DecodingError {
        .dataCorrupted(.init(codingPath: path(), debugDescription: "Parsed JSON number <\(value)> does not fit in \(type)."))
    }
}

extension JSONValue {
    /// What a type mismatch names as found, in Foundation's words.
    fileprivate var kind: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .int, .double: "number"
        case .string: "a string"
        case .array: "an array"
        case .object: "a dictionary"
        }
    }
}

/// A coding path with its last key held apart: the decoder made for one member or element
/// builds no array until its path is asked for (an error, or a container nested in it). A
/// container asks once; the scalars, strings and single-value types below it never do.
struct LazyCodingPath {
    var parent: [any CodingKey] = []
    var last: (any CodingKey)?

    var keys: [any CodingKey] {
        guard let last else { return parent }
        return parent + [last]
    }
}

/// An array element's place in a coding path: `[3]` in an error message.
struct JSONIndexKey: CodingKey {
    let index: Int
    var stringValue: String { "Index \(index)" }
    var intValue: Int? { index }
    init(_ index: Int) { self.index = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.index = intValue }
}

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: JSONValue]
    let codingPath: [any CodingKey]

    var allKeys: [Key] {
        var keys: [Key] = []
        keys.reserveCapacity(members.count)
        for name in members.keys { if let key = Key(stringValue: name) { keys.append(key) } }
        return keys
    }

    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    private func member(_ key: Key) throws -> JSONValue {
        guard let value = members[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "No value associated with key \(key.stringValue)."))
        }
        return value
    }

    private func path(_ key: Key) -> LazyCodingPath { LazyCodingPath(parent: codingPath, last: key) }

    func decodeNil(forKey key: Key) throws -> Bool { try member(key) == .null }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try JSONValueDecoder.bool(member(key), path(key).keys) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try JSONValueDecoder.string(member(key), path(key).keys) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try JSONValueDecoder.double(member(key), path(key).keys) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try JSONValueDecoder.float(member(key), path(key).keys) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try JSONValueDecoder.integer(type, member(key), path(key).keys) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try JSONValueDecoder.integer(type, member(key), path(key).keys) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try JSONValueDecoder.integer(type, member(key), path(key).keys) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try JSONValueDecoder.integer(type, member(key), path(key).keys) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try JSONValueDecoder.integer(type, member(key), path(key).keys) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try JSONValueDecoder.integer(type, member(key), path(key).keys) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try JSONValueDecoder.integer(type, member(key), path(key).keys) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try JSONValueDecoder.integer(type, member(key), path(key).keys) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try JSONValueDecoder.integer(type, member(key), path(key).keys) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try JSONValueDecoder.integer(type, member(key), path(key).keys) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try JSONValueDecoder.decode(type, from: member(key), at: path(key))
    }

    /// One lookup for an optional member (the protocol's default looks it up three times); an
    /// explicit `null` reads as absent.
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let value = members[key.stringValue], value != .null else { return nil }
        return try JSONValueDecoder.decode(type, from: value, at: path(key))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try JSONValueDecoder(member(key), path: path(key)).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try JSONValueDecoder(member(key), path: path(key)).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        let key = AnyCodingKey("super")
        return JSONValueDecoder(members["super"] ?? .null, path: LazyCodingPath(parent: codingPath, last: key))
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        JSONValueDecoder(members[key.stringValue] ?? .null, path: path(key))
    }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
    let items: [JSONValue]
    let codingPath: [any CodingKey]
    var currentIndex = 0

    init(items: [JSONValue], codingPath: [any CodingKey]) {
        self.items = items
        self.codingPath = codingPath
    }

    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private mutating func next<T>(_ type: T.Type, _ read: (JSONValue, () -> LazyCodingPath) throws -> T) throws -> T {
        let index = currentIndex
        let parent = codingPath
        func path() -> LazyCodingPath { LazyCodingPath(parent: parent, last: JSONIndexKey(index)) }  // a local func: no context allocated
        guard index < items.count else {
            throw DecodingError.valueNotFound(type, .init(codingPath: path().keys, debugDescription: "Unkeyed container is at end."))
        }
        let value = try read(items[index], path)
        currentIndex += 1
        return value
    }

    mutating func decodeNil() throws -> Bool {
        guard currentIndex < items.count else {
            let path = codingPath + [JSONIndexKey(currentIndex)]
            throw DecodingError.valueNotFound(Any?.self, .init(codingPath: path, debugDescription: "Unkeyed container is at end."))
        }
        guard items[currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try next(type) { try JSONValueDecoder.bool($0, $1().keys) } }
    mutating func decode(_ type: String.Type) throws -> String { try next(type) { try JSONValueDecoder.string($0, $1().keys) } }
    mutating func decode(_ type: Double.Type) throws -> Double { try next(type) { try JSONValueDecoder.double($0, $1().keys) } }
    mutating func decode(_ type: Float.Type) throws -> Float { try next(type) { try JSONValueDecoder.float($0, $1().keys) } }
    mutating func decode(_ type: Int.Type) throws -> Int { try next(type) { try JSONValueDecoder.integer(type, $0, $1().keys) } }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next(type) { try JSONValueDecoder.integer(type, $0, $1().keys) } }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next(type) { try JSONValueDecoder.integer(type, $0, $1().keys) } }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next(type) { try JSONValueDecoder.integer(type, $0, $1().keys) } }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next(type) { try JSONValueDecoder.integer(type, $0, $1().keys) } }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next(type) { try JSONValueDecoder.integer(type, $0, $1().keys) } }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next(type) { try JSONValueDecoder.integer(type, $0, $1().keys) } }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next(type) { try JSONValueDecoder.integer(type, $0, $1().keys) } }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next(type) { try JSONValueDecoder.integer(type, $0, $1().keys) } }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next(type) { try JSONValueDecoder.integer(type, $0, $1().keys) } }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try next(type) { try JSONValueDecoder.decode(type, from: $0, at: $1()) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next(KeyedDecodingContainer<NestedKey>.self) { try JSONValueDecoder($0, path: $1()).container(keyedBy: type) }
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try next((any UnkeyedDecodingContainer).self) { try JSONValueDecoder($0, path: $1()).unkeyedContainer() }
    }

    mutating func superDecoder() throws -> any Decoder {
        try next((any Decoder).self) { JSONValueDecoder($0, path: $1()) }
    }
}

private struct SingleValueContainer: SingleValueDecodingContainer {
    let value: JSONValue
    let path: LazyCodingPath
    var codingPath: [any CodingKey] { path.keys }

    func decodeNil() -> Bool { value == .null }
    func decode(_ type: Bool.Type) throws -> Bool { try JSONValueDecoder.bool(value, path.keys) }
    func decode(_ type: String.Type) throws -> String { try JSONValueDecoder.string(value, path.keys) }
    func decode(_ type: Double.Type) throws -> Double { try JSONValueDecoder.double(value, path.keys) }
    func decode(_ type: Float.Type) throws -> Float { try JSONValueDecoder.float(value, path.keys) }
    func decode(_ type: Int.Type) throws -> Int { try JSONValueDecoder.integer(type, value, path.keys) }
    func decode(_ type: Int8.Type) throws -> Int8 { try JSONValueDecoder.integer(type, value, path.keys) }
    func decode(_ type: Int16.Type) throws -> Int16 { try JSONValueDecoder.integer(type, value, path.keys) }
    func decode(_ type: Int32.Type) throws -> Int32 { try JSONValueDecoder.integer(type, value, path.keys) }
    func decode(_ type: Int64.Type) throws -> Int64 { try JSONValueDecoder.integer(type, value, path.keys) }
    func decode(_ type: UInt.Type) throws -> UInt { try JSONValueDecoder.integer(type, value, path.keys) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try JSONValueDecoder.integer(type, value, path.keys) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try JSONValueDecoder.integer(type, value, path.keys) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try JSONValueDecoder.integer(type, value, path.keys) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try JSONValueDecoder.integer(type, value, path.keys) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONValueDecoder.decode(type, from: value, at: path)
    }
}
