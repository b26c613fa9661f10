/// A coding key for any member name: lets the wire types decode the members they know and keep
/// every other member in an `extra` bag that is encoded back unchanged.
public struct AnyCodingKey: CodingKey, Hashable, Sendable, ExpressibleByStringLiteral {
    public var stringValue: String
    public var intValue: Int? { nil }

    public init(_ string: String) { self.stringValue = string }
    public init(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { return nil }
    public init(stringLiteral value: String) { self.stringValue = value }
}

extension Decoder {
    /// Every member of the object being decoded whose name is not in `known`, as raw JSON. The
    /// gateway's own decoder hands them over from the parsed object; any other decoder lists its
    /// keys and decodes each.
    public func decodeExtra(known: Set<String>) throws -> [String: JSONValue] {
        if let decoder = self as? JSONValueDecoder, case .object(let members) = decoder.value {
            var extra: [String: JSONValue] = [:]
            for (key, value) in members where !known.contains(key) { extra[key] = value }
            return extra
        }
        return try container(keyedBy: AnyCodingKey.self).decodeExtra(known: known)
    }
}

extension Decoder {
    /// The names of the object's members, sorted: a type with many optional members reads them
    /// in one pass (a switch on the name) rather than looking up each member it knows; sorted,
    /// so a body with several bad members always names the same one. The gateway's own decoder
    /// lists them from the parsed object (a container's `allKeys` cost five arrays).
    public func memberNames(_ container: KeyedDecodingContainer<AnyCodingKey>) -> [String] {
        var names: [String]
        if let decoder = self as? JSONValueDecoder, case .object(let members) = decoder.value {
            names = Array(members.keys)
        } else {
            names = container.allKeys.map(\.stringValue)
        }
        names.sort()
        return names
    }
}

extension KeyedDecodingContainer where Key == AnyCodingKey {
    /// Every member whose name is not in `known`, as raw JSON.
    public func decodeExtra(known: Set<String>) throws -> [String: JSONValue] {
        var extra: [String: JSONValue] = [:]
        for key in allKeys where !known.contains(key.stringValue) {
            extra[key.stringValue] = try decode(JSONValue.self, forKey: key)
        }
        return extra
    }

    /// Decodes an optional member, treating an explicit `null` as absent.
    public func optional<T: Decodable>(_ type: T.Type, _ key: String) throws -> T? {
        try decodeIfPresent(type, forKey: AnyCodingKey(key))
    }

    public func required<T: Decodable>(_ type: T.Type, _ key: String) throws -> T {
        try decode(type, forKey: AnyCodingKey(key))
    }
}

extension KeyedEncodingContainer where Key == AnyCodingKey {
    /// Writes the members of an `extra` bag. Call it before writing the known members: a known
    /// member written afterwards replaces an extra member of the same name, so typed fields win.
    public mutating func encodeExtra(_ extra: [String: JSONValue]) throws {
        for (key, value) in extra {
            try encode(value, forKey: AnyCodingKey(key))
        }
    }

    public mutating func put<T: Encodable>(_ value: T?, _ key: String) throws {
        try encodeIfPresent(value, forKey: AnyCodingKey(key))
    }
}
