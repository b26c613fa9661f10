import Foundation
import SwitchyardCore
import Testing

/// The typed fields the gateway reads (routing, usage accounting, tool handling) decode to the
/// values the fixtures hold.
@Suite("Typed wire fields")
struct WireTypeFieldTests {
    // MARK: requests

    @Test func basicRequestSamplingAndStopAsString() throws {
        let request = try JSON.decode(ChatRequest.self, Fixtures.data("request_basic.json"))
        #expect(request.model == "gpt-4o-mini")
        #expect(request.messages.map(\.role) == [.system, .user])
        #expect(request.messages[1].textContent == "Hello!")
        #expect(request.temperature == 0.7)
        #expect(request.topP == 1)
        #expect(request.maxCompletionTokens == 256)
        #expect(request.maxTokens == nil)
        #expect(request.frequencyPenalty == 0.5)
        #expect(request.stop == .single("\n\n"))
        #expect(request.stop?.values == ["\n\n"])
        #expect(request.stream == false)
        #expect(request.isStreaming == false)
        #expect(request.extra.isEmpty)
    }

    @Test func allParamsRequestTypedFieldsAndUnknownMembers() throws {
        let request = try JSON.decode(ChatRequest.self, Fixtures.data("request_all_params.json"))
        #expect(request.stop == .many(["\nUser:", "<|end|>"]))
        #expect(request.maxTokens == 1024)
        #expect(request.maxCompletionTokens == 2048)
        #expect(request.logitBias == ["50256": -100, "1734": 5])
        #expect(request.seed == 42)
        #expect(request.logprobs == true)
        #expect(request.topLogprobs == 2)
        #expect(request.reasoningEffort == "medium")
        #expect(request.verbosity == "low")
        #expect(request.store == true)
        #expect(request.isStreaming)
        #expect(request.streamOptions?.includeUsage == true)
        #expect(request.streamOptions?.extra["include_obfuscation"] == false)
        #expect(request.responseFormat == .text)
        #expect(request.modalities == ["text", "audio"])
        #expect(request.metadata?["customer_id"] == "cus_8f2k1")
        #expect(request.promptCacheRetention == "24h")
        #expect(request.functionCall == "auto")
        #expect(request.functions?.count == 1)
        // New top-level members the types do not model are kept, not dropped.
        #expect(Set(request.extra.keys) == ["moderation", "prompt_cache_options"])
        #expect(request.extra["moderation"]?["model"] == "omni-moderation-latest")
        // allowed_tools is not a named function: kept whole.
        guard case .other(let choice)? = request.toolChoice else {
            Issue.record("allowed_tools tool_choice should decode as .other, got \(String(describing: request.toolChoice))")
            return
        }
        #expect(choice["type"] == "allowed_tools")
        // A custom tool has no `function`; its payload stays in `extra`.
        let tools = try #require(request.tools)
        #expect(tools.map(\.type) == ["function", "custom", "custom"])
        #expect(tools[0].function?.name == "get_weather")
        #expect(tools[0].function?.strict == true)
        #expect(tools[1].function == nil)
        #expect(tools[1].extra["custom"]?["name"] == "code_exec")
        // A content part's unknown member is kept.
        guard case .parts(let parts)? = request.messages[0].content else {
            Issue.record("developer content should be parts")
            return
        }
        #expect(parts[0].extra["prompt_cache_breakpoint"] == ["mode": "explicit"])
        #expect(request.messages[0].name == "app")
    }

    @Test func namedFunctionToolChoiceAndToolDefinitions() throws {
        let request = try JSON.decode(ChatRequest.self, Fixtures.data("request_tools.json"))
        #expect(request.toolChoice == .function(name: "get_weather"))
        #expect(request.parallelToolCalls == false)
        let tools = try #require(request.tools)
        #expect(tools.compactMap(\.function?.name) == ["get_weather", "get_local_time", "get_server_status"])
        #expect(tools.map(\.function?.strict) == [true, false, nil])
        #expect(tools[0].function?.parameters?["required"] == ["location", "units"])
        #expect(tools[2].function?.parameters.isAbsent == true)
    }

