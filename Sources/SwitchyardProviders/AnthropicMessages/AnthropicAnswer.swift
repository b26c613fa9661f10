import SwitchyardCore

/// An Anthropic message (or the pieces of a stream) read into canonical values.
public enum AnthropicAnswer {
    /// Anthropic's stop reason as OpenAI's finish reason.
    public static func finishReason(_ stopReason: String?) -> String? {
        switch stopReason {
        case nil: return nil
        case "max_tokens", "model_context_window_exceeded": return "length"
        case "tool_use": return "tool_calls"
        case "refusal": return "content_filter"
        default: return "stop"
        }
    }

    /// Anthropic's usage: cache reads and writes are part of the prompt; reads are also
    /// `cached_tokens`, and both are kept under Anthropic's names at the top level, as LiteLLM's
    /// usage has them (when the upstream reported them).
    public static func usage(_ usage: JSONValue?, outputOverride: Int? = nil) -> Usage? {
        guard let usage, usage.objectValue != nil else { return nil }
        let input = usage["input_tokens"]?.intValue ?? 0
        let read = usage["cache_read_input_tokens"]?.intValue ?? 0
        let created = usage["cache_creation_input_tokens"]?.intValue ?? 0
        let output = outputOverride ?? usage["output_tokens"]?.intValue ?? 0
        let details: Usage.PromptTokensDetails? = (read > 0 || created > 0) ? .init(cachedTokens: read, cacheCreationTokens: created) : nil
        var extra: [String: JSONValue] = [:]
        for key in ["cache_creation_input_tokens", "cache_read_input_tokens"] {
            if let value = usage[key]?.intValue { extra[key] = .int(value) }
        }
        return Usage(promptTokens: input + read + created, completionTokens: output, promptTokensDetails: details, extra: extra)
    }

    public static func response(_ json: JSONValue, model fallbackModel: String, created: Int) -> ChatResponse {
        var text = ""
        var reasoning = ""
        var thinkingBlocks: [JSONValue] = []
        var calls: [ToolCall] = []
        for block in json["content"]?.arrayValue ?? [] {
            switch block["type"]?.stringValue {
            case "text": text += block["text"]?.stringValue ?? ""
            case "thinking":
                reasoning += block["thinking"]?.stringValue ?? ""
                thinkingBlocks.append(block)
            case "redacted_thinking": thinkingBlocks.append(block)
            case "tool_use":
                let name = block["name"]?.stringValue ?? ""
                let arguments = (try? JSONCoding.encode(block["input"] ?? .object([:]))).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
                if name == AnthropicRequest.jsonToolName {
                    text += arguments
                } else {
                    calls.append(ToolCall(id: block["id"]?.stringValue, function: FunctionCall(name: name, arguments: arguments)))
                }
            default: break
            }
        }
        var message = ChatMessage(role: .assistant, content: calls.isEmpty || !text.isEmpty ? .text(text) : nil)
        if !calls.isEmpty { message.toolCalls = calls }
        if !reasoning.isEmpty { message.reasoningContent = reasoning }
        if !thinkingBlocks.isEmpty { message.extra["thinking_blocks"] = .array(thinkingBlocks) }
        var finish = finishReason(json["stop_reason"]?.stringValue) ?? "stop"
        if finish == "tool_calls" && calls.isEmpty { finish = "stop" }  // the JSON tool answered
        let id = json["id"]?.stringValue ?? "msg"
        return ChatResponse(
            id: id, created: created, model: json["model"]?.stringValue ?? fallbackModel,
            choices: [.init(index: 0, message: message, finishReason: finish)], usage: usage(json["usage"]))
    }
}
