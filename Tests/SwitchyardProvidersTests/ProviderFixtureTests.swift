import Foundation
import SwitchyardCore
import SwitchyardProviders
import Testing

/// The providers' documented examples as fixture folders, one per mapping:
/// `Fixtures/<provider>/<case>/` holds `openai_request.json` with the `upstream_request.json`
/// its translation must equal, or an `upstream_response.json` whose translation must contain
/// every member of `openai_response.json`. Adding a case is adding a folder.
@Suite("Provider fixtures")
struct ProviderFixtureTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let provider: String
        let name: String
        let directory: URL
        var testDescription: String { "\(provider)/\(name)" }
    }

    static var cases: [Case] {
        guard let root = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else { return [] }
        var cases: [Case] = []
        for provider in (try? FileManager.default.contentsOfDirectory(atPath: root.path))?.sorted() ?? [] {
            let folder = root.appendingPathComponent(provider)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.sorted() ?? [] {
                cases.append(Case(provider: provider, name: name, directory: folder.appendingPathComponent(name)))
            }
        }
        return cases
    }

    static func adapter(_ provider: String) -> (any ProviderAdapter, ProviderTarget)? {
        switch provider {
        case "anthropic":
            return (AnthropicAdapter(), ProviderTarget(provider: "anthropic", model: "claude-sonnet-4-5", apiBase: AnthropicAdapter.defaultBase, apiKey: "k"))
        case "gemini":
            return (GeminiAdapter(), ProviderTarget(provider: "gemini", model: "gemini-2.5-flash", apiBase: GeminiAdapter.defaultBase, apiKey: "k"))
        default:
            return nil
        }
    }

    func load(_ directory: URL, _ file: String) throws -> JSONValue? {
        let url = directory.appendingPathComponent(file)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try JSONCoding.decode(JSONValue.self, from: Array(try Data(contentsOf: url)))
    }

    @Test("the fixture folders are bundled, for every provider with an adapter here")
    func bundled() {
        let providers = Set(Self.cases.map(\.provider))
        #expect(providers == ["anthropic", "gemini"])
        #expect(Self.cases.count >= 8)
    }

    @Test("each documented example translates as its fixture says", arguments: cases)
    func translates(_ fixture: Case) throws {
        let (adapter, target) = try #require(Self.adapter(fixture.provider), "no adapter for \(fixture.provider)")
        if let request = try load(fixture.directory, "openai_request.json") {
            let expected = try #require(try load(fixture.directory, "upstream_request.json"))
            let chat = try JSONCoding.decode(ChatRequest.self, from: try JSONCoding.encode(request))
            let upstream = try adapter.chatRequest(chat, target: target)
            #expect(try JSONCoding.decode(JSONValue.self, from: upstream.body) == expected)
        }
        if let answer = try load(fixture.directory, "upstream_response.json") {
            let expected = try #require(try load(fixture.directory, "openai_response.json"))
            let response = try adapter.chatResponse(UpstreamAnswer(status: 200, body: try JSONCoding.encode(answer)), target: target)
            let actual = try JSONCoding.decode(JSONValue.self, from: try JSONCoding.encode(response))
            #expect(Self.contains(actual, expected), "\(actual)")
        }
    }

    /// Whether `actual` has every member of `expected` (objects recursively, arrays element by
    /// element; an expected null also matches a missing member).
    static func contains(_ actual: JSONValue?, _ expected: JSONValue) -> Bool {
        switch expected {
        case .object(let members):
            guard let object = actual?.objectValue else { return false }
            return members.allSatisfy { key, value in value.isNull ? (object[key]?.isNull ?? true) : contains(object[key], value) }
        case .array(let items):
            guard let array = actual?.arrayValue, array.count == items.count else { return false }
            return zip(array, items).allSatisfy { contains($0, $1) }
        case .double(let value):
            return actual?.doubleValue == value
        case .int(let value):
            return actual?.intValue == value
        case .string(let text) where text.hasPrefix("{") || text.hasPrefix("["):
            // JSON carried as text (tool-call arguments): compared as JSON, member order aside.
            guard let actualText = actual?.stringValue,
                let parsedActual = try? JSONCoding.decode(JSONValue.self, from: Array(actualText.utf8)),
                let parsedExpected = try? JSONCoding.decode(JSONValue.self, from: Array(text.utf8))
            else { return actual == expected }
            return parsedActual == parsedExpected
        default:
            return actual == expected
        }
    }
}