    @Test func toolChoiceForms() throws {
        #expect(try JSON.decode(ToolChoice.self, #""none""#) == .none)
        #expect(try JSON.decode(ToolChoice.self, #""auto""#) == .auto)
        #expect(try JSON.decode(ToolChoice.self, #""required""#) == .required)
        #expect(try JSON.decode(ToolChoice.self, #"{"type":"function","function":{"name":"f"}}"#) == .function(name: "f"))
        // A named function with an extra member is not reduced to `.function` (that would lose it).
        let extended = try JSON.decode(ToolChoice.self, #"{"type":"function","function":{"name":"f","x":1}}"#)
        #expect(extended == .other(try JSON.value(#"{"type":"function","function":{"name":"f","x":1}}"#)))
        let custom = try JSON.decode(ChatRequest.self, Fixtures.data("request_custom_tools.json")).toolChoice
        #expect(custom == .other(try JSON.value(#"{"type":"custom","custom":{"name":"code_exec"}}"#)))
        #expect(try JSON.value(of: ToolChoice.function(name: "g")) == (try JSON.value(#"{"type":"function","function":{"name":"g"}}"#)))
        #expect(try JSON.value(of: ToolChoice.required) == "required")
    }

    @Test func stopSequencesForms() throws {
        #expect(try JSON.decode(StopSequences.self, #""END""#) == .single("END"))
        #expect(try JSON.decode(StopSequences.self, #"["a","b"]"#) == .many(["a", "b"]))
        #expect(try JSON.value(of: StopSequences.single("x")) == "x")
        #expect(try JSON.value(of: StopSequences.many(["x"])) == ["x"])
        #expect(throws: (any Error).self) { try JSON.decode(StopSequences.self, "42") }
    }

    @Test func contentPartTypesOfEveryRole() throws {
        let request = try JSON.decode(ChatRequest.self, Fixtures.data("request_messages_all_roles.json"))
        let messages = request.messages
        #expect(Set(messages.map(\.role)) == [.system, .developer, .user, .assistant, .tool, .function])

        guard case .parts(let parts)? = messages[5].content else {
            Issue.record("message 5 should have content parts")
            return
        }
        #expect(parts.map(\.type) == [.text, .imageURL, .imageURL, .imageURL, .inputAudio, .file, .file])
        #expect(parts[1].imageURL?.detail == "high")
        #expect(parts[2].imageURL?.url.hasPrefix("data:image/png;base64,") == true)
        #expect(parts[3].imageURL?.detail == nil)
        #expect(parts[4].inputAudio?.format == "wav")
        #expect(parts[5].file?.filename == "draconomicon.pdf")
        #expect(parts[5].file?.fileData?.hasPrefix("data:application/pdf;base64,") == true)
        #expect(parts[6].file?.fileID == "file-6F2ksmvXxt4VdoqmHRw6kL")
        #expect(messages[5].textContent == "What is in this image, this recording and these documents?")

        // Assistant refusal as a field and as a part.
        #expect(messages[8].content == nil)
        #expect(messages[8].refusal == "I'm sorry, I can't help with that.")
        guard case .parts(let refusalParts)? = messages[9].content else {
            Issue.record("message 9 should have a refusal part")
            return
        }
        #expect(refusalParts.map(\.type) == [.refusal])
        #expect(refusalParts[0].refusal == "I'm sorry, I can't help with that.")
        #expect(messages[9].textContent == nil)

        // Tool calls, and tool results as text parts (joined without a separator).
        #expect(messages[11].toolCalls?.map(\.id) == ["call_JMW1whyEaYG438VE1OIflxA2", "call_DNYTawLBoN8fj3KN6qU9N1Ou"])
        #expect(messages[11].toolCalls?[0].function?.arguments == #"{"location":"Paris, France"}"#)
        #expect(messages[12].toolCallID == "call_JMW1whyEaYG438VE1OIflxA2")
        #expect(messages[13].textContent == #"{"temperature_c":9,"conditions":"clear"}"#)

        // A custom tool call keeps its payload.
        let custom = try #require(messages[16].toolCalls?.first)
        #expect(custom.type == "custom")
        #expect(custom.function == nil)
        #expect(custom.extra["custom"]?["input"] == #"print("hello world")"#)

        // Audio-only assistant turn, legacy function call, function message with null content.
        #expect(messages[19].audio?["id"] == "audio_689d37b918708191a17f6a577df19b56")
        #expect(messages[21].functionCall?.name == "get_current_weather")
        #expect(messages[22].role == .function && messages[22].name == "get_current_weather")
        #expect(messages[23].content == nil)
    }

    @Test func jsonSchemaResponseFormat() throws {
        let request = try JSON.decode(ChatRequest.self, Fixtures.data("request_response_format_json_schema.json"))
        let format = try #require(request.responseFormat)
        #expect(format.type == "json_schema")
        #expect(format.jsonSchema?.name == "math_reasoning")
        #expect(format.jsonSchema?.strict == true)
        #expect(format.jsonSchema?.schema?["required"] == ["steps", "final_answer"])
        let jsonObject = try JSON.decode(ChatRequest.self, Fixtures.data("request_response_format_json_object.json"))
        #expect(jsonObject.responseFormat == .jsonObject)
    }

    @Test func legacyFunctionsAndAudioOutputRequests() throws {
        let legacy = try JSON.decode(ChatRequest.self, Fixtures.data("request_legacy_functions.json"))
        #expect(legacy.functions?.count == 2)
        #expect(legacy.functionCall == ["name": "get_current_weather"])
        let audio = try JSON.decode(ChatRequest.self, Fixtures.data("request_audio_output.json"))
        #expect(audio.audio?["voice"]?["id"] == "voice_1234")
        let stream = try JSON.decode(ChatRequest.self, Fixtures.data("request_stream_usage.json"))
        #expect(stream.isStreaming && stream.streamOptions?.includeUsage == true)
    }

    // MARK: responses

    @Test func basicResponseAndUsageDetails() throws {
        let response = try JSON.decode(ChatResponse.self, Fixtures.data("response_basic.json"))
        #expect(response.id == "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT")
        #expect(response.object == "chat.completion")
        #expect(response.created == 1_741_569_952)
        #expect(response.serviceTier == "default")
        #expect(response.systemFingerprint == "fp_fc9f1d7035")
        #expect(response.choices.count == 1)
        #expect(response.choices[0].finishReason == "stop")
        #expect(response.choices[0].message.textContent == "Hello! How can I assist you today?")
        #expect(response.choices[0].message.annotations == [])
        let usage = try #require(response.usage)
        #expect((usage.promptTokens, usage.completionTokens, usage.totalTokens) == (19, 10, 29))
        #expect(usage.promptTokensDetails?.cachedTokens == 0)
        #expect(usage.completionTokensDetails?.reasoningTokens == 0)
    }

    @Test func usageCachedAndReasoningTokens() throws {
        let usage = try JSON.decode(
            Usage.self,
            #"{"prompt_tokens":2006,"completion_tokens":300,"total_tokens":2306,"prompt_tokens_details":{"cached_tokens":1920,"audio_tokens":0,"text_tokens":86},"completion_tokens_details":{"reasoning_tokens":192,"accepted_prediction_tokens":3}}"#)
        #expect(usage.promptTokensDetails?.cachedTokens == 1920)
        #expect(usage.promptTokensDetails?.extra["text_tokens"] == 86)
        #expect(usage.completionTokensDetails?.reasoningTokens == 192)
        #expect(usage.completionTokensDetails?.acceptedPredictionTokens == 3)
        #expect(usage.completionTokensDetails?.audioTokens == nil)

        let custom = try JSON.decode(ChatResponse.self, Fixtures.data("response_custom_tool_call.json"))
        #expect(custom.usage?.completionTokensDetails?.reasoningTokens == 128)
        #expect(custom.systemFingerprint == nil)
        #expect(custom.choices[0].finishReason == "tool_calls")
        #expect(custom.choices[0].message.toolCalls?.first?.type == "custom")

        // total_tokens defaults to the sum when a provider leaves it out.
        let partial = try JSON.decode(Usage.self, #"{"prompt_tokens":5,"completion_tokens":7}"#)
        #expect(partial.totalTokens == 12)
    }

    @Test func toolCallRefusalAudioAndModerationResponses() throws {
        let tools = try JSON.decode(ChatResponse.self, Fixtures.data("response_tool_calls.json"))
        let calls = try #require(tools.choices[0].message.toolCalls)
        #expect(calls.map { $0.function?.name } == ["get_weather", "get_stock_price"])
        #expect(calls[1].function?.arguments == #"{"ticker": "AAPL", "exchange": "NASDAQ"}"#)
        #expect(tools.choices[0].message.content == nil)

        let refusal = try JSON.decode(ChatResponse.self, Fixtures.data("response_refusal.json"))
        #expect(refusal.choices[0].message.refusal == "I'm very sorry, but I can't assist with that.")
        #expect(refusal.choices[0].logprobs?["refusal"]?.arrayValue?.count == 11)

        let audio = try JSON.decode(ChatResponse.self, Fixtures.data("response_audio.json"))
        #expect(audio.choices[0].message.audio?["transcript"] == "beep")
        #expect(audio.usage?.completionTokensDetails?.audioTokens == 12)
        #expect(audio.usage?.completionTokensDetails?.extra["text_tokens"] == 6)

        let moderation = try JSON.decode(ChatResponse.self, Fixtures.data("response_moderation.json"))
        #expect(moderation.extra["moderation"]?["output"]?["code"] == "moderation_unavailable")
        #expect(moderation.extra["metadata"]?["customer_id"] == "cus_8f2k1")
        #expect(moderation.usage?.promptTokensDetails?.extra["cache_write_tokens"] == 0)

        let annotations = try JSON.decode(ChatResponse.self, Fixtures.data("response_annotations.json"))
        #expect(annotations.systemFingerprint == "")
        #expect(annotations.choices[0].message.annotations?.count == 2)
        #expect(annotations.choices[0].logprobs.isAbsent)

        let function = try JSON.decode(ChatResponse.self, Fixtures.data("response_function_call.json"))
        #expect(function.choices[0].finishReason == "function_call")
        #expect(function.choices[0].message.functionCall?.name == "get_current_weather")
    }

    // MARK: stream chunks

    @Test func streamedChunksReassembleTheAnswer() throws {
        let chunks = try Fixtures.lines("chunks_stream.jsonl").map { try JSON.decode(ChatChunk.self, $0) }
        #expect(chunks.count == 12)
        #expect(chunks[0].choices[0].delta.role == .assistant)
        #expect(chunks[0].hasContent == false)
        #expect(chunks[1].hasContent)
        let text = chunks.flatMap(\.choices).compactMap(\.delta.content).joined()
        #expect(text == "Hello! How can I assist you today?")
        #expect(chunks[10].choices[0].finishReason == "stop")
        let last = try #require(chunks.last)
        #expect(last.choices.isEmpty)
        #expect(last.usage?.totalTokens == 29)
        #expect(chunks.dropLast().allSatisfy { $0.usage == nil })
        #expect(chunks.allSatisfy { $0.extra["obfuscation"]?.stringValue != nil })
    }

    @Test func streamedToolCallArgumentsConcatenatePerIndex() throws {
        let chunks = try Fixtures.lines("chunks_tool_calls.jsonl").map { try JSON.decode(ChatChunk.self, $0) }
        var arguments: [Int: String] = [:]
        var names: [Int: String] = [:]
        for call in chunks.flatMap(\.choices).flatMap({ $0.delta.toolCalls ?? [] }) {
            let index = try #require(call.index)
            arguments[index, default: ""] += call.function?.arguments ?? ""
            if let name = call.function?.name { names[index] = name }
        }
        #expect(names == [0: "get_weather", 1: "get_stock_price"])
        #expect(arguments[0] == #"{"location": "Edinburgh, UK", "units": "celsius"}"#)
        #expect(arguments[1] == #"{"ticker": "AAPL", "exchange": "NASDAQ"}"#)
        #expect(chunks.contains { $0.choices.first?.finishReason == "tool_calls" })
    }

    @Test func streamedRefusalAndLegacyFunctionCall() throws {
        let refusal = try Fixtures.lines("chunks_refusal_logprobs.jsonl").map { try JSON.decode(ChatChunk.self, $0) }
        #expect(refusal.flatMap(\.choices).compactMap(\.delta.refusal).joined() == "I'm very sorry, but I can't assist with that.")
        #expect(refusal.contains { $0.hasContent })

        let function = try Fixtures.lines("chunks_function_call.jsonl").map { try JSON.decode(ChatChunk.self, $0) }
        let arguments = function.flatMap(\.choices).compactMap(\.delta.functionCall?.arguments).joined()
        let parsed = try JSON.value(arguments)
        #expect(parsed == ["location": "Glasgow, Scotland", "unit": "celsius"])
        #expect(function.last?.choices.first?.finishReason == "function_call")
    }

    // MARK: embeddings and models

    @Test func embeddingRequestsInputForms() throws {
        let texts = try JSON.decode(EmbeddingRequest.self, Fixtures.data("embedding_request.json"))
        #expect(texts.input == .texts(["The food was delicious and the waiter was very friendly.", "How do I reset my password?"]))
        #expect(texts.input.count == 2)
        #expect(texts.encodingFormat == "float")
        #expect(texts.dimensions == 8)
        #expect(texts.user == "user-1234")

        let tokens = try JSON.decode(EmbeddingRequest.self, Fixtures.data("embedding_request_tokens.json"))
        guard case .tokenArrays(let arrays) = tokens.input else {
            Issue.record("token arrays should decode as .tokenArrays, got \(tokens.input)")
            return
        }
        #expect(arrays.map(\.count) == [7, 9])
        #expect(tokens.encodingFormat == "base64")

        #expect(try JSON.decode(EmbeddingInput.self, #""hi""#) == .text("hi"))
        #expect(try JSON.decode(EmbeddingInput.self, "[1,2,3]") == .tokens([1, 2, 3]))
        #expect(EmbeddingInput.tokens([1, 2, 3]).count == 1)
    }

    @Test func embeddingResponsesFloatAndBase64() throws {
        let floats = try JSON.decode(EmbeddingResponse.self, Fixtures.data("embedding_response_float.json"))
        #expect(floats.data.map(\.index) == [0, 1])
        guard case .floats(let first) = floats.data[0].embedding else {
            Issue.record("float embedding should decode as .floats")
            return
        }
        #expect(first.count == 8)
        #expect(first[0] == 0.035312448)
        #expect(floats.usage == EmbeddingUsage(promptTokens: 18, totalTokens: 18))

        let base64 = try JSON.decode(EmbeddingResponse.self, Fixtures.data("embedding_response_base64.json"))
        guard case .base64(let text) = base64.data[0].embedding else {
            Issue.record("a base64 embedding must stay a string, got \(base64.data[0].embedding)")
            return
        }
        #expect(text.hasPrefix("UlenPPk5k71f"))
        #expect(text.count == 1368)  // 1024 bytes of float32
    }

    @Test func modelsListAndModelCard() throws {
        let list = try JSON.decode(ModelList.self, Fixtures.data("models_list.json"))
        #expect(list.object == "list")
        #expect(list.data.count == 9)
        #expect(list.data.map(\.id).contains("text-embedding-3-small"))
        let fineTune = try #require(list.data.last)
        #expect(fineTune.ownedBy == "org-3kF9pQ2xLmN7vB1cD8eR5tYw")
        #expect(list.data[2].extra["shutdown_date"] == "2026-10-23")

        let card = try JSON.decode(ModelCard.self, Fixtures.data("model.json"))
        #expect(card == ModelCard(id: "gpt-4o-mini", created: 1_721_172_741, ownedBy: "system", extra: ["shutdown_date": nil]))
    }
}
