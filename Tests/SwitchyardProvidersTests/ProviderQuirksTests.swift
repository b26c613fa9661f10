import Foundation
import SwitchyardCore
import SwitchyardProviders
import Testing

/// The quirks of `OpenAICompatibleProvider.table` that LiteLLM applies to every request of a
/// provider (renamed parameters, `tool_choice` spellings and restrictions, parameters never sent,
/// a model-name prefix), checked on both paths a request can take: decoded (`chatRequest`) and
/// forwarded as the client's bytes (`rawChatRequest`). Both must send the same body.
@Suite("OpenAI-compatible provider quirks, decoded and forwarded")
struct ProviderQuirksTests {
    static let messages = #""messages":[{"role":"user","content":"hi"}]"#

    /// The request `{"model":"alias","messages":[…], <members>}`.
    static func body(_ members: String) -> String {
        members.isEmpty ? #"{"model":"alias",\#(messages)}"# : #"{"model":"alias",\#(messages),\#(members)}"#
    }

    static func adapter(_ prefix: String, model: String = "some-model", dropParams: Bool = false) throws -> (OpenAIAdapter, ProviderTarget) {
        let row = try #require(OpenAICompatibleProvider.named(prefix))
        let target = ProviderTarget(provider: prefix, model: model, apiBase: row.defaultBaseURL ?? "http://localhost/v1", apiKey: "k", dropParams: dropParams)
        return (OpenAIAdapter(compatible: row), target)
    }

