import Foundation
import SwitchyardCore
import Testing

/// `JSONCoding.encode` writes with its own encoder: the JSON must mean what Foundation's
/// `JSONEncoder` writes for the same value, members in the order they were encoded.
@Suite("JSONCoding.encode writes what Foundation's JSONEncoder writes")
struct JSONBytesEncoderTests {
    /// Ours and Foundation's output for `value`, both read back as JSON values.
    static func both<T: Encodable>(_ value: T) throws -> (ours: JSONValue?, foundation: JSONValue?) {
        let ours = try JSONCoding.encode(value)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let theirs = try encoder.encode(value)
        return (JSONValue.parse(ours), JSONValue.parse(Array(theirs)))
    }

    static func agree<T: Codable>(_ type: T.Type, _ bytes: [UInt8], _ label: String) throws -> [String] {
        guard let value = try? JSONCoding.decode(type, from: bytes) else { return [] }
        let (ours, theirs) = try both(value)
        guard let ours else { return ["\(label): our output is not JSON"] }
        return ours == theirs ? [] : ["\(label): \(jsonDifferences(theirs ?? .null, ours).prefix(3))"]
    }

    @Test("a fixture, and every one-member change of it that decodes, encodes as Foundation encodes it", arguments: Fixtures.names)
    func fixture(_ name: String) throws {
        guard let kind = FixtureKind(fileName: name) else { return }
        let documents = name.hasSuffix(".jsonl") ? Array(try Fixtures.lines(name).prefix(3)) : [try Fixtures.data(name)]
        var issues: [String] = []
        for (line, data) in documents.enumerated() {
            let original = try #require(JSONValue.parse(Array(data)))
            // The original and every fifth change (the decoder's suite covers the changes' reading).
            let changes = JSONValueDecoderTests.mutations(of: original).enumerated().filter { $0.offset % 10 == name.utf8.count % 10 }
            let variants = [("", original)] + changes.map(\.element)
            for (path, variant) in variants {
                let bytes = try #require(variant.jsonBytes)
                let label = "\(name):\(line + 1) \(path)"
                switch kind {
                case .chatRequest: issues += try Self.agree(ChatRequest.self, bytes, label)
                case .chatResponse: issues += try Self.agree(ChatResponse.self, bytes, label)
                case .chunks: issues += try Self.agree(ChatChunk.self, bytes, label)
                case .embeddingRequest: issues += try Self.agree(EmbeddingRequest.self, bytes, label)
                case .embeddingResponse: issues += try Self.agree(EmbeddingResponse.self, bytes, label)
                case .modelList: issues += try Self.agree(ModelList.self, bytes, label)
                case .modelCard: issues += try Self.agree(ModelCard.self, bytes, label)
                case .error: issues += try Self.agree(JSONValue.self, bytes, label)
                }
            }
        }
        #expect(issues.isEmpty, "\(issues.count) disagreements:\n\(issues.prefix(20).joined(separator: "\n"))")
    }

    @Test("members come out in the order they were encoded, and a typed member replaces an extra one in its place")
    func order() throws {
        var response = ChatResponse(id: "chatcmpl-1", created: 1, model: "m", choices: [])
        response.extra = ["model": "from-extra"]
        let text = String(decoding: try JSONCoding.encode(response), as: UTF8.self)
        #expect(text.hasPrefix(#"{"model":"m","id":"chatcmpl-1","object":"chat.completion","created":1,"#), "\(text)")
        #expect(text.components(separatedBy: #""model""#).count == 2, "model written once: \(text)")
    }

    struct Shapes: Encodable {
        var float: Float = 0.1
        var big: UInt64 = .max
        var small: Int8 = -128
        var double: Double = 2.5e-8
        var integral: Double = 3
        var text = "slash / quote \" and ünïcödé 🚀"

        enum Keys: String, CodingKey { case nested, list, parent, single }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: AnyCodingKey.self)
            try c.encode(float, forKey: "float")
            try c.encode(big, forKey: "big")
            try c.encode(small, forKey: "small")
            try c.encode(double, forKey: "double")
            try c.encode(integral, forKey: "integral")
            try c.encode(text, forKey: "text")
            var nested = c.nestedContainer(keyedBy: Keys.self, forKey: "nested")
            var list = nested.nestedUnkeyedContainer(forKey: .list)
            try list.encode(1)
            try list.encodeNil()
            var inner = list.nestedContainer(keyedBy: Keys.self)
            try inner.encode("x", forKey: .single)
            let parent = nested.superEncoder(forKey: .parent)
            var single = parent.singleValueContainer()
            try single.encode(true)
            try c.encode(7, forKey: "after")  // written to the outer container after the nested ones
        }
    }

    @Test("numbers of every kind, nested and super encoders, escaping: as Foundation")
    func shapes() throws {
        let (ours, theirs) = try Self.both(Shapes())
        #expect(ours != nil)
        #expect(ours == theirs)
        let text = String(decoding: try JSONCoding.encode(Shapes()), as: UTF8.self)
        #expect(text.contains(#""slash / quote"#), "no \\/ escaping: \(text)")
        #expect(text.contains(#""integral":3,"#), "\(text)")
        #expect(text.contains(#""big":18446744073709551615"#), "\(text)")
    }

    @Test("NaN and infinity fail with the member's path, as with Foundation")
    func nonFinite() {
        var request = ChatRequest(model: "m", messages: [.user("hi")])
        request.temperature = .nan
        #expect {
            try JSONCoding.encode(request)
        } throws: { error in
            guard case .invalidValue(_, let context) = error as? EncodingError else { return false }
            return context.codingPath.map(\.stringValue) == ["temperature"]
        }
        request.temperature = nil
        request.extra = ["x": .object(["y": .double(.infinity)])]
        #expect(throws: EncodingError.self) { try JSONCoding.encode(request) }
    }
}
