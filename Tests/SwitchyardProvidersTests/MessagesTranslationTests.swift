import Foundation
import SwitchyardCore
import SwitchyardProviders
import Testing

/// The translation between Anthropic's Messages shape and the canonical chat types.
@Suite("Anthropic Messages translation")
struct MessagesTranslationTests {
    @Test("system, tool_use and tool_result turns, images, tool_choice, thinking and stop sequences map to the canonical request")
    func request() throws {
        let body = #"""
        {"model":"claude-sonnet-4-5","max_tokens":1024,"system":"Be brief.","temperature":0.2,"top_k":5,
         "stop_sequences":["END"],"metadata":{"user_id":"u-1"},
         "thinking":{"type":"enabled","budget_tokens":2048},
         "tool_choice":{"type":"tool","name":"get_weather","disable_parallel_tool_use":true},
         "tools":[{"name":"get_weather","description":"Weather","input_schema":{"type":"object"}}],
         "messages":[
          {"role":"user","content":[{"type":"text","text":"Look:"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0"}}]},
          {"role":"assistant","content":[{"type":"thinking","thinking":"hm","signature":"sig"},{"type":"text","text":"Checking."},{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}]},
          {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"18C"}]},{"type":"text","text":"And tomorrow?"}]}
         ]}
        """#
        let request = try MessagesRequest.chatRequest(Array(body.utf8))
        #expect(request.model == "claude-sonnet-4-5")
        #expect(request.maxTokens == 1024)
        #expect(request.temperature == 0.2)
        #expect(request.extra["top_k"] == .int(5))
        #expect(request.stop == .many(["END"]))
        #expect(request.user == "u-1")
        #expect(request.reasoningEffort == "medium")
        #expect(request.toolChoice == .function(name: "get_weather"))
        #expect(request.parallelToolCalls == false)
        #expect(request.tools?.first?.function?.name == "get_weather")
        #expect(request.tools?.first?.function?.parameters == ["type": "object"])
        let roles = request.messages.map(\.role.rawValue)
        #expect(roles == ["system", "user", "assistant", "tool", "user"])
        #expect(request.messages[0].content == .text("Be brief."))
        guard case .parts(let parts)? = request.messages[1].content else {
            Issue.record("expected parts")
            return
        }
        #expect(parts[1].imageURL?.url == "data:image/png;base64,iVBORw0")
        let assistant = request.messages[2]
        #expect(assistant.content == .text("Checking."))
        #expect(assistant.reasoningContent == "hm")
        #expect(assistant.toolCalls?.first?.id == "toolu_1")
        #expect(assistant.toolCalls?.first?.function?.arguments == #"{"city":"Paris"}"#)
        #expect(request.messages[3].toolCallID == "toolu_1")
        #expect(request.messages[3].content == .text("18C"))
        #expect(request.messages[4].content == .text("And tomorrow?"))
    }

    @Test("finish reasons become stop reasons; cached prompt tokens are counted apart")
    func response() throws {
        #expect(MessagesResponse.stopReason("stop") == "end_turn")
        #expect(MessagesResponse.stopReason("length") == "max_tokens")
        #expect(MessagesResponse.stopReason("tool_calls") == "tool_use")
        #expect(MessagesResponse.stopReason("content_filter") == "refusal")
        let usage = MessagesResponse.usage(Usage(promptTokens: 100, completionTokens: 7, promptTokensDetails: .init(cachedTokens: 60)))
        #expect(usage["input_tokens"] == 40)
        #expect(usage["cache_read_input_tokens"] == 60)
        #expect(usage["output_tokens"] == 7)
    }

    @Test("streamed tool calls become one tool_use block per call with input_json_delta fragments")
    func streamedTools() throws {
        var encoder = MessagesStreamEncoder()
        func chunk(_ delta: ChatChunk.Delta, finish: String? = nil) -> ChatChunk {
            ChatChunk(id: "c1", created: 0, model: "m", choices: [.init(index: 0, delta: delta, finishReason: finish)])
        }
        var out: [UInt8] = []
        out += encoder.encode(chunk(.init(content: "Let me check.")))
        out += encoder.encode(chunk(.init(toolCalls: [ToolCall(index: 0, id: "call_a", type: "function", function: .init(name: "a", arguments: "{\"x\":"))])))
        out += encoder.encode(chunk(.init(toolCalls: [ToolCall(index: 0, id: nil, type: nil, function: .init(name: nil, arguments: "1}"))])))
        out += encoder.encode(chunk(.init(toolCalls: [ToolCall(index: 1, id: "call_b", type: "function", function: .init(name: "b", arguments: "{}"))])))
        out += encoder.encode(chunk(.init(), finish: "tool_calls"))
        out += encoder.finish()
        let events = String(decoding: out, as: UTF8.self).components(separatedBy: "\n\n").filter { !$0.isEmpty }
        let data = try events.map { event -> JSONValue in
            let line = try #require(event.split(separator: "\n").first { $0.hasPrefix("data: ") })
            return try JSONCoding.decode(JSONValue.self, from: Array(line.dropFirst(6).utf8))
        }
        let types = data.compactMap { $0["type"]?.stringValue }
        #expect(types == [
            "message_start", "content_block_start", "content_block_delta", "content_block_stop",
            "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
            "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop",
        ])
        #expect(data[4]["content_block"]?["type"] == "tool_use")
        #expect(data[4]["content_block"]?["id"] == "call_a")
        #expect(data[4]["index"] == 1)
        #expect(data[5]["delta"]?["partial_json"] == "{\"x\":")
        #expect(data[8]["content_block"]?["name"] == "b")
        #expect(data[11]["delta"]?["stop_reason"] == "tool_use")
    }
}
