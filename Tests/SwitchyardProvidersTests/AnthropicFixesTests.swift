import Foundation
import SwitchyardCore
import SwitchyardProviders
import SwitchyardTestSupport
import Testing

/// The Anthropic translation where it follows LiteLLM past the plain mapping: JSON mode when
/// streaming or thinking, user ids Anthropic refuses, `tool_choice: none` with
/// `parallel_tool_calls`, streamed redacted thinking, the cache counts under Anthropic's names.
@Suite("Anthropic adapter: LiteLLM's finer points")
struct AnthropicFixesTests {
    let adapter = AnthropicAdapter()
    let target = ProviderTarget(provider: "anthropic", model: "claude-sonnet-4-5-20250929", apiBase: "https://api.anthropic.com", apiKey: "sk-ant-test")

    func chat(_ text: String) throws -> ChatRequest { try JSONCoding.decode(ChatRequest.self, from: bytes(text)) }
    func body(_ text: String) throws -> JSONValue { try json(adapter.chatRequest(try chat(text), target: target).body) }

    func decode(_ text: String, seed: UInt64) throws -> [ChatChunk] {
        var decoder = adapter.chatStreamDecoder(target: target)
        var chunks: [ChatChunk] = []
        for piece in randomSplits(bytes(text), maxPiece: 23, seed: seed) { chunks += try decoder.decode(piece) }
        #expect(decoder.isComplete)
        return chunks + (try decoder.finish())
    }

    /// A response_format answer streamed: the forced json_tool_call's input as partial JSON.
    static let jsonModeStream = """
        event: message_start
        data: {"type":"message_start","message":{"model":"claude-haiku-4-5-20251001","id":"msg_01K2JbSUMYhez5RHoK9ZCj9U","type":"message","role":"assistant","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":849,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":10}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_01KFbKqPYSuAKujiL6mTfzYA","name":"json_tool_call","input":{}}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":""}}

        event: ping
        data: {"type":"ping"}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\\"elements\\": [{\\"location\\": \\"San Francisco\\", \\"temperature\\": 58}]"}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"}"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"input_tokens":849,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":47}}

        event: message_stop
        data: {"type":"message_stop"}


        """

    @Test("streamed JSON mode: the json_tool_call input arrives as content and the finish is stop, as in the non-streamed answer")
    func streamedJSONMode() throws {
        for seed: UInt64 in 0..<20 {
            let chunks = try decode(Self.jsonModeStream, seed: seed)
            let content = chunks.compactMap { $0.choices.first?.delta.content }.joined()
            #expect(content == #"{"elements": [{"location": "San Francisco", "temperature": 58}]}"#)
            #expect(try json(content) == ["elements": [["location": "San Francisco", "temperature": 58]]])
            #expect(!chunks.contains { $0.choices.first?.delta.toolCalls != nil })
            #expect(chunks.compactMap { $0.choices.first?.finishReason } == ["stop"])
        }
    }

    @Test("JSON mode beside a real tool call: the real call keeps index 0 and the finish stays tool_calls")
    func jsonModeBesideRealTool() throws {
        let extra = """
            event: content_block_start
            data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_real","name":"get_weather","input":{}}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{}"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":1}


            """
        let stream = Self.jsonModeStream.replacingOccurrences(of: "event: message_delta", with: extra + "event: message_delta")
        let chunks = try decode(stream, seed: 1)
        let calls = chunks.compactMap { $0.choices.first?.delta.toolCalls }.flatMap { $0 }
        #expect(Set(calls.compactMap(\.index)) == [0])
        #expect(calls.first?.id == "toolu_real")
        #expect(chunks.compactMap { $0.choices.first?.finishReason } == ["tool_calls"])
    }

