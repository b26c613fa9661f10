import Foundation
import SwitchyardCore
import Testing

/// `JSONCoding.decode` reads with its own decoder; a client must not be able to tell: for every
/// fixture, and for every fixture with one member replaced by a value of each JSON type or
/// removed, it gives the value Foundation's `JSONDecoder` gives, or fails with the same message.
@Suite("JSONCoding.decode agrees with Foundation's JSONDecoder")
struct JSONValueDecoderTests {
    /// What the two decoders disagreed on, one line each; empty when they agree.
    static func disagreements<T: Decodable & Equatable>(_ type: T.Type, _ bytes: [UInt8], _ label: String) -> [String] {
        let ours = Result { try JSONCoding.decode(type, from: bytes) }
        let foundation = Result { try JSONDecoder().decode(type, from: Data(bytes)) }
        switch (ours, foundation) {
        case (.success(let a), .success(let b)):
            return a == b ? [] : ["\(label): decoded values differ"]
        case (.failure(let a), .failure(let b)):
            let (mine, theirs) = (JSONCoding.describe(a), JSONCoding.describe(b))
            if mine == theirs { return [] }
            // Two known differences, both in the user's favour. Foundation reports a number that
            // does not fit the member's type as malformed JSON, with no path; ours names the member.
            let parses = JSONValue.parse(bytes) != nil
            if parses, theirs == "malformed JSON", mine.hasPrefix("invalid value at ") { return [] }
            // Foundation reads lazily: "[1,]" decoded as an object is "wrong type", not malformed.
            if !parses, mine == "malformed JSON" { return [] }
            return ["\(label): '\(mine)' vs Foundation's '\(theirs)'"]
        case (.success, .failure(let error)):
            return ["\(label): decoded, Foundation failed with '\(JSONCoding.describe(error))'"]
        case (.failure(let error), .success):
            return ["\(label): failed with '\(JSONCoding.describe(error))', Foundation decoded"]
        }
    }

    /// Each JSON type once, plus numbers that are fractional or too large for any integer type.
    static let replacements: [JSONValue] = [.null, "text", 7, 1.5, 1e300, true, [], ["x": 1]]

    /// `value` with the member or element at each path removed, or replaced by two of the
    /// replacements (a different pair at each path, so every kind turns up across a fixture).
    static func mutations(of value: JSONValue, depth: Int = 0) -> [(String, JSONValue)] {
        var counter = 0
        return mutations(of: value, depth: depth, counter: &counter)
    }

    private static func mutations(of value: JSONValue, depth: Int, counter: inout Int) -> [(String, JSONValue)] {
        guard depth < 5 else { return [] }
        func pair() -> [JSONValue] {
            counter += 1
            return [replacements[counter % replacements.count], replacements[(counter * 3 + 1) % replacements.count]]
        }
        var out: [(String, JSONValue)] = []
        switch value {
        case .object(let members):
            for key in members.keys.sorted() {
                var without = members
                without[key] = nil
                out.append(("-\(key)", .object(without)))
                for replacement in pair() {
                    var changed = members
                    changed[key] = replacement
                    out.append((".\(key)=\(replacement)", .object(changed)))
                }
                for (path, inner) in mutations(of: members[key] ?? .null, depth: depth + 1, counter: &counter) {
                    var changed = members
                    changed[key] = inner
                    out.append((".\(key)\(path)", .object(changed)))
                }
            }
        case .array(let items):
            for (index, item) in items.enumerated().prefix(2) {
                for replacement in pair() {
                    var changed = items
                    changed[index] = replacement
                    out.append(("[\(index)]=\(replacement)", .array(changed)))
                }
                for (path, inner) in mutations(of: item, depth: depth + 1, counter: &counter) {
                    var changed = items
                    changed[index] = inner
                    out.append(("[\(index)]\(path)", .array(changed)))
                }
            }
        default:
            break
        }
        return out
    }

    static func check<T: Decodable & Equatable>(_ type: T.Type, fixture name: String, bytes: [UInt8]) throws -> (count: Int, issues: [String]) {
        var issues = disagreements(type, bytes, name)
        let value = try #require(JSONValue.parse(bytes))
        // Every sixth change, from an offset that differs by fixture (so the fixtures of one
        // type cover different members): the suite runs beside timing-sensitive tests on two cores.
        let offset = name.utf8.count % 6
        let variants = mutations(of: value).enumerated().filter { $0.offset % 6 == offset }.map(\.element)
        for (path, variant) in variants {
            let text = try #require(variant.jsonBytes)
            issues += disagreements(type, text, "\(name) \(path)")
        }
        return (variants.count, issues)
    }

