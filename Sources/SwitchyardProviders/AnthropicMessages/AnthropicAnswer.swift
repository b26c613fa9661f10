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
        return self.usage(outputOverride: outputOverride) { usage[$0]?.intValue }
    }

    /// `usage(_:)` for the usage object of a scanned answer.
    public static func usage(_ usage: JSONObjectScan?) -> Usage? {
        guard let usage else { return nil }
        return self.usage(outputOverride: nil) { usage.int($0) }
    }

    /// A stream's usage: the counts of `message_start`'s usage, each replaced by the final
    /// `message_delta`'s when it has one, and its output count.
    public static func usage(start: JSONObjectScan?, delta: JSONObjectScan?, output: Int) -> Usage {
        usage(outputOverride: output) { delta?.int($0) ?? start?.int($0) }
    }

    /// The usage from its counts by Anthropic's member names.
    private static func usage(outputOverride: Int?, _ count: (String) -> Int?) -> Usage {
        let input = count("input_tokens") ?? 0
        let read = count("cache_read_input_tokens")
        let created = count("cache_creation_input_tokens")
        let output = outputOverride ?? count("output_tokens") ?? 0
        let details: Usage.PromptTokensDetails? =
            (read ?? 0) > 0 || (created ?? 0) > 0 ? .init(cachedTokens: read ?? 0, cacheCreationTokens: created ?? 0) : nil
        var extra: [String: JSONValue] = [:]
        if let created { extra["cache_creation_input_tokens"] = .int(created) }
        if let read { extra["cache_read_input_tokens"] = .int(read) }
        return Usage(promptTokens: input + (read ?? 0) + (created ?? 0), completionTokens: output, promptTokensDetails: details, extra: extra)
    }

    /// The answer's members when `body` is a message (`"type":"message"`); nil for anything else.
    public static func message(_ body: [UInt8]) -> JSONObjectScan? {
        guard let scan = JSONObjectScan(body), scan.string("type") == "message" else { return nil }
        return scan
    }

    /// A message as a chat completion. Read from the scanned bytes: only a thinking or tool
    /// block is parsed into a value.
    public static func response(_ message: JSONObjectScan, model fallbackModel: String, created: Int) -> ChatResponse {
        var text = ""
        var reasoning = ""
        var thinkingBlocks: [JSONValue] = []
        var calls: [ToolCall] = []
        for item in message.items("content") ?? [] {
            guard let block = JSONObjectScan(message.bytes, at: item) else { continue }
            switch block.string("type") {
            case "text": text += block.string("text") ?? ""
            case "thinking":
                reasoning += block.string("thinking") ?? ""
                if let value = message.value(at: item) { thinkingBlocks.append(value) }
            case "redacted_thinking":
                if let value = message.value(at: item) { thinkingBlocks.append(value) }
            case "tool_use":
                let name = block.string("name") ?? ""
                let input = block.value("input") ?? .object([:])
                let arguments = (try? JSONCoding.encode(input)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
                if name == AnthropicRequest.jsonToolName {
                    text += arguments
                } else {
                    calls.append(ToolCall(id: block.string("id"), function: FunctionCall(name: name, arguments: arguments)))
                }
            default: break
            }
        }
        var finish = finishReason(message.string("stop_reason")) ?? "stop"
        if finish == "tool_calls" && calls.isEmpty { finish = "stop" }  // the JSON tool answered
        // Built in one expression: a message kept in a variable and then moved into its choice
        // was copied, a retain for every reference it holds.
        return ChatResponse(
            id: message.string("id") ?? "msg", created: created, model: message.string("model") ?? fallbackModel,
            choices: [
                .init(
                    index: 0,
                    message: ChatMessage(
                        role: .assistant, content: calls.isEmpty || !text.isEmpty ? .text(text) : nil, toolCalls: calls.isEmpty ? nil : calls,
                        reasoningContent: reasoning.isEmpty ? nil : reasoning,
                        extra: thinkingBlocks.isEmpty ? [:] : ["thinking_blocks": .array(thinkingBlocks)]),
                    finishReason: finish)
            ],
            usage: usage(message.object("usage")))
    }
}
