import Foundation
import SwitchyardCore
import SwitchyardProviders
import SwitchyardTestSupport
import Testing

/// The `anthropic/` adapter: OpenAI's chat request to the Messages API and back, and against
/// the strict mock.
@Suite("Anthropic adapter")
struct ClaudeAdapterTests {
    let adapter = AnthropicAdapter()
    let target = ProviderTarget(
        provider: "anthropic", model: "claude-sonnet-4-5", apiBase: AnthropicAdapter.defaultBase, apiKey: "sk-ant",
        headers: ["anthropic-beta": "prompt-caching-2024-07-31"])

    func chat(_ body: String) throws -> ChatRequest { try JSONCoding.decode(ChatRequest.self, from: Array(body.utf8)) }
    func body(_ request: UpstreamRequest) throws -> JSONValue { try JSONCoding.decode(JSONValue.self, from: request.body) }

    @Test("the request: URL, headers, system, merged turns, tool_use and tool_result, images, parameters, tools, tool choice, thinking")
    func request() throws {
        let request = try chat(#"""
        {"model":"claude","temperature":0.5,"top_k":3,"stop":"END","user":"u-9","reasoning_effort":"high","max_tokens":100,
         "parallel_tool_calls":false,
         "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}},"cache_control":{"type":"ephemeral"}}],
         "tool_choice":{"type":"function","function":{"name":"get_weather"}},
         "messages":[
          {"role":"system","content":"Be brief."},
          {"role":"developer","content":"Use metric units."},
          {"role":"user","content":"Hi"},
          {"role":"user","content":[{"type":"text","text":"Look","cache_control":{"type":"ephemeral"}},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBOR"}},{"type":"image_url","image_url":{"url":"https://example.com/a.jpg"}}]},
          {"role":"assistant","content":"Checking.","tool_calls":[{"id":"toolu_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
          {"role":"tool","tool_call_id":"toolu_1","content":"18C"},
          {"role":"user","content":"Thanks"}
         ]}
        """#)
        let upstream = try adapter.chatRequest(request, target: target)
        #expect(upstream.url == "https://api.anthropic.com/v1/messages")
        #expect(upstream.headers["x-api-key"] == "sk-ant")
        #expect(upstream.headers["anthropic-version"] == "2023-06-01")
        #expect(upstream.headers["anthropic-beta"] == "prompt-caching-2024-07-31")
        let json = try body(upstream)
        #expect(json["model"] == "claude-sonnet-4-5")
        #expect(json["system"] == "Be brief.\nUse metric units.")
        let messages = try #require(json["messages"]?.arrayValue)
        #expect(messages.map { $0["role"]?.stringValue ?? "" } == ["user", "assistant", "user"])
        let first = try #require(messages[0]["content"]?.arrayValue)
        #expect(first[0] == ["type": "text", "text": "Hi"])
        #expect(first[1] == ["type": "text", "text": "Look", "cache_control": ["type": "ephemeral"]])
        #expect(first[2] == ["type": "image", "source": ["type": "base64", "media_type": "image/png", "data": "iVBOR"]])
        #expect(first[3] == ["type": "image", "source": ["type": "url", "url": "https://example.com/a.jpg"]])
        #expect(messages[1]["content"] == [["type": "text", "text": "Checking."], ["type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": ["city": "Paris"]]])
        #expect(messages[2]["content"] == [["type": "tool_result", "tool_use_id": "toolu_1", "content": "18C"], ["type": "text", "text": "Thanks"]])
        #expect(json["temperature"] == 0.5)
        #expect(json["top_k"] == 3)
        #expect(json["stop_sequences"] == ["END"])
        #expect(json["metadata"] == ["user_id": "u-9"])
        #expect(json["thinking"] == ["type": "enabled", "budget_tokens": 4096])
        #expect(json["max_tokens"] == .int(4096 + 1024), "room beyond the thinking budget")
        #expect(json["tools"] == [["name": "get_weather", "description": "Weather", "input_schema": ["type": "object", "properties": ["city": ["type": "string"]]], "cache_control": ["type": "ephemeral"]]])
        #expect(json["tool_choice"] == ["type": "tool", "name": "get_weather", "disable_parallel_tool_use": true])
        for member in ["n", "user", "stop", "reasoning_effort", "parallel_tool_calls", "stream_options"] { #expect(json[member] == nil) }
    }

    @Test("max_tokens is filled from the model's output limit; tool_choice maps auto/none/required")
    func defaults() throws {
        let plain = try body(adapter.chatRequest(try chat(#"{"model":"m","messages":[{"role":"user","content":"hi"}]}"#), target: target))
        #expect(plain["max_tokens"] == 64_000)
        #expect(plain["messages"] == [["role": "user", "content": "hi"]])
        #expect(AnthropicModels.defaultMaxTokens("claude-3-5-haiku-20241022") == 8_192)
        #expect(AnthropicModels.defaultMaxTokens("claude-3-opus-20240229") == 4_096)
        for (choice, expected) in [(#""auto""#, "auto"), (#""none""#, "none"), (#""required""#, "any")] {
            let json = try body(adapter.chatRequest(try chat(#"{"model":"m","tool_choice":\#(choice),"tools":[{"type":"function","function":{"name":"f"}}],"messages":[{"role":"user","content":"hi"}]}"#), target: target))
            #expect(json["tool_choice"]?["type"]?.stringValue == expected)
        }
    }

    @Test("response_format json_schema is a forced json_tool_call tool, and its input comes back as the content")
    func jsonSchema() throws {
        let json = try body(adapter.chatRequest(try chat(#"{"model":"m","response_format":{"type":"json_schema","json_schema":{"name":"w","schema":{"type":"object","properties":{"t":{"type":"number"}}}}},"messages":[{"role":"user","content":"temp?"}]}"#), target: target))
        #expect(json["tool_choice"] == ["type": "tool", "name": "json_tool_call"])
        #expect(json["tools"]?.arrayValue?.first?["input_schema"] == ["type": "object", "properties": ["t": ["type": "number"]]])
        let answer = #"{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"tool_use","id":"toolu_9","name":"json_tool_call","input":{"t":18}}],"stop_reason":"tool_use","usage":{"input_tokens":5,"output_tokens":3}}"#
        let response = try adapter.chatResponse(UpstreamAnswer(status: 200, body: Array(answer.utf8)), target: target)
        #expect(response.choices[0].message.content == .text(#"{"t":18}"#))
        #expect(response.choices[0].message.toolCalls == nil)
        #expect(response.choices[0].finishReason == "stop")
    }

    @Test("the answer: text, tool calls with ids, thinking with its signature kept, stop reason, usage with cache")
    func response() throws {
        let answer = #"""
        {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5",
         "content":[{"type":"thinking","thinking":"Paris...","signature":"sig=="},{"type":"text","text":"Let me check."},{"type":"tool_use","id":"toolu_01","name":"get_weather","input":{"city":"Paris"}}],
         "stop_reason":"tool_use","stop_sequence":null,
         "usage":{"input_tokens":10,"cache_read_input_tokens":100,"cache_creation_input_tokens":20,"output_tokens":30}}
        """#
        let response = try adapter.chatResponse(UpstreamAnswer(status: 200, body: Array(answer.utf8)), target: target)
        let message = response.choices[0].message
        #expect(response.id == "msg_01")
        #expect(message.content == .text("Let me check."))
        #expect(message.toolCalls?.first?.id == "toolu_01")
        #expect(message.toolCalls?.first?.function?.arguments == #"{"city":"Paris"}"#)
        #expect(message.reasoningContent == "Paris...")
        #expect(message.extra["thinking_blocks"] == [["type": "thinking", "thinking": "Paris...", "signature": "sig=="]])
        #expect(response.choices[0].finishReason == "tool_calls")
        #expect(response.usage?.promptTokens == 130)
        #expect(response.usage?.completionTokens == 30)
        #expect(response.usage?.promptTokensDetails?.cachedTokens == 100)
        #expect(response.usage?.promptTokensDetails?.cacheCreationTokens == 20)
        // Thinking blocks go back first in the next turn, signature and all.
        var next = ChatRequest(model: "m", messages: [.user("q"), message, .user("go on")])
        next.messages[1].toolCalls = nil
        let json = try body(adapter.chatRequest(next, target: target))
        #expect(json["messages"]?.arrayValue?[1]["content"]?.arrayValue?.first == ["type": "thinking", "thinking": "Paris...", "signature": "sig=="])
    }

    @Test("stop reasons map to finish reasons")
    func stopReasons() {
        #expect(AnthropicAnswer.finishReason("end_turn") == "stop")
        #expect(AnthropicAnswer.finishReason("stop_sequence") == "stop")
        #expect(AnthropicAnswer.finishReason("max_tokens") == "length")
        #expect(AnthropicAnswer.finishReason("tool_use") == "tool_calls")
        #expect(AnthropicAnswer.finishReason("refusal") == "content_filter")
    }

    static let streamEvents = [
        ("message_start", #"{"type":"message_start","message":{"id":"msg_s1","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"cache_read_input_tokens":5,"output_tokens":1}}}"#),
        ("content_block_start", #"{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}}"#),
        ("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Hmm."}}"#),
        ("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQB"}}"#),
        ("content_block_stop", #"{"type":"content_block_stop","index":0}"#),
        ("ping", #"{"type": "ping"}"#),
        ("content_block_start", #"{"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}"#),
        ("content_block_delta", #"{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Okay, "}}"#),
        ("content_block_delta", #"{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"checking."}}"#),
        ("content_block_stop", #"{"type":"content_block_stop","index":1}"#),
        ("content_block_start", #"{"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_s1","name":"get_weather","input":{}}}"#),
        ("content_block_delta", #"{"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":""}}"#),
        ("content_block_delta", #"{"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\"city\": \"Pa"}}"#),
        ("content_block_delta", #"{"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"ris\"}"}}"#),
        ("content_block_stop", #"{"type":"content_block_stop","index":2}"#),
        ("message_delta", #"{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":42}}"#),
        ("message_stop", #"{"type":"message_stop"}"#),
    ]

    @Test("a stream split anywhere: one id, reasoning, text, one tool call with its arguments, finish, usage")
    func stream() throws {
        let bytes = Array(Self.streamEvents.map { "event: \($0.0)\ndata: \($0.1)\n\n" }.joined().utf8)
        for seed in 0..<25 {
            var decoder = adapter.chatStreamDecoder(target: target)
            var chunks: [ChatChunk] = []
            for piece in randomSplits(bytes, maxPiece: 37, seed: UInt64(seed)) { chunks += try decoder.decode(piece) }
            #expect(decoder.isComplete)
            chunks += try decoder.finish()
            #expect(Set(chunks.map(\.id)) == ["msg_s1"])
            #expect(chunks.first?.choices.first?.delta.role == .assistant)
            #expect(chunks.compactMap { $0.choices.first?.delta.reasoningContent }.joined() == "Hmm.")
            #expect(chunks.compactMap { $0.choices.first?.delta.content }.joined() == "Okay, checking.")
            let calls = chunks.compactMap { $0.choices.first?.delta.toolCalls }.flatMap { $0 }
            #expect(Set(calls.compactMap(\.index)) == [0])
            #expect(calls.first?.id == "toolu_s1" && calls.first?.function?.name == "get_weather")
            #expect(calls.compactMap { $0.function?.arguments }.joined() == #"{"city": "Paris"}"#)
            #expect(chunks.contains { $0.choices.first?.delta.extra["thinking_blocks"]?.arrayValue?.first?["signature"] == "EqQB" })
            #expect(chunks.compactMap { $0.choices.first?.finishReason } == ["tool_calls"])
            let usage = try #require(chunks.last?.usage)
            #expect(usage.promptTokens == 30 && usage.completionTokens == 42)
        }
    }

    @Test("an error event ends the stream with the classified failure; an early end fails")
    func streamErrors() throws {
        var decoder = adapter.chatStreamDecoder(target: target)
        _ = try decoder.decode(Array("event: message_start\ndata: \(Self.streamEvents[0].1)\n\n".utf8))
        do {
            _ = try decoder.decode(Array(#"event: error\#ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\#n\#n"#.utf8))
            Issue.record("expected a failure")
        } catch {
            #expect(error.kind == .server)
            #expect(error.status == 529)
        }
        var early = adapter.chatStreamDecoder(target: target)
        _ = try early.decode(Array("event: message_start\ndata: \(Self.streamEvents[0].1)\n\n".utf8))
        #expect(throws: UpstreamFailure.self) { _ = try early.finish() }
    }

    @Test("errors: overloaded is a retryable server failure, rate limits keep Retry-After, a long prompt is a context-window failure")
    func errors() {
        func failure(_ status: Int, _ type: String, _ message: String, headers: HeaderFields = [:]) -> UpstreamFailure {
            adapter.failure(UpstreamAnswer(status: status, headers: headers, body: Array(#"{"type":"error","error":{"type":"\#(type)","message":"\#(message)"}}"#.utf8)), target: target)
        }
        #expect(failure(529, "overloaded_error", "Overloaded").kind == .server)
        let limited = failure(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit", headers: ["retry-after": "7"])
        #expect(limited.kind == .rateLimited && limited.retryAfter == 7)
        #expect(failure(400, "invalid_request_error", "prompt is too long: 210000 tokens > 200000 maximum").kind == .contextWindowExceeded)
        #expect(failure(401, "authentication_error", "invalid x-api-key").kind == .authentication)
        #expect(failure(400, "invalid_request_error", "messages: roles must alternate").message == "messages: roles must alternate")
    }

    // MARK: against the strict mock

    func viaMock(_ request: ChatRequest) throws -> MockReply {
        let upstream = try adapter.chatRequest(request, target: ProviderTarget(provider: "anthropic", model: "claude-sonnet-4-5", apiBase: "http://mock", apiKey: "k"))
        return MockResponder().respond(method: "POST", path: String(upstream.url.dropFirst("http://mock".count)), headers: upstream.headers, body: upstream.body, now: 0)
    }

    @Test("translated requests pass the strict mock: plain, a tool round, a stream")
    func mockRoundTrip() throws {
        let request = try chat(#"""
        {"model":"m","tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{}}}}],"seed":3,"n":1,"frequency_penalty":0.1,
         "messages":[{"role":"system","content":"s"},{"role":"user","content":"q"},
          {"role":"assistant","content":null,"tool_calls":[{"id":"toolu_1","type":"function","function":{"name":"f","arguments":"{}"}}]},
          {"role":"tool","tool_call_id":"toolu_1","content":"r"},{"role":"user","content":"hello claude"}]}
        """#)
        guard case .answer(let status, _, let bytes, _, _) = try viaMock(request) else {
            Issue.record("expected an answer")
            return
        }
        #expect(status == 200, "\(String(decoding: bytes, as: UTF8.self))")
        let response = try adapter.chatResponse(UpstreamAnswer(status: status, body: bytes), target: target)
        #expect(response.choices[0].message.content == .text("Echo: hello claude"))
        var streaming = request
        streaming.stream = true
        guard case .stream(_, let events, _, _, _) = try viaMock(streaming) else {
            Issue.record("expected a stream")
            return
        }
        var decoder = adapter.chatStreamDecoder(target: target)
        var chunks: [ChatChunk] = []
        for event in events { chunks += try decoder.decode(event) }
        chunks += try decoder.finish()
        #expect(chunks.compactMap { $0.choices.first?.delta.content }.joined() == "Echo: hello claude")
    }
}

/// Text deltas in Anthropic's exact spelling take a shortcut; it must read what the general
/// reading reads, and leave everything else to it.
@Suite("Anthropic text deltas")
struct AnthropicTextDeltaTests {
    let adapter = AnthropicAdapter()
    let target = ProviderTarget(provider: "anthropic", model: "claude-sonnet-4-5", apiBase: AnthropicAdapter.defaultBase, apiKey: "k")

    func texts(_ events: [String]) throws -> [String] {
        var decoder = adapter.chatStreamDecoder(target: target)
        let start = #"{"type":"message_start","message":{"id":"msg_t","type":"message","role":"assistant","content":[],"model":"m","usage":{"input_tokens":1,"output_tokens":1}}}"#
        var chunks = try decoder.decode(Array("event: message_start\ndata: \(start)\n\n".utf8))
        for event in events { chunks += try decoder.decode(Array("event: content_block_delta\ndata: \(event)\n\n".utf8)) }
        return chunks.compactMap { $0.choices.first?.delta.content }.filter { !$0.isEmpty }
    }

    @Test("compact, escaped, unicode and differently spelled deltas all read the same text")
    func same() throws {
        let events = [
            #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"plain"}}"#,
            #"{"type":"content_block_delta","index":12,"delta":{"type":"text_delta","text":"line\nbreak \"quoted\" caf\u00e9 \\ slash"}}"#,
            #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"ünïcödé 🚀"}}"#,
            #"{"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "spaced"}}"#,
            #"{"index":0,"type":"content_block_delta","delta":{"text":"reordered","type":"text_delta"}}"#,
        ]
        #expect(try texts(events) == ["plain", "line\nbreak \"quoted\" café \\ slash", "ünïcödé 🚀", "spaced", "reordered"])
    }

    @Test("a compact-looking event that is not JSON is still refused")
    func malformed() {
        #expect(throws: UpstreamFailure.self) {
            _ = try texts([#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"cut"}"#])
        }
        #expect(throws: UpstreamFailure.self) {
            _ = try texts([#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}}garbage"#])
        }
    }
}