    /// The upstream body for `members` sent to `prefix`, by the decoded path and by the forwarding
    /// path; fails the test when the two differ.
    static func sent(
        _ prefix: String, _ members: String, model: String = "some-model", dropParams: Bool = false,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> JSONValue {
        let (adapter, target) = try adapter(prefix, model: model, dropParams: dropParams)
        let text = body(members)
        let decoded = try adapter.chatRequest(try JSONCoding.decode(ChatRequest.self, from: Array(text.utf8)), target: target)
        let forwarded = try adapter.rawChatRequest(try RawChatRequest(body: Array(text.utf8)), target: target)
        let decodedBody = try json(decoded.body).withoutNullMembers
        let forwardedBody = try json(forwarded.body)
        #expect(decodedBody.isEquivalent(to: forwardedBody), "decoded: \(decodedBody)\nforwarded: \(forwardedBody)", sourceLocation: sourceLocation)
        return forwardedBody
    }

    /// The failures of both paths for `members` sent to `prefix` (both must fail).
    static func rejected(_ prefix: String, _ members: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [UpstreamFailure] {
        let (adapter, target) = try adapter(prefix)
        let text = body(members)
        let request = try JSONCoding.decode(ChatRequest.self, from: Array(text.utf8))
        let raw = try RawChatRequest(body: Array(text.utf8))
        let failures = [
            failure({ try adapter.chatRequest(request, target: target) }, sourceLocation: sourceLocation),
            failure({ try adapter.rawChatRequest(raw, target: target) }, sourceLocation: sourceLocation),
        ]
        #expect(failures.allSatisfy { $0 != nil }, "both paths must refuse \(members) for \(prefix)", sourceLocation: sourceLocation)
        return failures.compactMap { $0 }
    }

    // MARK: - renamedParameters

    @Test("mistral and codestral take seed as random_seed", arguments: ["mistral", "codestral"])
    func seedIsRandomSeed(prefix: String) throws {
        let body = try Self.sent(prefix, #""seed":42,"temperature":0.1"#)
        #expect(body["random_seed"] == 42)
        #expect(body["seed"].isAbsent)
        #expect(body["temperature"] == 0.1)
    }

    @Test("a caller's own random_seed wins over seed")
    func ownRandomSeedWins() throws {
        let body = try Self.sent("mistral", #""seed":42,"random_seed":7"#)
        #expect(body["random_seed"] == 7)
        #expect(body["seed"].isAbsent)
    }

    @Test("seed stays seed for providers that take it", arguments: ["groq", "deepseek", "xai"])
    func seedStaysElsewhere(prefix: String) throws {
        let body = try Self.sent(prefix, #""seed":42"#)
        #expect(body["seed"] == 42)
        #expect(body["random_seed"].isAbsent)
    }

    // MARK: - toolChoiceValues

    static let tools = #""tools":[{"type":"function","function":{"name":"lookup","parameters":{"type":"object"}}}]"#

    @Test("tool_choice required is sent as any", arguments: ["mistral", "codestral", "fireworks_ai"])
    func requiredIsAny(prefix: String) throws {
        let body = try Self.sent(prefix, #"\#(Self.tools),"tool_choice":"required""#)
        #expect(body["tool_choice"] == "any")
        #expect(body["tools"]?.arrayValue?.count == 1)
    }

    @Test("other tool_choice values go as they came", arguments: [
        #""auto""#, #""none""#, #"{"type":"function","function":{"name":"lookup"}}"#,
    ])
    func otherToolChoicesUnchanged(value: String) throws {
        for prefix in ["mistral", "fireworks_ai"] {
            let body = try Self.sent(prefix, #"\#(Self.tools),"tool_choice":\#(value)"#)
            #expect(body["tool_choice"] == (try json(#"{"v":\#(value)}"#)["v"]), "\(prefix)")
        }
    }

    @Test("providers without the quirk send required as required", arguments: ["groq", "deepseek", "together_ai"])
    func requiredStaysElsewhere(prefix: String) throws {
        #expect(try Self.sent(prefix, #"\#(Self.tools),"tool_choice":"required""#)["tool_choice"] == "required")
    }

    // MARK: - acceptedToolChoices

    @Test("deepinfra and featherless_ai take tool_choice auto and none only", arguments: ["deepinfra", "featherless_ai"])
    func acceptedToolChoices(prefix: String) throws {
        for value in ["auto", "none"] {
            #expect(try Self.sent(prefix, #"\#(Self.tools),"tool_choice":"\#(value)""#)["tool_choice"] == JSONValue.string(value))
        }
        for value in [#""required""#, #"{"type":"function","function":{"name":"lookup"}}"#] {
            for thrown in try Self.rejected(prefix, #"\#(Self.tools),"tool_choice":\#(value)"#) {
                #expect(thrown.kind == .badRequest && thrown.httpStatus == 400)
                #expect(thrown.message.contains("tool_choice") && thrown.message.contains("auto, none"), "\(thrown.message)")
                #expect(thrown.message.contains("drop_params"))
                #expect(thrown.provider == prefix)
            }
            // With drop_params the value is dropped; the tools stay.
            let dropped = try Self.sent(prefix, #"\#(Self.tools),"tool_choice":\#(value)"#, dropParams: true)
            #expect(dropped["tool_choice"].isAbsent)
            #expect(dropped["tools"]?.arrayValue?.count == 1)
        }
    }

    @Test("a rejected tool_choice is named together with other rejected parameters")
    func rejectedTogether() throws {
        for thrown in try Self.rejected("deepinfra", #""seed":1,"tool_choice":"required""#) {
            #expect(thrown.message.contains("seed, tool_choice"), "\(thrown.message)")
            #expect(thrown.message.contains(#"tool_choice "required""#), "\(thrown.message)")
        }
    }

    // MARK: - ignoredParameters

    @Test("xai never gets web_search_options, and it is not an error without drop_params")
    func xaiIgnoresWebSearchOptions() throws {
        let body = try Self.sent("xai", #""web_search_options":{"search_context_size":"low"},"temperature":0.3"#)
        #expect(body["web_search_options"].isAbsent)
        #expect(body["temperature"] == 0.3)
        #expect(!(try Self.sent("openrouter", #""web_search_options":{"search_context_size":"low"}"#)["web_search_options"]).isAbsent)
    }

    // MARK: - modelPrefix

    @Test("fireworks_ai model names get accounts/fireworks/models/ unless they name an account", arguments: [
        ("llama-v3p1-8b-instruct", "accounts/fireworks/models/llama-v3p1-8b-instruct"),
        ("accounts/fireworks/models/deepseek-v3", "accounts/fireworks/models/deepseek-v3"),
        ("accounts/my-team/models/tuned", "accounts/my-team/models/tuned"),
    ])
    func fireworksModelPrefix(model: String, sentAs: String) throws {
        #expect(try Self.sent("fireworks_ai", "", model: model)["model"] == JSONValue.string(sentAs))
        #expect(try Self.sent("together_ai", "", model: model)["model"] == JSONValue.string(model), "no prefix for other providers")
    }

    // MARK: - The forwarding fast path stays a copy

    @Test("without quirks for what a request sets, the forwarded body is the client's bytes with only the model replaced")
    func fastPathIsACopy() throws {
        let members = #""temperature":0.50,"tool_choice":"required","seed":1,"#
            + #""web_search_options":{"x":[1, 2]},"custom":"caf\u00e9""#
        let original = Self.body(members)
        for prefix in ["deepseek", "together_ai", "openrouter", "custom_openai"] {
            let (adapter, target) = try Self.adapter(prefix)
            let forwarded = try adapter.rawChatRequest(try RawChatRequest(body: Array(original.utf8)), target: target)
            let expected = original.replacingOccurrences(of: #"{"model":"alias","#, with: #"{"model":"some-model","#)
            #expect(String(decoding: forwarded.body, as: UTF8.self) == expected, "\(prefix)")
        }
        // A provider with quirks leaves what they are not about byte for byte too.
        let (mistral, target) = try Self.adapter("mistral")
        let forwarded = try mistral.rawChatRequest(try RawChatRequest(body: Array(Self.body(#""seed":1,"custom":"caf\u00e9""#).utf8)), target: target)
        #expect(String(decoding: forwarded.body, as: UTF8.self) == #"{"model":"some-model",\#(Self.messages),"random_seed":1,"custom":"caf\u00e9"}"#)
    }
}