    @Test("a fixture, and every one-member change of it, decodes as Foundation decodes it", arguments: Fixtures.names)
    func fixtureAndMutations(_ name: String) throws {
        guard let kind = FixtureKind(fileName: name) else { return }
        // A stream's chunks share their shape: the first three of each stream are enough.
        let documents = name.hasSuffix(".jsonl") ? Array(try Fixtures.lines(name).prefix(3)) : [try Fixtures.data(name)]
        var checked = 0
        var issues: [String] = []
        for (line, data) in documents.enumerated() {
            let label = documents.count > 1 ? "\(name):\(line + 1)" : name
            let bytes = Array(data)
            let result: (count: Int, issues: [String])
            switch kind {
            case .chatRequest: result = try Self.check(ChatRequest.self, fixture: label, bytes: bytes)
            case .chatResponse: result = try Self.check(ChatResponse.self, fixture: label, bytes: bytes)
            case .chunks: result = try Self.check(ChatChunk.self, fixture: label, bytes: bytes)
            case .embeddingRequest: result = try Self.check(EmbeddingRequest.self, fixture: label, bytes: bytes)
            case .embeddingResponse: result = try Self.check(EmbeddingResponse.self, fixture: label, bytes: bytes)
            case .modelList: result = try Self.check(ModelList.self, fixture: label, bytes: bytes)
            case .modelCard: result = try Self.check(ModelCard.self, fixture: label, bytes: bytes)
            case .error: result = try Self.check(JSONValue.self, fixture: label, bytes: bytes)
            }
            checked += result.count
            issues += result.issues
        }
        #expect(checked > 0, "\(name): mutations checked: \(checked)")
        #expect(issues.isEmpty, "\(issues.count) disagreements:\n\(issues.prefix(40).joined(separator: "\n"))")
    }

    @Test("malformed bodies and wrong top-level shapes fail with Foundation's message", arguments: [
        "", "{", "not json", "[1,]", #"{"model":"m","messages":[}"#, "[]", "null", "42", #""text""#,
        #"{"model":"m"}"#, #"{"messages":[]}"#, #"{"model":null,"messages":[]}"#,
        #"{"model":"m","messages":[{"role":"user"}]}"#, #"{"model":"m","messages":[{"content":"hi"}]}"#,
        #"{"model":"m","messages":[{"role":"user","content":"hi"}],"n":1e2}"#,
        #"{"model":"m","messages":[{"role":"user","content":"hi"}],"n":9223372036854775808}"#,
        #"{"model":"m","messages":[{"role":"user","content":"hi"}],"seed":-1.0}"#,
        #"{"model":"m","messages":[{"role":"user","content":"hi"}],"logit_bias":{"1":"x"}}"#,
        #"{"model":"m","messages":[{"role":"user","content":[{"type":"text"}]}]}"#,
    ])
    func shapes(_ text: String) {
        let issues = Self.disagreements(ChatRequest.self, Array(text.utf8), text)
        #expect(issues.isEmpty, "\(issues)")
    }

    @Test("a request with several bad members names the same one each time, by name order, with either decoder")
    func severalBadMembers() {
        // Declared order would name `temperature`, the body's order `stream`; name order names `n`.
        let text = #"{"stream":"yes","temperature":"hot","model":"m","n":"x","messages":[{"role":"user","content":"hi"}]}"#
        let ours = Result { try JSONCoding.decode(ChatRequest.self, from: Array(text.utf8)) }
        let foundation = Result { try JSONDecoder().decode(ChatRequest.self, from: Data(text.utf8)) }
        for result in [ours, foundation] {
            guard case .failure(let error) = result else {
                Issue.record("decoded a request with three bad members")
                continue
            }
            #expect(JSONCoding.describe(error) == "wrong type at n: expected Int")
        }
        // Missing required members are still named, after the present ones are read.
        let noModel = Result { try JSONCoding.decode(ChatRequest.self, from: Array(#"{"messages":[],"x":1}"#.utf8)) }
        if case .failure(let error) = noModel {
            #expect(JSONCoding.describe(error) == "missing required field 'model'")
        } else {
            Issue.record("decoded a request without a model")
        }
    }

    @Test("integers of every width: in range they decode, out of range they fail as Foundation's do")
    func integerWidths() {
        struct Widths: Codable, Equatable {
            var a: Int8?, b: UInt8?, c: Int16?, d: UInt16?, e: Int32?, f: UInt32?, g: Int64?, h: UInt64?, i: UInt?, j: Float?
        }
        var issues: [String] = []
        for key in ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"] {
            for number in ["0", "-1", "127", "128", "255", "256", "-129", "65536", "2147483648", "-2147483649", "4294967296", "1e3", "2.5", "1e39", "-0"] {
                let text = "{\"\(key)\":\(number)}"
                issues += Self.disagreements(Widths.self, Array(text.utf8), text)
            }
        }
        #expect(issues.isEmpty, "\(issues)")
    }
}
