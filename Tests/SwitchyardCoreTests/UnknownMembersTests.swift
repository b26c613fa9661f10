import Foundation
import SwitchyardCore
import Testing

/// Members the gateway does not model pass through to the provider unchanged, at every level.
@Suite("Unknown members")
struct UnknownMembersTests {
    static let requestJSON = #"""
        {
          "model": "claude-sonnet",
          "messages": [
            {
              "role": "user",
              "content": [
                {"type": "text", "text": "Summarise this.", "cache_control": {"type": "ephemeral", "ttl": "1h"}},
                {"type": "video_url", "video_url": {"url": "https://example.com/v.mp4"}}
              ],
              "x_trace_id": "trace-7",
              "thinking_blocks": [{"type": "thinking", "thinking": "…"}]
            }
          ],
          "top_k": 40,
          "repetition_penalty": 1.05,
          "thinking": {"type": "enabled", "budget_tokens": 1024},
          "extra_body": {"guided_json": {"type": "object"}}
        }
        """#

    @Test func requestKeepsUnknownMembersAtEveryLevel() throws {
        let request = try JSON.decode(ChatRequest.self, Self.requestJSON)
        #expect(request.extra["top_k"] == 40)
        #expect(request.extra["repetition_penalty"] == 1.05)
        #expect(request.extra["thinking"]?["budget_tokens"] == 1024)
        #expect(request.messages[0].extra["x_trace_id"] == "trace-7")
        guard case .parts(let parts)? = request.messages[0].content else {
            Issue.record("content should be parts")
            return
        }
        #expect(parts[0].text == "Summarise this.")
        #expect(parts[0].extra == ["cache_control": ["type": "ephemeral", "ttl": "1h"]])
        // An unknown part type is kept whole.
        #expect(parts[1].type == "video_url")
        #expect(parts[1].extra["video_url"]?["url"] == "https://example.com/v.mp4")

        let encoded = try JSON.value(of: request)
        #expect(encoded["top_k"] == 40)
        #expect(encoded["thinking"] == ["type": "enabled", "budget_tokens": 1024])
        #expect(encoded["extra_body"]?["guided_json"] == ["type": "object"])
        let message = try #require(encoded["messages"]?.arrayValue?.first)
        #expect(message["x_trace_id"] == "trace-7")
        #expect(message["thinking_blocks"]?.arrayValue?.count == 1)
        let part = try #require(message["content"]?.arrayValue?.first)
        #expect(part["cache_control"] == ["type": "ephemeral", "ttl": "1h"])
        #expect(message["content"]?.arrayValue?[1]["video_url"]?["url"] == "https://example.com/v.mp4")

        let (_, differences) = try roundTrip(ChatRequest.self, Data(Self.requestJSON.utf8))
        #expect(differences.isEmpty, "\(differences)")
    }

    @Test func unknownMembersInNestedRequestObjects() throws {
        let json = #"""
            {"model":"m","messages":[{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"},"x_index_hint":3}]}],
             "tools":[{"type":"function","function":{"name":"f","x_meta":{"a":1}},"cache_control":{"type":"ephemeral"}}],
             "response_format":{"type":"json_schema","json_schema":{"name":"s","x_flag":true},"x_rf":1},
             "stream_options":{"include_usage":true,"include_obfuscation":false}}
            """#
        let request = try JSON.decode(ChatRequest.self, json)
        #expect(request.messages[0].toolCalls?[0].extra["x_index_hint"] == 3)
        #expect(request.tools?[0].extra["cache_control"] == ["type": "ephemeral"])
        #expect(request.tools?[0].function?.extra["x_meta"] == ["a": 1])
        #expect(request.responseFormat?.extra["x_rf"] == 1)
        #expect(request.responseFormat?.jsonSchema?.extra["x_flag"] == true)
        let (_, differences) = try roundTrip(ChatRequest.self, Data(json.utf8))
        #expect(differences.isEmpty, "\(differences)")
    }

    @Test func unknownMembersInsideFunctionCallsAndAudioParts() throws {
        let json = #"""
            {"model":"m","messages":[
              {"role":"user","content":[{"type":"input_audio","input_audio":{"data":"UklGRg==","format":"wav","sample_rate":16000}}]},
              {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}","thought_signature":"sig-1"}}],
               "function_call":{"name":"g","arguments":"{}","x_g":true}}]}
            """#
        let request = try JSON.decode(ChatRequest.self, json)
        guard case .parts(let parts)? = request.messages[0].content else {
            Issue.record("content should be parts")
            return
        }
        #expect(parts[0].inputAudio?.format == "wav")
        #expect(parts[0].inputAudio?.extra["sample_rate"] == 16000)
        #expect(request.messages[1].toolCalls?[0].function?.extra["thought_signature"] == "sig-1")
        #expect(request.messages[1].functionCall?.extra["x_g"] == true)
        let (_, differences) = try roundTrip(ChatRequest.self, Data(json.utf8))
        #expect(differences.isEmpty, "\(differences)")
    }

    @Test func responseAndChunkKeepUnknownMembers() throws {
        let response = #"""
            {"id":"r","object":"chat.completion","created":1,"model":"m","provider_specific":{"x":1},
             "choices":[{"index":0,"message":{"role":"assistant","content":"hi","reasoning_content":"because","x_citations":["a"]},"finish_reason":"stop","content_filter_results":{"hate":{"filtered":false}}}],
             "usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2,"cost":0.0001}}
            """#
        let decoded = try JSON.decode(ChatResponse.self, response)
        #expect(decoded.extra["provider_specific"] == ["x": 1])
        #expect(decoded.choices[0].extra["content_filter_results"]?["hate"]?["filtered"] == false)
        #expect(decoded.choices[0].message.reasoningContent == "because")
        #expect(decoded.choices[0].message.extra["x_citations"] == ["a"])
        #expect(decoded.usage?.extra["cost"] == 0.0001)
        #expect(try roundTrip(ChatResponse.self, Data(response.utf8)).differences.isEmpty)

        let chunk = #"""
            {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"x","x_delta":1},"finish_reason":null,"x_choice":2}],"x_top":3}
            """#
        let decodedChunk = try JSON.decode(ChatChunk.self, chunk)
        #expect(decodedChunk.extra["x_top"] == 3)
        #expect(decodedChunk.choices[0].extra["x_choice"] == 2)
        #expect(decodedChunk.choices[0].delta.extra["x_delta"] == 1)
        #expect(try roundTrip(ChatChunk.self, Data(chunk.utf8)).differences.isEmpty)
    }

    @Test func typedFieldsWinOverAnExtraMemberOfTheSameName() throws {
        var request = ChatRequest(model: "real-model", messages: [.user("hi")])
        request.temperature = 0.2
        request.extra = ["model": "smuggled", "temperature": 2, "top_k": 5]
        let encoded = try JSON.value(of: request)
        #expect(encoded["model"] == "real-model")
        #expect(encoded["temperature"] == 0.2)
        #expect(encoded["top_k"] == 5)
        // Written once, not twice: a server may read the first of duplicate keys.
        let text = String(decoding: try JSON.encode(request), as: UTF8.self)
        #expect(text.components(separatedBy: "\"model\"").count == 2, "\(text)")
        #expect(!text.contains("smuggled"))
    }

    @Test func nullContentIsWrittenAsNullForAssistantToolCalls() throws {
        let message = ChatMessage.assistant(toolCalls: [.function(id: "c1", name: "f", arguments: "{}")])
        let encoded = try JSON.value(of: message)
        #expect(encoded.objectValue?.keys.contains("content") == true)
        #expect(encoded["content"] == .null)
        #expect(encoded["tool_calls"]?.arrayValue?.first?["type"] == "function")
    }
}

/// What the gateway sends upstream: its own control members removed, `metadata` only with `store`.
@Suite("ChatRequest.forUpstream")
struct ForUpstreamTests {
    @Test func stripsGatewayControlKeysAndKeepsProviderExtras() throws {
        let request = try JSON.decode(
            ChatRequest.self,
            #"""
            {"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],
             "fallbacks":["gpt-4o-mini"],"num_retries":3,"mock_response":"hello","timeout":30,
             "context_window_fallbacks":[{"gpt-4o":["gpt-4.1"]}],"api_key":"sk-caller","api_base":"http://evil",
             "custom_llm_provider":"openai","tags":["t"],"caching":true,"litellm_metadata":{"a":1},
             "top_k":40,"thinking":{"type":"enabled"}}
            """#)
        let upstream = request.forUpstream
        for key in ["fallbacks", "num_retries", "mock_response", "timeout", "context_window_fallbacks", "api_key", "api_base", "custom_llm_provider", "tags", "caching", "litellm_metadata"] {
            #expect(upstream.extra[key].isAbsent, "\(key) should not reach the provider")
        }
        #expect(upstream.extra["top_k"] == 40)
        #expect(upstream.extra["thinking"] == ["type": "enabled"])
        // The original is untouched: the router still reads its control members.
        #expect(request.extra["fallbacks"] == ["gpt-4o-mini"])
        #expect(request.extra["num_retries"] == 3)

        let body = try JSON.value(of: upstream)
        #expect(body["fallbacks"].isAbsent)
        #expect(body["mock_response"].isAbsent)
        #expect(body["top_k"] == 40)
        #expect(body["model"] == "gpt-4o")
    }

    @Test func everyDocumentedControlKeyIsStripped() {
        var request = ChatRequest(model: "m", messages: [.user("x")])
        for key in ChatRequest.gatewayControlKeys { request.extra[key] = true }
        request.extra["user_field"] = 1
        #expect(request.forUpstream.extra == ["user_field": 1])
        #expect(ChatRequest.gatewayControlKeys.isSuperset(of: ["fallbacks", "num_retries", "mock_response", "timeout", "api_key"]))
    }

    @Test func metadataIsDroppedUnlessStoreIsTrue() throws {
        var request = ChatRequest(model: "m", messages: [.user("x")])
        request.metadata = ["team": "search"]
        #expect(request.forUpstream.metadata.isAbsent)
        request.store = false
        #expect(request.forUpstream.metadata.isAbsent)
        request.store = true
        #expect(request.forUpstream.metadata == ["team": "search"])
        #expect(try JSON.value(of: request.forUpstream)["metadata"]?["team"] == "search")
    }

    @Test func embeddingRequestStripsControlKeysToo() {
        let request = EmbeddingRequest(model: "e", input: .text("x"), extra: ["num_retries": 2, "input_type": "query"])
        #expect(request.forUpstream.extra == ["input_type": "query"])
    }
}
