import Foundation
import SwitchyardCore
import SwitchyardProviders
import SwitchyardTestSupport
import Testing

/// Gemini's generateContent dialect, both ways, and against the strict mock.
@Suite("Gemini adapter")
struct GeminiAdapterTests {
    let adapter = GeminiAdapter()
    let target = ProviderTarget(provider: "gemini", model: "gemini-2.5-flash", apiBase: GeminiAdapter.defaultBase, apiKey: "AIza-test")

    func json(_ request: UpstreamRequest) throws -> JSONValue { try JSONCoding.decode(JSONValue.self, from: request.body) }

    func chat(_ body: String) throws -> ChatRequest { try JSONCoding.decode(ChatRequest.self, from: Array(body.utf8)) }

    @Test("the request: URL, key header, system instruction, roles, parts, tool turns, config, tools and tool choice")
    func request() throws {
        let request = try chat(#"""
        {"model":"gemini-2.5-flash","max_tokens":200,"temperature":0.3,"top_p":0.9,"stop":["END"],"n":1,"seed":7,
         "reasoning_effort":"low",
         "response_format":{"type":"json_schema","json_schema":{"name":"w","schema":{"$schema":"x","type":"object","additionalProperties":false,"properties":{"city":{"type":["string","null"]}}}}},
         "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather","parameters":{"type":"object","additionalProperties":false,"properties":{"city":{"type":"string","examples":["Paris"]}},"required":["city"]}}}],
         "tool_choice":{"type":"function","function":{"name":"get_weather"}},
         "messages":[
          {"role":"system","content":"Be brief."},
          {"role":"user","content":[{"type":"text","text":"Look"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBOR"}},{"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}}]},
          {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
          {"role":"tool","tool_call_id":"call_1","content":"{\"temp\":18}"},
          {"role":"user","content":"And tomorrow?"}
         ]}
        """#)
        let upstream = try adapter.chatRequest(request, target: target)
        #expect(upstream.url == "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent")
        #expect(upstream.headers["x-goog-api-key"] == "AIza-test")
        let body = try json(upstream)
        #expect(body["systemInstruction"] == ["parts": [["text": "Be brief."]]])
        let contents = try #require(body["contents"]?.arrayValue)
        #expect(contents.map { $0["role"]?.stringValue ?? "" } == ["user", "model", "user"])
        let firstParts = try #require(contents[0]["parts"]?.arrayValue)
        #expect(firstParts[1] == ["inlineData": ["mimeType": "image/png", "data": "iVBOR"]])
        #expect(firstParts[2] == ["fileData": ["mimeType": "image/jpeg", "fileUri": "https://example.com/cat.jpg"]])
        #expect(contents[1]["parts"]?.arrayValue?.first == ["functionCall": ["name": "get_weather", "args": ["city": "Paris"], "id": "call_1"]])
        // The tool answer and the next user text share one user turn.
        let last = try #require(contents[2]["parts"]?.arrayValue)
        #expect(last[0] == ["functionResponse": ["name": "get_weather", "response": ["temp": 18], "id": "call_1"]])
        #expect(last[1] == ["text": "And tomorrow?"])
        let config = try #require(body["generationConfig"])
        #expect(config["maxOutputTokens"] == 200)
        #expect(config["temperature"] == 0.3)
        #expect(config["stopSequences"] == ["END"])
        #expect(config["seed"] == 7)
        #expect(config["thinkingConfig"] == ["thinkingBudget": 1024, "includeThoughts": true])
        #expect(config["responseMimeType"] == "application/json")
        #expect(config["responseSchema"] == ["type": "object", "properties": ["city": ["type": "string", "nullable": true]]])
        let declaration = try #require(body["tools"]?.arrayValue?.first?["functionDeclarations"]?.arrayValue?.first)
        #expect(declaration["parameters"] == ["type": "object", "properties": ["city": ["type": "string"]], "required": ["city"]])
        #expect(body["toolConfig"] == ["functionCallingConfig": ["mode": "ANY", "allowedFunctionNames": ["get_weather"]]])
        #expect(body["messages"] == nil)
    }

    @Test("a streamed request uses streamGenerateContent with alt=sse")
    func streamURL() throws {
        let upstream = try adapter.chatRequest(try chat(#"{"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]}"#), target: target)
        #expect(upstream.url.hasSuffix("/models/gemini-2.5-flash:streamGenerateContent?alt=sse"))
    }

    @Test("the answer: text, thoughts as reasoning, usage with thoughts and cache, finish reasons")
    func response() throws {
        let body = #"""
        {"candidates":[{"content":{"role":"model","parts":[{"text":"Let me think","thought":true},{"text":"Paris is sunny."}]},"finishReason":"MAX_TOKENS","index":0}],
         "usageMetadata":{"promptTokenCount":12,"candidatesTokenCount":5,"thoughtsTokenCount":7,"cachedContentTokenCount":4,"totalTokenCount":24},
         "modelVersion":"gemini-2.5-flash","responseId":"abc"}
        """#
        let response = try adapter.chatResponse(UpstreamAnswer(status: 200, body: Array(body.utf8), receivedAt: 1_700_000_000), target: target)
        #expect(response.id == "chatcmpl-abc")
        #expect(response.choices[0].message.content == .text("Paris is sunny."))
        #expect(response.choices[0].message.reasoningContent == "Let me think")
        #expect(response.choices[0].finishReason == "length")
        #expect(response.usage?.promptTokens == 12)
        #expect(response.usage?.completionTokens == 12)
        #expect(response.usage?.totalTokens == 24)
        #expect(response.usage?.completionTokensDetails?.reasoningTokens == 7)
        #expect(response.usage?.promptTokensDetails?.cachedTokens == 4)
    }

    @Test("a function call is a tool call with its arguments as JSON text and finish reason tool_calls")
    func functionCall() throws {
        let body = #"{"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}}]},"finishReason":"STOP"}]}"#
        let response = try adapter.chatResponse(UpstreamAnswer(status: 200, body: Array(body.utf8)), target: target)
        let call = try #require(response.choices[0].message.toolCalls?.first)
        #expect(call.function?.name == "get_weather")
        #expect(call.function?.arguments == #"{"city":"Paris"}"#)
        #expect(call.id?.isEmpty == false)
        #expect(response.choices[0].finishReason == "tool_calls")
    }

    @Test("a safety block is a content-policy failure, so content_policy_fallbacks apply")
    func safety() {
        for body in [
            #"{"promptFeedback":{"blockReason":"SAFETY"}}"#,
            #"{"candidates":[{"content":{"role":"model","parts":[]},"finishReason":"SAFETY"}]}"#,
        ] {
            do {
                _ = try adapter.chatResponse(UpstreamAnswer(status: 200, body: Array(body.utf8)), target: target)
                Issue.record("expected a failure for \(body)")
            } catch {
                #expect(error.kind == .contentPolicy)
            }
        }
    }

    @Test("errors: RESOURCE_EXHAUSTED is a rate limit, an over-long prompt a context-window failure")
    func errors() {
        let limited = adapter.failure(UpstreamAnswer(status: 429, body: Array(#"{"error":{"code":429,"message":"Resource has been exhausted","status":"RESOURCE_EXHAUSTED"}}"#.utf8)), target: target)
        #expect(limited.kind == .rateLimited)
        let long = adapter.failure(UpstreamAnswer(status: 400, body: Array(#"{"error":{"code":400,"message":"The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).","status":"INVALID_ARGUMENT"}}"#.utf8)), target: target)
        #expect(long.kind == .contextWindowExceeded)
        #expect(long.message.contains("input token count"))
    }

    @Test("a stream split anywhere gives the same chunks: one id, text, then finish and usage")
    func stream() throws {
        let events = [
            #"{"candidates":[{"content":{"role":"model","parts":[{"text":"Hel"}]},"index":0}],"usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":1,"totalTokenCount":4},"responseId":"r1"}"#,
            #"{"candidates":[{"content":{"role":"model","parts":[{"text":"lo"}]},"index":0}],"usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":2,"totalTokenCount":5},"responseId":"r1"}"#,
            #"{"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"f","args":{"a":1}}}]},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":4,"totalTokenCount":7},"responseId":"r1"}"#,
        ]
        let bytes = Array(events.map { "data: \($0)\r\n\r\n" }.joined().utf8)
        for seed in 0..<20 {
            var decoder = adapter.chatStreamDecoder(target: target)
            var chunks: [ChatChunk] = []
            for piece in randomSplits(bytes, maxPiece: 40, seed: UInt64(seed)) { chunks += try decoder.decode(piece) }
            chunks += try decoder.finish()
            #expect(Set(chunks.map(\.id)) == ["chatcmpl-r1"])
            #expect(chunks.compactMap { $0.choices.first?.delta.content }.joined() == "Hello")
            #expect(chunks.first?.choices.first?.delta.role == .assistant)
            let calls = chunks.compactMap { $0.choices.first?.delta.toolCalls }.flatMap { $0 }
            let call = try #require(calls.first)
            #expect(call.index == 0 && call.function?.name == "f" && call.function?.arguments == #"{"a":1}"#)
            #expect(chunks.compactMap { $0.choices.first?.finishReason }.last == "tool_calls")
            #expect(chunks.last?.usage?.totalTokens == 7)
        }
    }

    @Test("a stream that ends before a finish reason fails")
    func earlyEnd() throws {
        var decoder = adapter.chatStreamDecoder(target: target)
        _ = try decoder.decode(Array(#"data: {"candidates":[{"content":{"role":"model","parts":[{"text":"Hel"}]}}]}\#r\#n\#r\#n"#.utf8))
        #expect(throws: UpstreamFailure.self) { _ = try decoder.finish() }
    }

    // MARK: against the strict mock

    func roundTrip(_ body: String) throws -> (ChatRequest, MockReply) {
        let request = try chat(body)
        let upstream = try adapter.chatRequest(request, target: ProviderTarget(provider: "gemini", model: "gemini-2.5-flash", apiBase: "http://mock/v1beta", apiKey: "k"))
        let path = String(upstream.url.dropFirst("http://mock".count))
        return (request, MockResponder().respond(method: "POST", path: path, headers: upstream.headers, body: upstream.body, now: 0))
    }

    @Test("translated requests pass the strict mock, and its answers translate back")
    func mockRoundTrip() throws {
        let (_, reply) = try roundTrip(#"{"model":"m","messages":[{"role":"system","content":"s"},{"role":"user","content":"hi gemini"}],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","additionalProperties":false,"properties":{"x":{"type":"string"}}}}}]}"#)
        guard case .answer(let status, _, let body, _, _) = reply else {
            Issue.record("expected an answer")
            return
        }
        #expect(status == 200, "\(String(decoding: body, as: UTF8.self))")
        let response = try adapter.chatResponse(UpstreamAnswer(status: status, body: body), target: target)
        #expect(response.choices[0].message.content == .text("Echo: hi gemini"))
    }

    @Test("the strict mock refuses what Gemini refuses: an OpenAI body, a bad role, a schema key")
    func mockRefuses() {
        let mock = MockResponder()
        let headers: HeaderFields = ["x-goog-api-key": "k"]
        for (body, mention) in [
            (#"{"model":"m","messages":[{"role":"user","content":"hi"}]}"#, #"Unknown name \"messages\""#),
            (#"{"contents":[{"role":"assistant","parts":[{"text":"hi"}]}]}"#, "valid role"),
            (#"{"contents":[{"role":"user","parts":[{"text":"hi"}]}],"tools":[{"functionDeclarations":[{"name":"f","parameters":{"type":"object","additionalProperties":false}}]}]}"#, "additionalProperties"),
        ] {
            guard case .answer(let status, _, let bytes, _, _) = mock.respond(method: "POST", path: "/v1beta/models/m:generateContent", headers: headers, body: Array(body.utf8), now: 0) else {
                Issue.record("expected an answer")
                continue
            }
            #expect(status == 400)
            #expect(String(decoding: bytes, as: UTF8.self).contains(mention))
        }
    }
}
