/// JSON to and from bytes, the gateway's own way: `JSONValueDecoder` reads, `JSONBytesEncoder`
/// writes (members in the order they were encoded, no `\/` escaping). Foundation's coders are
/// left for tests to compare against.
public enum JSONCoding {
    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        // A JSONValue is written directly; a NaN in it fails in the encoder with its path.
        if let json = value as? JSONValue, let bytes = json.jsonBytes { return bytes }
        return try JSONBytesEncoder.encode(value)
    }

    /// `bytes` as a `T`: parsed by `JSONValue.parse`, read by `JSONValueDecoder`. Malformed JSON
    /// fails as Foundation's decoder fails (`dataCorrupted` with an empty coding path).
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        guard let value = JSONValue.parse(bytes) else { throw malformed }
        return try JSONValueDecoder.decode(type, from: value, at: LazyCodingPath())
    }

    public static func decode<T: Decodable>(_ type: T.Type, from bytes: ArraySlice<UInt8>) throws -> T {
        try decode(type, from: Array(bytes))
    }

    static var malformed: DecodingError {
        .dataCorrupted(.init(codingPath: [], debugDescription: "The given data was not valid JSON."))
    }

    static func decodeJSON(_ bytes: [UInt8]) throws -> JSONValue {
        try decode(JSONValue.self, from: bytes)
    }

    /// A decoding error as one line a user can act on: what was wrong and where.
    public static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return keys.isEmpty ? "" : " at \(keys.hasPrefix(".") ? String(keys.dropFirst()) : keys)"
        }
        switch error {
        case .keyNotFound(let key, let context):
            let prefix = path(context)
            return "missing required field '\(key.stringValue)'\(prefix.isEmpty ? "" : " in" + prefix.dropFirst(3))"
        case .typeMismatch(let type, let context):
            return "wrong type\(path(context)): expected \(type)"
        case .valueNotFound(let type, let context):
            return "null value\(path(context)): expected \(type)"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "malformed JSON" : "invalid value\(path(context))"
        @unknown default:
            return "\(error)"
        }
    }
}
