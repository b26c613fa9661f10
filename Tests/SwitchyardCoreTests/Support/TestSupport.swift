@_exported import SwitchyardTestSupport
import Foundation
import SwitchyardCore

/// The OpenAI fixtures bundled with this test target (`resources: [.copy("Fixtures")]`).
enum Fixtures {
    /// `Fixtures/openai` inside the test bundle.
    static var directory: URL? {
        Bundle.module.url(forResource: "openai", withExtension: nil, subdirectory: "Fixtures")
    }

    /// Every fixture file name, sorted (empty only if the bundle is broken, which a test checks).
    static var names: [String] {
        guard let directory,
            let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path)
        else { return [] }
        return names.filter { $0.hasSuffix(".json") || $0.hasSuffix(".jsonl") }.sorted()
    }

    static func data(_ name: String) throws -> Data {
        guard let directory else { throw FixtureError.bundleMissing }
        return try Data(contentsOf: directory.appendingPathComponent(name))
    }

    /// The non-empty lines of a `.jsonl` fixture.
    static func lines(_ name: String) throws -> [Data] {
        let text = String(decoding: try data(name), as: UTF8.self)
        return text.split(whereSeparator: \.isNewline).map { Data($0.utf8) }
    }

    enum FixtureError: Error { case bundleMissing }
}

/// Which wire type a fixture holds, by its file name.
enum FixtureKind: String, CaseIterable, Sendable {
    case chatRequest, chatResponse, chunks, embeddingRequest, embeddingResponse, modelList, modelCard, error

    init?(fileName name: String) {
        if name.hasPrefix("chunks_") && name.hasSuffix(".jsonl") {
            self = .chunks
        } else if name.hasSuffix(".jsonl") {
            return nil
        } else if name.hasPrefix("request_") {
            self = .chatRequest
        } else if name.hasPrefix("response_") {
            self = .chatResponse
        } else if name.hasPrefix("embedding_request") {
            self = .embeddingRequest
        } else if name.hasPrefix("embedding_response") {
            self = .embeddingResponse
        } else if name.hasPrefix("models_list") {
            self = .modelList
        } else if name.hasPrefix("model") {
            self = .modelCard
        } else if name.hasPrefix("error_") {
            self = .error
        } else {
            return nil
        }
    }
}

enum JSON {
    static func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T {
        try JSONDecoder().decode(type, from: data)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }

    static func encode<T: Encodable>(_ value: T) throws -> Data {
        try JSONEncoder().encode(value)
    }

    /// `value` encoded, then read back as raw JSON.
    static func value<T: Encodable>(of value: T) throws -> JSONValue {
        try decode(JSONValue.self, encode(value))
    }

    static func value(_ text: String) throws -> JSONValue {
        try decode(JSONValue.self, text)
    }
}

/// Decodes `data` as `T`, encodes it again, and returns both sides as JSON with null members
/// removed, plus the differences between them (empty when the round trip kept everything).
func roundTrip<T: Codable>(_ type: T.Type, _ data: Data) throws -> (value: T, differences: [String]) {
    let original = try JSON.decode(JSONValue.self, data).withoutNullMembers
    let value = try JSON.decode(T.self, data)
    let reencoded = try JSON.value(of: value).withoutNullMembers
    var differences = jsonDifferences(original, reencoded)
    if differences.isEmpty != reencoded.isEquivalent(to: original) {
        differences.append("isEquivalent disagrees with the structural comparison")
    }
    return (value, differences)
}

/// Human-readable paths where two JSON values differ (numbers compared by value).
func jsonDifferences(_ expected: JSONValue, _ actual: JSONValue, path: String = "$") -> [String] {
    switch (expected, actual) {
    case (.object(let a), .object(let b)):
        var out: [String] = []
        for key in Set(a.keys).union(b.keys).sorted() {
            switch (a[key], b[key]) {
            case (let x?, let y?): out += jsonDifferences(x, y, path: path + "." + key)
            case (_?, nil): out.append("\(path).\(key): missing after the round trip")
            case (nil, _?): out.append("\(path).\(key): added by the round trip")
            default: break
            }
        }
        return out
    case (.array(let a), .array(let b)):
        guard a.count == b.count else { return ["\(path): \(a.count) items became \(b.count)"] }
        return zip(a, b).enumerated().flatMap { jsonDifferences($1.0, $1.1, path: "\(path)[\($0)]") }
    default:
        return expected.isEquivalent(to: actual) ? [] : ["\(path): \(expected) became \(actual)"]
    }
}


extension Optional {
    /// True for `.none`. Spelled out because `== nil` is ambiguous for `JSONValue?`
    /// (`JSONValue` is itself `ExpressibleByNilLiteral`).
    var isAbsent: Bool {
        if case .none = self { return true }
        return false
    }
}