    @Test("response_format with thinking on: the JSON tool is offered, not forced (Anthropic refuses forced tools while thinking)")
    func jsonModeWithThinking() throws {
        let json = try body(#"{"model":"m","reasoning_effort":"low","response_format":{"type":"json_schema","json_schema":{"name":"w","schema":{"type":"object","properties":{"t":{"type":"number"}}}}},"messages":[{"role":"user","content":"temp?"}]}"#)
        #expect(json["tools"]?.arrayValue?.map { $0["name"] } == ["json_tool_call"])
        #expect(json["tool_choice"].isAbsent)
        #expect(json["thinking"] == ["type": "enabled", "budget_tokens": 1024])
        let forced = try body(#"{"model":"m","response_format":{"type":"json_schema","json_schema":{"name":"w","schema":{"type":"object"}}},"messages":[{"role":"user","content":"temp?"}]}"#)
        #expect(forced["tool_choice"] == ["type": "tool", "name": "json_tool_call"])
    }

    @Test("response_format json_object: a forced JSON tool that takes any object")
    func jsonObject() throws {
        let json = try body(#"{"model":"m","response_format":{"type":"json_object"},"messages":[{"role":"user","content":"JSON please"}]}"#)
        #expect(json["tools"] == [["name": "json_tool_call", "description": "Answer with JSON that fits the schema.", "input_schema": ["type": "object", "properties": [:], "additionalProperties": true]]])
        #expect(json["tool_choice"] == ["type": "tool", "name": "json_tool_call"])
        let text = try body(#"{"model":"m","response_format":{"type":"text"},"messages":[{"role":"user","content":"hi"}]}"#)
        #expect(text["tools"].isAbsent && text["tool_choice"].isAbsent)
    }

    @Test("user → metadata.user_id, except an email address or a phone number, which Anthropic refuses")
    func userID() throws {
        func metadata(_ user: String) throws -> JSONValue? {
            try body(#"{"model":"m","user":"\#(user)","messages":[{"role":"user","content":"hi"}]}"#)["metadata"]
        }
        for kept in ["user-42", "6f1c2e0a-9d3b-4c1e-8f7a-2b5d9e0c1a34", "12345", "team@", "a@b"] {
            #expect(try metadata(kept) == ["user_id": .string(kept)], "\(kept)")
        }
        for dropped in ["alice@example.com", "first.last+tag@mail.example.co.uk", "+1 (555) 010-9999", "5550109999"] {
            #expect(try metadata(dropped).isAbsent, "\(dropped)")
        }
    }

    @Test("tool_choice none with parallel_tool_calls false: no disable_parallel_tool_use, which none does not have")
    func noneWithParallel() throws {
        let json = try body(#"{"model":"m","tool_choice":"none","parallel_tool_calls":false,"tools":[{"type":"function","function":{"name":"f"}}],"messages":[{"role":"user","content":"hi"}]}"#)
        #expect(json["tool_choice"] == ["type": "none"])
    }

    @Test("a streamed redacted_thinking block reaches the client as a thinking block, to be sent back")
    func streamedRedactedThinking() throws {
        let stream = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_r","type":"message","role":"assistant","content":[],"model":"c","usage":{"input_tokens":5,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix/LafPsn4a"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: content_block_start
            data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Done."}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":1}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":9}}

            event: message_stop
            data: {"type":"message_stop"}


            """
        let chunks = try decode(stream, seed: 4)
        let blocks = chunks.compactMap { $0.choices.first?.delta.extra["thinking_blocks"] }
        #expect(blocks == [[["type": "redacted_thinking", "data": "EmwKAhgBEgy3va3pzix/LafPsn4a"]]])
        #expect(chunks.compactMap { $0.choices.first?.delta.content }.joined() == "Done.")
    }

    @Test("usage keeps cache_creation_input_tokens and cache_read_input_tokens at the top level, as LiteLLM's does")
    func cacheCountsUnderAnthropicNames() throws {
        let answer = #"{"id":"m","type":"message","role":"assistant","model":"c","content":[{"type":"text","text":"ok"}],"stop_reason":"end_turn","usage":{"input_tokens":21,"cache_creation_input_tokens":1000,"cache_read_input_tokens":2000,"output_tokens":3}}"#
        let usage = try #require(try adapter.chatResponse(UpstreamAnswer(status: 200, body: bytes(answer)), target: target).usage)
        let encoded = try json(JSONCoding.encode(usage))
        #expect(encoded["prompt_tokens"] == 3021)
        #expect(encoded["cache_creation_input_tokens"] == 1000)
        #expect(encoded["cache_read_input_tokens"] == 2000)
        #expect(encoded["prompt_tokens_details"] == ["cached_tokens": 2000, "cache_creation_tokens": 1000])
        let plain = #"{"id":"m","type":"message","role":"assistant","model":"c","content":[],"stop_reason":"end_turn","usage":{"input_tokens":2,"output_tokens":3}}"#
        let plainUsage = try #require(try adapter.chatResponse(UpstreamAnswer(status: 200, body: bytes(plain)), target: target).usage)
        #expect(plainUsage.extra.isEmpty, "nothing invented when the upstream did not report cache counts")
    }

    @Test("a target without api_base calls Anthropic's own")
    func defaultBase() throws {
        var bare = target
        bare.apiBase = ""
        #expect(try adapter.chatRequest(ChatRequest(model: "m", messages: [.user("hi")]), target: bare).url == "https://api.anthropic.com/v1/messages")
    }

    @Test("bytes that are not UTF-8 in an event arrive as U+FFFD, in a text delta or any other event; the stream goes on")
    func invalidUTF8InEvents() throws {
        let start = #"event: message_start\#ndata: {"type":"message_start","message":{"id":"msg_"#
        let delta = #"","model":"c","usage":{"input_tokens":1,"output_tokens":0}}}\#n\#nevent: content_block_delta\#ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"ok "#
        let tail = #""}}\#n\#nevent: message_delta\#ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":2}}\#n\#nevent: message_stop\#ndata: {"type":"message_stop"}\#n\#n"#
        var decoder = adapter.chatStreamDecoder(target: target)
        var chunks = try decoder.decode(bytes(start) + [0xC3] + bytes(delta) + [0xFF, 0xFE] + bytes(tail))
        chunks += try decoder.finish()
        #expect(decoder.isComplete)
        let text = chunks.compactMap { $0.choices.first?.delta.content }.joined()
        #expect(text == "ok \u{FFFD}\u{FFFD}")
        #expect(chunks.first?.id == "msg_\u{FFFD}")
        #expect(chunks.contains { $0.choices.first?.finishReason == "stop" })
    }
}
