import Foundation

/// JSON to and from bytes, with the settings the gateway uses everywhere (no `\/` escaping).
public enum JSONCoding {
    /// One of each, shared: Foundation's coders are safe to use from several threads once
    /// configured, and making one per call cost an allocation and its options each time.
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()
    private static let decoder = JSONDecoder()

    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        // A JSONValue is written directly (several times faster); Foundation only for the errors.
        if let json = value as? JSONValue, let bytes = json.jsonBytes { return bytes }
        return Array(try encoder.encode(value))
    }

    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        // A JSONValue is read directly; Foundation reads the rest, and describes what is malformed.
        if type == JSONValue.self, let value = JSONValue.parse(bytes) as? T { return value }
        return try decoder.decode(type, from: Data(bytes))
    }

    public static func decode<T: Decodable>(_ type: T.Type, from bytes: ArraySlice<UInt8>) throws -> T {
        if type == JSONValue.self, let value = JSONValue.parse(Array(bytes)) as? T { return value }
        return try decoder.decode(type, from: Data(bytes))
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
