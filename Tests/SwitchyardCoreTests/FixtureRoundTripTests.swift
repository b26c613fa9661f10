import Foundation
import SwitchyardCore
import Testing

/// Every OpenAI fixture decodes into its wire type and encodes back to the same JSON (null
/// members aside): a gateway that re-encodes payloads must not lose or change anything.
@Suite("Fixture round trips")
struct FixtureRoundTripTests {
    @Test("the fixture bundle is present and every file maps to a wire type")
    func fixturesAreBundledAndClassified() throws {
        let names = Fixtures.names
        #expect(names.count >= 30, "expected the OpenAI fixtures in the test bundle, found \(names)")
        let unclassified = names.filter { FixtureKind(fileName: $0) == nil }
        #expect(unclassified.isEmpty, "fixtures with no wire type: \(unclassified)")
        let kinds = Set(names.compactMap(FixtureKind.init(fileName:)))
        #expect(kinds == Set(FixtureKind.allCases), "every wire type should have at least one fixture")
    }

    @Test("decode, encode, decode again gives the same JSON", arguments: Fixtures.names)
    func roundTripsFixture(_ name: String) throws {
        let kind = try #require(FixtureKind(fileName: name))
        switch kind {
        case .chatRequest:
            try expectLossless(ChatRequest.self, Fixtures.data(name), name)
        case .chatResponse:
            try expectLossless(ChatResponse.self, Fixtures.data(name), name)
        case .chunks:
            let lines = try Fixtures.lines(name)
            #expect(!lines.isEmpty)
            for (number, line) in lines.enumerated() {
                try expectLossless(ChatChunk.self, line, "\(name) line \(number + 1)")
            }
        case .embeddingRequest:
            try expectLossless(EmbeddingRequest.self, Fixtures.data(name), name)
        case .embeddingResponse:
            try expectLossless(EmbeddingResponse.self, Fixtures.data(name), name)
        case .modelList:
            try expectLossless(ModelList.self, Fixtures.data(name), name)
        case .modelCard:
            try expectLossless(ModelCard.self, Fixtures.data(name), name)
        case .error:
            let original = try JSON.decode(JSONValue.self, Fixtures.data(name))
            let again = try JSON.value(of: original)
            #expect(again == original, "\(name)")
            let error = try #require(original["error"]?.objectValue, "\(name) has no error object")
            #expect(error["message"]?.stringValue?.isEmpty == false, "\(name)")
            #expect(error["type"]?.stringValue != nil, "\(name)")
        }
    }

    private func expectLossless<T: Codable>(_ type: T.Type, _ data: Data, _ label: String) throws {
        let (_, differences) = try roundTrip(type, data)
        #expect(differences.isEmpty, "\(label) as \(T.self): \(differences.prefix(10))")
    }
}

/// The comparison the round-trip tests rely on must itself notice changes.
@Suite("JSON comparison helpers")
struct JSONComparisonTests {
    @Test func isEquivalentTreatsIntegerAndDoubleAsNumbers() throws {
        #expect(JSONValue.int(1).isEquivalent(to: .double(1.0)))
        #expect(!JSONValue.int(1).isEquivalent(to: .double(1.5)))
        #expect(!JSONValue.int(1).isEquivalent(to: .bool(true)))
        #expect(!JSONValue.string("1").isEquivalent(to: .int(1)))
    }

    @Test func isEquivalentNoticesMissingExtraAndChangedMembers() throws {
        let base = try JSON.value(#"{"a":1,"b":[1,2,{"c":"x"}]}"#)
        #expect(base.isEquivalent(to: try JSON.value(#"{"b":[1.0,2,{"c":"x"}],"a":1.0}"#)))
        #expect(!base.isEquivalent(to: try JSON.value(#"{"a":1}"#)))
        #expect(!base.isEquivalent(to: try JSON.value(#"{"a":1,"b":[1,2,{"c":"x"}],"d":0}"#)))
        #expect(!base.isEquivalent(to: try JSON.value(#"{"a":1,"b":[1,2,{"c":"y"}]}"#)))
        #expect(!base.isEquivalent(to: try JSON.value(#"{"a":1,"b":[2,1,{"c":"x"}]}"#)))
    }

    @Test func jsonValueKeepsEachScalarsType() throws {
        // A `1` must not come back as `true` (or `1.5` as `1`): top_k=1 and logprobs=true differ.
        let value = try JSON.value(#"[1, true, false, 1.5, -0.25, "1", null, 9007199254740993, {"k": [0]}]"#)
        #expect(value == [.int(1), .bool(true), .bool(false), .double(1.5), .double(-0.25), .string("1"), .null, .int(9_007_199_254_740_993), ["k": [.int(0)]]])
        #expect(try JSON.value(of: value) == value)
        #expect(JSONValue.double(3.0).intValue == 3)
        #expect(JSONValue.double(3.5).intValue == nil)
        #expect(JSONValue.string("42").intValue == 42)
        #expect(JSONValue.string("yes").boolValue == true)
    }

    @Test func withoutNullMembersDropsNullMembersRecursivelyButKeepsNullItems() throws {
        let value = try JSON.value(#"{"a":null,"b":{"c":null,"d":1},"e":[null,{"f":null}]}"#)
        #expect(value.withoutNullMembers == (try JSON.value(#"{"b":{"d":1},"e":[null,{}]}"#)))
    }
}
