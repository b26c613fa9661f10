import Foundation
import SwitchyardCore
@testable import SwitchyardProviders
import SwitchyardTestSupport
import Testing

/// The `anthropic/` adapter against the Messages API's documented wire format: whole request
/// bodies compared member for member, documented answers and event streams (fed whole, byte by
/// byte, and in random pieces), and the documented error shapes. The fixtures are embedded so
/// the test target needs no resources.
@Suite("Anthropic wire format")
struct AnthropicWireFormatTests {
    let adapter = AnthropicAdapter()
    let target = ProviderTarget(provider: "anthropic", model: "claude-sonnet-4-5-20250929", apiBase: "https://api.anthropic.com", apiKey: "sk-ant-test")

    func chat(_ text: String) throws -> ChatRequest { try JSONCoding.decode(ChatRequest.self, from: bytes(text)) }
    func body(_ request: ChatRequest, target: ProviderTarget? = nil) throws -> JSONValue {
        try json(adapter.chatRequest(request, target: target ?? self.target).body)
    }
    func answer(_ text: String, status: Int = 200) throws -> ChatResponse {
        try adapter.chatResponse(UpstreamAnswer(status: status, body: bytes(text)), target: target)
    }

    // MARK: - Request translation

    /// Every mapping at once, compared as the whole body: system + developer (with cache_control,
    /// so `system` is an array of blocks), a parallel tool round (two `tool_use` blocks, two tool
    /// messages merged into one user turn), images as base64 and URL sources, a PDF as a document
    /// block, `max_completion_tokens` over `max_tokens`, stop → `stop_sequences`, `required` →
    /// `any` with `disable_parallel_tool_use`, `user` → `metadata.user_id`, and every OpenAI-only
    /// parameter left out.
    @Test("a full chat request becomes exactly the documented Messages body")
    func fullRequestBody() throws {
        let request = try chat(#"""
        {"model":"anthropic/claude-sonnet-4-5","max_completion_tokens":1024,"max_tokens":50,"temperature":0.2,"top_p":0.9,"top_k":40,
         "stop":["###","END"],"user":"user-42","stream":true,"stream_options":{"include_usage":true},
         "n":1,"presence_penalty":0.5,"frequency_penalty":0.5,"logit_bias":{"50256":-100},"seed":7,"logprobs":true,"top_logprobs":2,
         "service_tier":"auto","store":true,"metadata":{"k":"v"},"modalities":["text"],"verbosity":"low","prompt_cache_key":"pck",
         "tools":[
          {"type":"function","function":{"name":"get_weather","description":"Get the current weather in a given location",
           "parameters":{"type":"object","properties":{"location":{"type":"string","description":"The city and state, e.g. San Francisco, CA"}},"required":["location"]}}},
          {"type":"function","function":{"name":"get_time"}}],
         "tool_choice":"required","parallel_tool_calls":false,
         "messages":[
          {"role":"system","content":"You are a weather bot.","cache_control":{"type":"ephemeral"}},
          {"role":"developer","content":"Answer in Celsius."},
          {"role":"user","content":"What's the weather like in San Francisco and Paris?"},
          {"role":"assistant","content":null,"tool_calls":[
            {"id":"toolu_01A","type":"function","function":{"name":"get_weather","arguments":"{\"location\":\"San Francisco, CA\"}"}},
            {"id":"toolu_01B","type":"function","function":{"name":"get_weather","arguments":"{\"location\":\"Paris\"}"}}]},
          {"role":"tool","tool_call_id":"toolu_01A","content":"15 degrees"},
          {"role":"tool","tool_call_id":"toolu_01B","content":"18 degrees"},
          {"role":"assistant","content":"San Francisco is 15°C and Paris 18°C."},
          {"role":"user","content":[
            {"type":"text","text":"And this picture and report?"},
            {"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4AAQSkZJRg=="}},
            {"type":"image_url","image_url":{"url":"https://upload.wikimedia.org/a.jpg","detail":"high"}},
            {"type":"file","file":{"file_data":"data:application/pdf;base64,JVBERi0xLjQK","filename":"r.pdf"}}]}
         ]}
        """#)
        var anthropic = target
        anthropic.model = "claude-sonnet-4-5"
        let expected = try json(#"""
        {"model":"claude-sonnet-4-5","max_tokens":1024,"temperature":0.2,"top_p":0.9,"top_k":40,
         "stop_sequences":["###","END"],"metadata":{"user_id":"user-42"},"stream":true,
         "system":[{"type":"text","text":"You are a weather bot.","cache_control":{"type":"ephemeral"}},{"type":"text","text":"Answer in Celsius."}],
         "tools":[
          {"name":"get_weather","description":"Get the current weather in a given location",
           "input_schema":{"type":"object","properties":{"location":{"type":"string","description":"The city and state, e.g. San Francisco, CA"}},"required":["location"]}},
          {"name":"get_time","input_schema":{"type":"object","properties":{}}}],
         "tool_choice":{"type":"any","disable_parallel_tool_use":true},
         "messages":[
          {"role":"user","content":"What's the weather like in San Francisco and Paris?"},
          {"role":"assistant","content":[
            {"type":"tool_use","id":"toolu_01A","name":"get_weather","input":{"location":"San Francisco, CA"}},
            {"type":"tool_use","id":"toolu_01B","name":"get_weather","input":{"location":"Paris"}}]},
          {"role":"user","content":[
            {"type":"tool_result","tool_use_id":"toolu_01A","content":"15 degrees"},
            {"type":"tool_result","tool_use_id":"toolu_01B","content":"18 degrees"}]},
          {"role":"assistant","content":"San Francisco is 15°C and Paris 18°C."},
          {"role":"user","content":[
            {"type":"text","text":"And this picture and report?"},
            {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/4AAQSkZJRg=="}},
            {"type":"image","source":{"type":"url","url":"https://upload.wikimedia.org/a.jpg"}},
            {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0xLjQK"}}]}
         ]}
        """#)
        let built = try body(request, target: anthropic)
        #expect(built == expected)
        // A member-by-member report when the whole differs, so a failure says where.
        for (key, value) in expected.objectValue ?? [:] { #expect(built[key] == value, "member \(key)") }
        #expect(Set(built.objectValue?.keys.map { $0 } ?? []) == Set(expected.objectValue?.keys.map { $0 } ?? []))
    }

    @Test("URL, headers and anthropic-beta: the base with or without /v1, the key as x-api-key, no bearer token")
    func urlAndHeaders() throws {
        let request = ChatRequest(model: "m", messages: [.user("hi")])
        for (base, url) in [
            ("https://api.anthropic.com", "https://api.anthropic.com/v1/messages"),
            ("https://api.anthropic.com/", "https://api.anthropic.com/v1/messages"),
            ("https://gateway.example/anthropic/v1", "https://gateway.example/anthropic/v1/messages"),
            ("https://gateway.example/v1/messages", "https://gateway.example/v1/messages"),
        ] {
            var here = target
            here.apiBase = base
            #expect(try adapter.chatRequest(request, target: here).url == url, "base \(base)")
        }
        var beta = target
        beta.headers = ["anthropic-beta": "interleaved-thinking-2025-05-14,prompt-caching-2024-07-31"]
        let upstream = try adapter.chatRequest(request, target: beta)
        #expect(upstream.method == "POST")
        #expect(upstream.headers["x-api-key"] == "sk-ant-test")
        #expect(upstream.headers["anthropic-version"] == "2023-06-01")
        #expect(upstream.headers["content-type"] == "application/json")
        #expect(upstream.headers["anthropic-beta"] == "interleaved-thinking-2025-05-14,prompt-caching-2024-07-31")
        #expect(upstream.headers["authorization"] == nil)
        #expect(try adapter.chatRequest(request, target: target).headers["anthropic-beta"] == nil)
    }

    /// The body is written member by member, not from a dictionary: the same request gives the
    /// same bytes every time, in the documented order.
    @Test("the usual request's body, byte for byte: model first, members in a fixed order, a lone text block as a string")
    func usualBodyBytes() throws {
        let request = try chat(#"""
        {"model":"alias","messages":[{"role":"system","content":"Be brief."},{"role":"developer","content":"No lists."},
         {"role":"user","content":"Say \"hi\"\n"}],"temperature":0.2,"top_p":1,"max_tokens":128,"stop":"END","user":"u-1","stream":true}
        """#)
        let upstream = try adapter.chatRequest(request, target: target)
        #expect(
            String(decoding: upstream.body, as: UTF8.self)
                == #"{"model":"claude-sonnet-4-5-20250929","messages":[{"role":"user","content":"Say \"hi\"\n"}],"system":"Be brief.\nNo lists.","max_tokens":128,"temperature":0.2,"top_p":1,"stop_sequences":["END"],"metadata":{"user_id":"u-1"},"stream":true}"#
        )
    }

    @Test("a system message that is not all plain text goes as blocks, an image among them kept")
    func systemBlocks() throws {
        let request = try chat(#"""
        {"model":"m","messages":[{"role":"system","content":[{"type":"text","text":"Look:"},{"type":"image_url","image_url":{"url":"https://x/y.png"}}]},
         {"role":"user","content":"hi"}]}
        """#)
        #expect(
            try body(request)["system"]
                == [["type": "text", "text": "Look:"], ["type": "image", "source": ["type": "url", "url": "https://x/y.png"]]])
    }

    @Test("max_tokens: the request's own value, else the model's output limit, 4096 for unknown models")
    func maxTokens() throws {
        let table: [(String, Int)] = [
            ("claude-opus-4-1-20250805", 32_000), ("claude-opus-4-20250514", 32_000), ("claude-opus-4-5-20251101", 64_000),
            ("claude-sonnet-4-5-20250929", 64_000), ("claude-sonnet-4-20250514", 64_000), ("claude-3-7-sonnet-20250219", 64_000),
            ("claude-haiku-4-5-20251001", 64_000), ("claude-3-5-sonnet-20241022", 8_192), ("claude-3-5-haiku-20241022", 8_192),
            ("claude-3-haiku-20240307", 4_096), ("claude-3-opus-20240229", 4_096), ("my-finetune", 4_096),
        ]
        for (model, limit) in table {
            var here = target
            here.model = model
            #expect(try body(ChatRequest(model: "alias", messages: [.user("hi")]), target: here)["max_tokens"] == .int(limit), "\(model)")
        }
        var own = ChatRequest(model: "m", messages: [.user("hi")])
        own.maxTokens = 77
        #expect(try body(own)["max_tokens"] == 77)
    }

    @Test("reasoning_effort low/medium/high → thinking budgets 1024/2048/4096; thinking passes through; max_tokens stays above the budget")
    func thinkingBudgets() throws {
        for (effort, budget) in [("low", 1024), ("medium", 2048), ("high", 4096)] {
            let json = try body(try chat(#"{"model":"m","reasoning_effort":"\#(effort)","max_tokens":8000,"messages":[{"role":"user","content":"hi"}]}"#))
            #expect(json["thinking"] == ["type": "enabled", "budget_tokens": .int(budget)])
            #expect(json["max_tokens"] == 8000)
        }
        let tight = try body(try chat(#"{"model":"m","reasoning_effort":"medium","max_tokens":1000,"messages":[{"role":"user","content":"hi"}]}"#))
        #expect(tight["max_tokens"] == .int(2048 + 1024), "budget_tokens must be below max_tokens")
        let explicit = try body(try chat(#"{"model":"m","reasoning_effort":"low","thinking":{"type":"enabled","budget_tokens":16000},"messages":[{"role":"user","content":"hi"}]}"#))
        #expect(explicit["thinking"] == ["type": "enabled", "budget_tokens": 16000])
        #expect(explicit["max_tokens"] == 64_000)
        let off = try body(try chat(#"{"model":"m","reasoning_effort":"none","messages":[{"role":"user","content":"hi"}]}"#))
        #expect(off["thinking"].isAbsent)
        #expect(off["reasoning_effort"].isAbsent)
    }

    @Test("an assistant turn sends its thinking blocks first, signatures and redacted blocks intact")
    func thinkingBlocksFirst() throws {
        let request = try chat(#"""
        {"model":"m","messages":[
         {"role":"user","content":"What's the weather in Paris?"},
         {"role":"assistant","content":"Let me check.",
          "thinking_blocks":[{"type":"thinking","thinking":"The user wants Paris weather.","signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3h"},{"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix/LafPsn4a"}],
          "tool_calls":[{"id":"toolu_01","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
         {"role":"tool","tool_call_id":"toolu_01","content":[{"type":"text","text":"18C"}]}
        ]}
        """#)
        let messages = try #require(try body(request)["messages"]?.arrayValue)
        #expect(messages[1]["content"] == [
            ["type": "thinking", "thinking": "The user wants Paris weather.", "signature": "EqQBCgIYAhIM1gbcDa9GJwZA2b3h"],
            ["type": "redacted_thinking", "data": "EmwKAhgBEgy3va3pzix/LafPsn4a"],
            ["type": "text", "text": "Let me check."],
            ["type": "tool_use", "id": "toolu_01", "name": "get_weather", "input": ["city": "Paris"]],
        ])
        #expect(messages[2] == ["role": "user", "content": [["type": "tool_result", "tool_use_id": "toolu_01", "content": "18C"]]])
    }

    @Test("cache_control on a message lands on its (last) block; on a part, on that part; on a tool message, on the tool_result")
    func cacheControl() throws {
        let request = try chat(#"""
        {"model":"m","messages":[
         {"role":"user","content":"A long document.","cache_control":{"type":"ephemeral"}},
         {"role":"assistant","content":"Read.","tool_calls":[{"id":"t1","type":"function","function":{"name":"f","arguments":"{}"}}]},
         {"role":"tool","tool_call_id":"t1","content":"result","cache_control":{"type":"ephemeral","ttl":"1h"}},
         {"role":"user","content":[{"type":"text","text":"one","cache_control":{"type":"ephemeral"}},{"type":"text","text":"two"}],"cache_control":{"type":"ephemeral","ttl":"5m"}}
        ]}
        """#)
        let messages = try #require(try body(request)["messages"]?.arrayValue)
        #expect(messages[0]["content"] == [["type": "text", "text": "A long document.", "cache_control": ["type": "ephemeral"]]])
        #expect(messages[2]["content"] == [
            ["type": "tool_result", "tool_use_id": "t1", "content": "result", "cache_control": ["type": "ephemeral", "ttl": "1h"]],
            ["type": "text", "text": "one", "cache_control": ["type": "ephemeral"]],
            ["type": "text", "text": "two", "cache_control": ["type": "ephemeral", "ttl": "5m"]],
        ])
        // Without cache_control, system stays a plain string.
        let plain = try body(ChatRequest(model: "m", messages: [.system("a"), .developer("b"), .user("q")]))
        #expect(plain["system"] == "a\nb")
    }

    @Test("tool_choice: auto, none, a named tool; parallel_tool_calls false alone gives auto with disable_parallel_tool_use")
    func toolChoice() throws {
        let tools = #"[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{}}}}]"#
        func choice(_ extra: String) throws -> JSONValue? {
            try body(try chat(#"{"model":"m","tools":\#(tools),\#(extra)"messages":[{"role":"user","content":"hi"}]}"#))["tool_choice"]
        }
        #expect(try choice(#""tool_choice":"auto","#) == ["type": "auto"])
        #expect(try choice(#""tool_choice":"none","#) == ["type": "none"])
        #expect(try choice(#""tool_choice":{"type":"function","function":{"name":"get_weather"}},"#) == ["type": "tool", "name": "get_weather"])
        #expect(try choice(#""parallel_tool_calls":false,"#) == ["type": "auto", "disable_parallel_tool_use": true])
        #expect(try choice(#""parallel_tool_calls":true,"#).isAbsent)
        #expect(try choice("").isAbsent)
    }

    @Test("response_format json_schema: a forced json_tool_call tool with the schema as input_schema")
    func responseFormatTool() throws {
        let json = try body(try chat(#"""
        {"model":"m","response_format":{"type":"json_schema","json_schema":{"name":"weather","strict":true,
          "schema":{"type":"object","properties":{"city":{"type":"string"},"temp":{"type":"number"}},"required":["city","temp"]}}},
         "messages":[{"role":"user","content":"Weather in Paris as JSON"}]}
        """#))
        #expect(json["tools"]?.arrayValue?.count == 1)
        #expect(json["tools"]?.arrayValue?.first?["name"] == "json_tool_call")
        #expect(json["tools"]?.arrayValue?.first?["input_schema"] == ["type": "object", "properties": ["city": ["type": "string"], "temp": ["type": "number"]], "required": ["city", "temp"]])
        #expect(json["tool_choice"] == ["type": "tool", "name": "json_tool_call"])
        #expect(json["response_format"].isAbsent)
    }

    @Test("content the Messages API cannot take is refused before sending: a file by id, audio")
    func refusedContent() throws {
        let byID = try chat(#"{"model":"m","messages":[{"role":"user","content":[{"type":"file","file":{"file_id":"file-abc"}}]}]}"#)
        #expect(failure { try adapter.chatRequest(byID, target: target) }?.kind == .badRequest)
        let audio = try chat(#"{"model":"m","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AAAA","format":"wav"}}]}]}"#)
        #expect(failure { try adapter.chatRequest(audio, target: target) }?.kind == .badRequest)
    }

    // MARK: - Response translation

    @Test("the documented text answer: id, model, content, end_turn → stop, usage, OpenAI's shape when encoded")
    func documentedTextAnswer() throws {
        let response = try answer(#"""
        {"id":"msg_013Zva2CMHLNnXjNJJKqJ2EF","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
         "content":[{"type":"text","text":"Hi! My name is Claude."}],"stop_reason":"end_turn","stop_sequence":null,
         "usage":{"input_tokens":2095,"output_tokens":503}}
        """#)
        #expect(response.id == "msg_013Zva2CMHLNnXjNJJKqJ2EF")
        #expect(response.model == "claude-sonnet-4-5-20250929")
        #expect(response.choices.count == 1)
        #expect(response.choices[0].message.role == .assistant)
        #expect(response.choices[0].message.content == .text("Hi! My name is Claude."))
        #expect(response.choices[0].message.toolCalls == nil)
        #expect(response.choices[0].finishReason == "stop")
        #expect(response.usage == Usage(promptTokens: 2095, completionTokens: 503))
        let encoded = try json(JSONCoding.encode(response))
        #expect(encoded["object"] == "chat.completion")
        #expect(encoded["choices"]?.arrayValue?.first?["message"]?["content"] == "Hi! My name is Claude.")
        #expect(encoded["usage"]?["total_tokens"] == 2598)
    }

    @Test("parallel tool_use blocks become tool calls with their ids and JSON-string arguments; no text → null content")
    func parallelToolUseAnswer() throws {
        let response = try answer(#"""
        {"id":"msg_01Aq9w938a90dw8q","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
         "content":[
          {"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"get_weather","input":{"location":"San Francisco, CA","unit":"celsius"}},
          {"type":"tool_use","id":"toolu_01B09q90qw90lq917835lq9","name":"get_time","input":{}}],
         "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":472,"output_tokens":91}}
        """#)
        let message = response.choices[0].message
        let calls = try #require(message.toolCalls)
        #expect(calls.map(\.id) == ["toolu_01A09q90qw90lq917835lq9", "toolu_01B09q90qw90lq917835lq9"])
        #expect(calls.map { $0.function?.name } == ["get_weather", "get_time"])
        #expect(try json(calls[0].function?.arguments ?? "") == ["location": "San Francisco, CA", "unit": "celsius"])
        #expect(calls[1].function?.arguments == "{}")
        #expect(message.content == nil)
        #expect(response.choices[0].finishReason == "tool_calls")
        let encoded = try json(JSONCoding.encode(response))
        #expect(encoded["choices"]?.arrayValue?.first?["message"]?["tool_calls"]?.arrayValue?.first?["type"] == "function")
    }

    @Test("thinking → reasoning_content plus thinking_blocks (signature and redacted blocks kept), as LiteLLM answers")
    func thinkingAnswer() throws {
        let response = try answer(#"""
        {"id":"msg_th","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
         "content":[
          {"type":"thinking","thinking":"To approach this, 27 * 453 = 12231.","signature":"WaUjzkypQ2mUEVM36O2TxuC06KN8xyfbJwyem2dw3URve/op91XWHOEBLLqIOMfFG/UvLEczmEsUjavL"},
          {"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP"},
          {"type":"text","text":"27 * 453 = 12,231"}],
         "stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":50,"output_tokens":300}}
        """#)
        let message = response.choices[0].message
        #expect(message.content == .text("27 * 453 = 12,231"))
        #expect(message.reasoningContent == "To approach this, 27 * 453 = 12231.")
        #expect(message.extra["thinking_blocks"] == [
            ["type": "thinking", "thinking": "To approach this, 27 * 453 = 12231.", "signature": "WaUjzkypQ2mUEVM36O2TxuC06KN8xyfbJwyem2dw3URve/op91XWHOEBLLqIOMfFG/UvLEczmEsUjavL"],
            ["type": "redacted_thinking", "data": "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP"],
        ])
        let encoded = try json(JSONCoding.encode(response))
        #expect(encoded["choices"]?.arrayValue?.first?["message"]?["reasoning_content"] == "To approach this, 27 * 453 = 12231.")
    }

    @Test("every stop_reason maps to OpenAI's finish_reason")
    func stopReasons() throws {
        for (stop, finish) in [
            ("end_turn", "stop"), ("stop_sequence", "stop"), ("pause_turn", "stop"), ("max_tokens", "length"),
            ("model_context_window_exceeded", "length"), ("tool_use", "tool_calls"), ("refusal", "content_filter"),
        ] {
            let content = stop == "tool_use" ? #"[{"type":"tool_use","id":"t","name":"f","input":{}}]"# : #"[{"type":"text","text":"x"}]"#
            let response = try answer(#"{"id":"m","type":"message","role":"assistant","model":"c","content":\#(content),"stop_reason":"\#(stop)","stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}"#)
            #expect(response.choices[0].finishReason == finish, "\(stop)")
        }
    }

    @Test("usage with prompt caching: cache reads and writes are part of prompt_tokens; reads are cached_tokens")
    func cacheUsage() throws {
        let response = try answer(#"""
        {"id":"m","type":"message","role":"assistant","model":"c","content":[{"type":"text","text":"ok"}],"stop_reason":"end_turn","stop_sequence":null,
         "usage":{"input_tokens":21,"cache_creation_input_tokens":188086,"cache_read_input_tokens":0,"output_tokens":393,
          "cache_creation":{"ephemeral_5m_input_tokens":188086,"ephemeral_1h_input_tokens":0},"service_tier":"standard"}}
        """#)
        let usage = try #require(response.usage)
        #expect(usage.promptTokens == 21 + 188_086)
        #expect(usage.completionTokens == 393)
        #expect(usage.totalTokens == 21 + 188_086 + 393)
        #expect(usage.promptTokensDetails?.cachedTokens == 0)
        #expect(usage.promptTokensDetails?.cacheCreationTokens == 188_086)
        let read = try answer(#"{"id":"m","type":"message","role":"assistant","model":"c","content":[],"stop_reason":"end_turn","usage":{"input_tokens":3,"cache_read_input_tokens":2048,"output_tokens":5}}"#)
        #expect(read.usage?.promptTokens == 2051)
        let encoded = try json(JSONCoding.encode(try #require(read.usage)))
        #expect(encoded["prompt_tokens_details"]?["cached_tokens"] == 2048)
    }

    @Test("a 2xx body that is not a message is a connection failure, not an empty answer")
    func notAMessage() throws {
        #expect(failure { try answer(#"{"type":"error","error":{"type":"api_error","message":"Internal server error"}}"#) }?.kind == .connection)
        #expect(failure { try answer("<html>502 Bad Gateway</html>") }?.kind == .connection)
    }

    // MARK: - Streaming

    /// The documented basic stream (the Messages streaming guide's example).
    static let textStream = """
        event: message_start
        data: {"type": "message_start", "message": {"id": "msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY", "type": "message", "role": "assistant", "content": [], "model": "claude-sonnet-4-5-20250929", "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": 25, "output_tokens": 1}}}

        event: content_block_start
        data: {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}

        event: ping
        data: {"type": "ping"}

        event: content_block_delta
        data: {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hello"}}

        event: content_block_delta
        data: {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "!"}}

        event: content_block_stop
        data: {"type": "content_block_stop", "index": 0}

        event: message_delta
        data: {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence":null}, "usage": {"output_tokens": 15}}

        event: message_stop
        data: {"type": "message_stop"}


        """

    /// Text, then two tool_use blocks whose input arrives as partial JSON (the tool-use streaming
    /// example's shape); the cumulative message_delta usage of current API versions.
    static let toolStream = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_014p7gG3wDgGV9EUtLvnow3U","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","stop_sequence":null,"usage":{"input_tokens":472,"cache_creation_input_tokens":0,"cache_read_input_tokens":128,"output_tokens":2},"content":[],"stop_reason":null}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

        event: ping
        data: {"type": "ping"}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Okay, let's check the weather for San Francisco, CA:"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: content_block_start
        data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","name":"get_weather","input":{}}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"location\\":"}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":" \\"San Fra"}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"ncisco, CA\\", \\"unit\\": \\"fah"}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"renheit\\"}"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":1}

        event: content_block_start
        data: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_02","name":"get_time","input":{}}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\\"tz\\": \\"PST\\"}"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":2}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"input_tokens":472,"cache_creation_input_tokens":0,"cache_read_input_tokens":128,"output_tokens":89}}

        event: message_stop
        data: {"type":"message_stop"}


        """

    /// Extended thinking streamed: thinking deltas, the signature, then the answer.
    static let thinkingStream = """
        event: message_start
        data: {"type": "message_start", "message": {"id": "msg_01thinking", "type": "message", "role": "assistant", "content": [], "model": "claude-sonnet-4-5-20250929", "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": 40, "output_tokens": 1}}}

        event: content_block_start
        data: {"type": "content_block_start", "index": 0, "content_block": {"type": "thinking", "thinking": "", "signature": ""}}

        event: content_block_delta
        data: {"type": "content_block_delta", "index": 0, "delta": {"type": "thinking_delta", "thinking": "Let me solve this step by step:\\n\\n1. First break down 27 * 453"}}

        event: content_block_delta
        data: {"type": "content_block_delta", "index": 0, "delta": {"type": "thinking_delta", "thinking": "\\n2. 453 = 400 + 50 + 3"}}

        event: content_block_delta
        data: {"type": "content_block_delta", "index": 0, "delta": {"type": "signature_delta", "signature": "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"}}

        event: content_block_stop
        data: {"type": "content_block_stop", "index": 0}

        event: content_block_start
        data: {"type": "content_block_start", "index": 1, "content_block": {"type": "text", "text": ""}}

        event: content_block_delta
        data: {"type": "content_block_delta", "index": 1, "delta": {"type": "text_delta", "text": "27 * 453 = 12,231"}}

        event: content_block_stop
        data: {"type": "content_block_stop", "index": 1}

        event: message_delta
        data: {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": null}, "usage": {"output_tokens": 120}}

        event: message_stop
        data: {"type": "message_stop"}


        """

    /// Feeds `pieces` to a fresh decoder, then ends the stream.
    func decode(_ pieces: [[UInt8]]) throws(UpstreamFailure) -> (chunks: [ChatChunk], complete: Bool) {
        var decoder = adapter.chatStreamDecoder(target: target)
        var chunks: [ChatChunk] = []
        for piece in pieces { chunks += try decoder.decode(piece) }
        let complete = decoder.isComplete
        chunks += try decoder.finish()
        return (chunks, complete)
    }

    /// The stream cut every way that matters: whole, one byte at a time (every cut point is a
    /// piece boundary there), and in random pieces. Every way must give the same chunks as the whole.
    func everySplit(_ text: String, seeds: Range<UInt64> = 0..<8) throws -> [ChatChunk] {
        let all = bytes(text)
        let (whole, complete) = try decode([all])
        #expect(complete)
        #expect(try decode(all.map { [$0] }).chunks == whole, "one byte at a time")
        for seed in seeds {
            #expect(try decode(randomSplits(all, maxPiece: 29, seed: seed)).chunks == whole, "seed \(seed)")
        }
        return whole
    }

    @Test("the documented text stream, split anywhere: one id, the role first, the text, stop, then usage")
    func textStream() throws {
        let chunks = try everySplit(Self.textStream)
        #expect(Set(chunks.map(\.id)) == ["msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY"])
        #expect(Set(chunks.map(\.model)) == ["claude-sonnet-4-5-20250929"])
        #expect(chunks.first?.choices.first?.delta.role == .assistant)
        #expect(chunks.compactMap { $0.choices.first?.delta.content }.joined() == "Hello!")
        #expect(chunks.compactMap { $0.choices.first?.finishReason } == ["stop"])
        #expect(chunks.filter { $0.usage != nil }.count == 1)
        let last = try #require(chunks.last)
        #expect(last.choices.isEmpty, "the usage chunk has no choices, as OpenAI sends it")
        #expect(last.usage == Usage(promptTokens: 25, completionTokens: 15))
        let finishAt = try #require(chunks.firstIndex { $0.choices.first?.finishReason != nil })
        #expect(finishAt == chunks.count - 2, "finish_reason comes just before the usage chunk")
        #expect(!chunks.contains { $0.choices.first?.delta.toolCalls != nil })
    }

    @Test("text then two streamed tool calls: indexes among the tool calls, id and name first, arguments reassembled")
    func toolStream() throws {
        let chunks = try everySplit(Self.toolStream)
        #expect(Set(chunks.map(\.id)) == ["msg_014p7gG3wDgGV9EUtLvnow3U"])
        #expect(chunks.compactMap { $0.choices.first?.delta.content }.joined() == "Okay, let's check the weather for San Francisco, CA:")
        let calls = chunks.compactMap { $0.choices.first?.delta.toolCalls }.flatMap { $0 }
        #expect(calls.allSatisfy { $0.index != nil })
        let byIndex = Dictionary(grouping: calls) { $0.index ?? -1 }
        #expect(Set(byIndex.keys) == [0, 1], "block indexes 1 and 2 are tool calls 0 and 1")
        let first = try #require(byIndex[0])
        #expect(first.first?.id == "toolu_01T1x1fJ34qAmk2tNTrN7Up6" && first.first?.function?.name == "get_weather" && first.first?.type == "function")
        #expect(first.dropFirst().allSatisfy { $0.id == nil && $0.function?.name == nil }, "id and name only once")
        let arguments = first.compactMap { $0.function?.arguments }.joined()
        #expect(arguments == #"{"location": "San Francisco, CA", "unit": "fahrenheit"}"#)
        #expect(try json(arguments) == ["location": "San Francisco, CA", "unit": "fahrenheit"])
        let second = try #require(byIndex[1])
        #expect(second.first?.id == "toolu_02" && second.first?.function?.name == "get_time")
        #expect(second.compactMap { $0.function?.arguments }.joined() == #"{"tz": "PST"}"#)
        #expect(chunks.compactMap { $0.choices.first?.finishReason } == ["tool_calls"])
        // message_delta's usage is cumulative: the input is not counted twice.
        #expect(chunks.last?.usage == Usage(
            promptTokens: 600, completionTokens: 89, promptTokensDetails: .init(cachedTokens: 128, cacheCreationTokens: 0),
            extra: ["cache_creation_input_tokens": 0, "cache_read_input_tokens": 128]))
    }

    @Test("thinking streamed: reasoning_content deltas, the signature as a thinking block, then the text")
    func thinkingStream() throws {
        let chunks = try everySplit(Self.thinkingStream)
        #expect(chunks.compactMap { $0.choices.first?.delta.reasoningContent }.joined() == "Let me solve this step by step:\n\n1. First break down 27 * 453\n2. 453 = 400 + 50 + 3")
        let signatures = chunks.compactMap { $0.choices.first?.delta.extra["thinking_blocks"]?.arrayValue?.first?["signature"]?.stringValue }
        #expect(signatures == ["EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"])
        let signatureAt = try #require(chunks.firstIndex { $0.choices.first?.delta.extra["thinking_blocks"] != nil })
        let textAt = try #require(chunks.firstIndex { $0.choices.first?.delta.content?.isEmpty == false })
        #expect(signatureAt < textAt)
        #expect(chunks.compactMap { $0.choices.first?.delta.content }.joined() == "27 * 453 = 12,231")
        #expect(chunks.last?.usage == Usage(promptTokens: 40, completionTokens: 120))
    }

    @Test("a stream written compactly, as Anthropic sends it (read by byte matching), gives the chunks the spaced one does")
    func compactStream() throws {
        func stream(_ spaced: Bool) -> String {
            let s = spaced ? " " : ""
            return [
                ("message_start", #"{"type":\#(s)"message_start","message":{"id":"msg_c","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"usage":{"input_tokens":7,"output_tokens":1}}}"#),
                ("content_block_start", #"{"type":\#(s)"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#),
                ("content_block_delta", #"{"type":\#(s)"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi \"there\""}}"#),
                ("content_block_delta", #"{"type":\#(s)"content_block_delta","index":0,"delta":{"type":"text_delta","text":"!"}}"#),
                ("content_block_stop", #"{"type":\#(s)"content_block_stop","index":0}"#),
                ("message_delta", #"{"type":\#(s)"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":3}}"#),
                ("message_stop", #"{"type":\#(s)"message_stop"}"#),
            ].map { "event: \($0.0)\ndata: \($0.1)\n\n" }.joined()
        }
        let compact = try everySplit(stream(false), seeds: 0..<3)
        #expect(compact == (try everySplit(stream(true), seeds: 0..<3)))
        #expect(compact.compactMap { $0.choices.first?.delta.content }.joined() == #"Hi "there"!"#)
        #expect(compact.last?.usage == Usage(promptTokens: 7, completionTokens: 3))
        #expect(AnthropicStreamDecoder.isCompactTextBlockStart(bytes(#"{"type":"content_block_start","index":12,"content_block":{"type":"text","text":""}}"#)[...]))
        #expect(!AnthropicStreamDecoder.isCompactTextBlockStart(
            bytes(#"{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"t","name":"f","input":{}}}"#)[...]))
        #expect(!AnthropicStreamDecoder.isCompactTextBlockStart(bytes(#"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":"x"}}"#)[...]))
    }

    /// Feeds `pieces` to a fresh decoder writing OpenAI events, then ends the stream: the events,
    /// and whether any frame had content, ended the answer, carried usage.
    func frames(_ pieces: [[UInt8]], created: Int = 0) throws(UpstreamFailure) -> (events: [JSONValue], content: Bool, final: Bool, usage: Usage?, raw: [UInt8]) {
        var decoder = adapter.chatStreamDecoder(target: target)
        var raw: [UInt8] = []
        var (content, final, usage) = (false, false, Usage?.none)
        func take(_ writer: ChunkFrameWriter) {
            guard let frame = writer.frame else { return }
            raw += frame.bytes
            content = content || frame.hasContent
            final = final || frame.isFinal
            usage = frame.usage ?? usage
        }
        for piece in pieces {
            var writer = ChunkFrameWriter(created: created)
            try decoder.decode(piece, into: &writer)
            take(writer)
        }
        var writer = ChunkFrameWriter(created: created)
        try decoder.finish(into: &writer)
        take(writer)
        var parser = ServerSentEventParser()
        let events = ((try? parser.parseRaw(raw)) ?? []).map { (try? JSONCoding.decode(JSONValue.self, from: Array($0.data))) ?? .null }
        return (events, content, final, usage, raw)
    }

    @Test("events written straight from the stream's bytes are the chunks the decoder gives, split anywhere; plain text deltas are copied as Anthropic escaped them")
    func writtenEvents() throws {
        func delta(_ literal: String) -> String {
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\(literal)}}\n\n"
        }
        let start = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_w\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"usage\":{\"input_tokens\":9,\"output_tokens\":1}}}\n\nevent: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
        let end = "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\nevent: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":6}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"
        let texts = [#""plain ""#, #""line\nbreak \"quoted\" back\\slash \/ tab\t""#, #""ünïcödé 🚀""#, #""caf\u00e9""#, #""lone \ud800 surrogate""#, #""""#]
        // The last delta's text holds two bytes that are not UTF-8.
        let badDelta = bytes(String(delta(#""bad "#).dropLast(4))) + [0xFF, 0xFE] + bytes("\"}}\n\n")
        let mixed = bytes(start + texts.map(delta).joined()) + badDelta + bytes(end)
        for stream in [bytes(Self.textStream), bytes(Self.toolStream), bytes(Self.thinkingStream), mixed] {
            let chunks = try decode([stream]).chunks
            #expect(chunks.count > 3)
            let expected = try chunks.map { try JSONCoding.decode(JSONValue.self, from: try JSONCoding.encode($0)) }
            for pieces in [[stream], stream.map { [$0] }, randomSplits(stream, maxPiece: 23, seed: 5)] {
                let written = try frames(pieces)
                #expect(written.events == expected)
                #expect(written.content && written.final)
                #expect(written.usage == chunks.last?.usage)
            }
        }
        // The writer's time goes on every event: copied, written directly or encoded (tool calls).
        let stamped = try frames([mixed], created: 1_700_000_042).events
        #expect(stamped.count > 8 && stamped.allSatisfy { $0["created"] == 1_700_000_042 })
        for stream in [bytes(Self.toolStream), bytes(Self.thinkingStream)] {
            let events = try frames([stream], created: 1_700_000_043).events
            #expect(events.count > 3 && events.allSatisfy { $0["created"] == 1_700_000_043 })
        }
        let raw = String(decoding: try frames([mixed]).raw, as: UTF8.self)
        // Copied: the escapes as Anthropic wrote them (re-encoding would write "/" and "ü" differently
        // only if it had to; `\/` is the tell). Not copied: \u escapes and bytes that are not UTF-8.
        #expect(raw.contains(#""content":"line\nbreak \"quoted\" back\\slash \/ tab\t"}"#))
        #expect(raw.contains(#""content":"ünïcödé 🚀"}"#))
        #expect(raw.contains(#""content":"café"}"#))
        #expect(raw.contains(#""content":"lone \#u{FFFD} surrogate"}"#))
        #expect(raw.contains(#""content":"bad \#u{FFFD}\#u{FFFD}"}"#))
    }

    @Test("CRLF line endings and SSE comments read the same as LF")
    func crlf() throws {
        let lf = try decode([bytes(Self.textStream)]).chunks
        let crlf = ": keep-alive\r\n\r\n" + Self.textStream.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(try everySplit(crlf, seeds: 0..<5) == lf)
    }

    @Test("an error event mid-stream throws the failure its type stands for")
    func streamErrorEvents() throws {
        let start = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_e\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"c\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}\n\nevent: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\nevent: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n"
        let cases: [(type: String, message: String, kind: UpstreamFailure.Kind, status: Int, transient: Bool)] = [
            ("overloaded_error", "Overloaded", .server, 529, true),
            ("api_error", "Internal server error", .server, 500, true),
            ("rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit", .rateLimited, 429, true),
            ("invalid_request_error", "prompt is too long: 201564 tokens > 200000 maximum", .contextWindowExceeded, 400, false),
            ("invalid_request_error", "max_tokens: 100000 > 64000, which is the maximum allowed", .badRequest, 400, false),
            ("authentication_error", "invalid x-api-key", .authentication, 401, false),
            ("permission_error", "Your API key does not have permission to use the specified resource.", .permissionDenied, 403, false),
            ("not_found_error", "model: claude-nope", .notFound, 404, false),
        ]
        for item in cases {
            let event = "event: error\ndata: {\"type\": \"error\", \"error\": {\"type\": \"\(item.type)\", \"message\": \"\(item.message)\"}}\n\n"
            for pieces in [[bytes(event)], randomSplits(bytes(event), maxPiece: 11, seed: 3)] {
                var decoder = adapter.chatStreamDecoder(target: target)
                // The text read before the error is delivered; the error then ends the stream.
                let text = try decoder.decode(bytes(start)).compactMap { $0.choices.first?.delta.content }.joined()
                #expect(text == "Hi")
                do {
                    for piece in pieces { _ = try decoder.decode(piece) }
                    Issue.record("\(item.type): expected a failure")
                } catch {
                    #expect(error.kind == item.kind, "\(item.type)")
                    #expect(error.status == item.status, "\(item.type)")
                    #expect(error.isTransient == item.transient, "\(item.type)")
                    #expect(error.message == item.message)
                    #expect(error.provider == "anthropic")
                }
            }
        }
    }

    @Test("the end of the stream: without message_stop it is a connection failure; after it, nothing more is read")
    func streamEnd() throws {
        var empty = adapter.chatStreamDecoder(target: target)
        #expect(failure { try empty.finish() }?.kind == .connection)

        let cut = bytes(Self.toolStream.components(separatedBy: "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}")[0])
        var truncated = adapter.chatStreamDecoder(target: target)
        _ = try truncated.decode(cut)
        #expect(!truncated.isComplete)
        let broken = failure { try truncated.finish() }
        #expect(broken?.kind == .connection)
        #expect(broken?.isTransient == true)

        var done = adapter.chatStreamDecoder(target: target)
        _ = try done.decode(bytes(Self.textStream))
        #expect(done.isComplete)
        #expect(try done.decode(bytes("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"late\"}}\n\nevent: error\ndata: not json\n\n")).isEmpty)
        #expect(try done.finish().isEmpty)
    }

    @Test("an unreadable event is a connection failure")
    func unreadableEvent() {
        var decoder = adapter.chatStreamDecoder(target: target)
        #expect(failure { try decoder.decode(bytes("event: message_start\ndata: {\"type\":\"message_start\",\n\n")) }?.kind == .connection)
    }

    // MARK: - HTTP errors

    @Test("HTTP errors in Anthropic's documented shape: each error type's category, status, retryability and LiteLLM class")
    func httpErrors() {
        func classify(_ status: Int, _ type: String, _ message: String, headers: HeaderFields = [:]) -> UpstreamFailure {
            let body = #"{"type":"error","error":{"type":"\#(type)","message":"\#(message)"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}"#
            return adapter.failure(UpstreamAnswer(status: status, headers: headers, body: bytes(body)), target: target)
        }
        let cases: [(Int, String, String, UpstreamFailure.Kind, Int, Bool, String)] = [
            (400, "invalid_request_error", "messages: text content blocks must be non-empty", .badRequest, 400, false, "BadRequestError"),
            (400, "invalid_request_error", "prompt is too long: 210000 tokens > 200000 maximum", .contextWindowExceeded, 400, false, "ContextWindowExceededError"),
            (401, "authentication_error", "invalid x-api-key", .authentication, 401, false, "AuthenticationError"),
            (403, "permission_error", "Your API key does not have permission to use the specified resource.", .permissionDenied, 403, false, "PermissionDeniedError"),
            (404, "not_found_error", "model: claude-3-nope", .notFound, 404, false, "NotFoundError"),
            (413, "request_too_large", "Request exceeds the maximum allowed number of bytes.", .badRequest, 413, false, "BadRequestError"),
            (429, "rate_limit_error", "This request would exceed your organization's rate limit.", .rateLimited, 429, true, "RateLimitError"),
            (500, "api_error", "Internal server error", .server, 500, true, "InternalServerError"),
            (529, "overloaded_error", "Overloaded", .server, 529, true, "InternalServerError"),
        ]
        for (status, type, message, kind, httpStatus, transient, className) in cases {
            let failure = classify(status, type, message)
            #expect(failure.kind == kind, "\(type) \(message)")
            #expect(failure.status == status)
            #expect(failure.httpStatus == httpStatus, "\(type)")
            #expect(failure.isTransient == transient, "\(type)")
            #expect(failure.exceptionClassNames.first == className, "\(type)")
            #expect(failure.message == message)
            #expect(failure.provider == "anthropic")
        }
        // An overload reported under another 5xx status is still a server failure.
        #expect(classify(503, "overloaded_error", "Overloaded").kind == .server)
        // Retry-After, in seconds or milliseconds.
        #expect(classify(429, "rate_limit_error", "slow down", headers: ["retry-after": "17"]).retryAfter == 17)
        #expect(classify(429, "rate_limit_error", "slow down", headers: ["retry-after-ms": "1500"]).retryAfter == 1.5)
        #expect(classify(529, "overloaded_error", "Overloaded", headers: ["retry-after": "3"]).retryAfter == 3)
        // Cloudflare answers a too-large request before the API does, and not in JSON.
        let html = adapter.failure(UpstreamAnswer(status: 413, body: bytes("<html><body>413 Request Entity Too Large</body></html>")), target: target)
        #expect(html.kind == .badRequest && html.status == 413)
    }
}
