import Foundation
import SwitchyardCore
import Testing

/// The direct writer of the usual answer must write exactly the bytes `JSONCoding` writes.
@Suite("ChatResponse direct JSON")
struct ResponseDirectJSONTests {
    static func answer(
        _ content: MessageContent?, finish: String? = "stop", usage: Usage? = Usage(promptTokens: 48, completionTokens: 56),
        fingerprint: String? = nil, choices: Int = 1
    ) -> ChatResponse {
        ChatResponse(
            id: "msg_01", created: 1_796_319_691, model: "claude-sonnet-4-5",
            choices: (0..<choices).map { .init(index: $0, message: ChatMessage(role: .assistant, content: content), finishReason: finish) },
            usage: usage, systemFingerprint: fingerprint)
    }

    static let usual: [ChatResponse] = [
        answer("A reverse proxy accepts client requests."),
        answer("He said \"hi\"\n\t\\ ünïcödé 🚀 \u{1} </script>", finish: nil, usage: nil),
        answer(nil, finish: "length", fingerprint: "fp_1"),
        answer("", choices: 3),
        answer("x", usage: Usage(promptTokens: 0, completionTokens: Int(Int32.max))),
    ]

    @Test("the usual answers: byte for byte what the Codable encoder writes", arguments: usual)
    func same(_ response: ChatResponse) throws {
        let direct = try #require(response.directJSON)
        #expect(String(decoding: direct, as: UTF8.self) == String(decoding: try JSONCoding.encode(response), as: UTF8.self))
        #expect(try JSONCoding.decode(ChatResponse.self, from: direct) == response)
    }

    @Test("every OpenAI answer fixture: either the same bytes, or left to the Codable encoder")
    func fixtures() throws {
        let folder = try #require(Bundle.module.url(forResource: "Fixtures/openai", withExtension: nil))
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("response_") }
        #expect(names.count >= 8)
        var direct = 0
        for name in names {
            var response = try JSONCoding.decode(ChatResponse.self, from: Array(try Data(contentsOf: folder.appendingPathComponent(name))))
            if let bytes = response.directJSON { #expect(bytes == (try JSONCoding.encode(response)), "\(name)") }
            // The same answer without what a translated answer rarely has: now written directly
            // when its messages are text, and still the same bytes.
            response.serviceTier = nil
            response.usage?.promptTokensDetails = nil
            response.usage?.completionTokensDetails = nil
            for index in response.choices.indices {
                response.choices[index].logprobs = nil
                response.choices[index].message.refusal = nil
                response.choices[index].message.annotations = nil
            }
            guard let bytes = response.directJSON else { continue }
            direct += 1
            #expect(bytes == (try JSONCoding.encode(response)), "\(name), plain")
        }
        #expect(direct >= 3)
    }

    @Test("other shapes are left to the Codable encoder")
    func others() {
        var withTools = Self.answer(nil)
        withTools.choices[0].message.toolCalls = [ToolCall(index: nil, id: "c", type: "function", function: .init(name: "f", arguments: "{}"))]
        #expect(withTools.directJSON == nil)
        var withDetails = Self.answer("x")
        withDetails.usage?.promptTokensDetails = .init(cachedTokens: 3)
        #expect(withDetails.directJSON == nil)
        var withExtra = Self.answer("x")
        withExtra.extra["provider_specific"] = "y"
        #expect(withExtra.directJSON == nil)
        #expect(Self.answer(.parts([ContentPart(type: .text, text: "t")])).directJSON == nil)
        var refusing = Self.answer(nil)
        refusing.choices[0].message.refusal = "no"
        #expect(refusing.directJSON == nil)
    }
}
