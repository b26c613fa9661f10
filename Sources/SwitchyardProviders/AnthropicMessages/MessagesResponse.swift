import SwitchyardCore

/// Canonical answers in Anthropic's Messages shape: a whole message, and the stop reasons and
/// usage both the message and the stream use.
public enum MessagesResponse {
    /// `{"id","type":"message","role":"assistant","model","content":[…],"stop_reason",…,"usage"}`.
    public static func message(_ response: ChatResponse) -> JSONValue {
        let choice = response.choices.first
        var content: [JSONValue] = []
        if let message = choice?.message {
            if let blocks = message.extra["thinking_blocks"]?.arrayValue {
                content += blocks
            } else if let reasoning = message.reasoningContent, !reasoning.isEmpty {
                content.append(["type": "thinking", "thinking": .string(reasoning), "signature": ""])
            }
            if let text = message.content?.text, !text.isEmpty { content.append(["type": "text", "text": .string(text)]) }
            if let refusal = message.refusal, !refusal.isEmpty { content.append(["type": "text", "text": .string(refusal)]) }
            for call in message.toolCalls ?? [] {
                content.append(toolUse(id: call.id ?? "toolu_\(response.id)", name: call.function?.name ?? "", arguments: call.function?.arguments))
            }
        }
        return [
            "id": .string(messageID(response.id)),
            "type": "message",
            "role": "assistant",
            "model": .string(response.model),
            "content": .array(content),
            "stop_reason": stopReason(choice?.finishReason).map(JSONValue.string) ?? .null,
            "stop_sequence": .null,
            "usage": usage(response.usage),
        ]
    }

    public static func toolUse(id: String, name: String, arguments: String?) -> JSONValue {
        let input = arguments.flatMap { try? JSONCoding.decode(JSONValue.self, from: Array($0.utf8)) } ?? .object([:])
        return ["type": "tool_use", "id": .string(id), "name": .string(name), "input": input.objectValue != nil ? input : .object([:])]
    }

    /// OpenAI's finish reason as Anthropic's stop reason.
    public static func stopReason(_ finishReason: String?) -> String? {
        switch finishReason {
        case nil: return nil
        case "length": return "max_tokens"
        case "tool_calls", "function_call": return "tool_use"
        case "content_filter": return "refusal"
        default: return "end_turn"
        }
    }

    /// Anthropic counts cached prompt tokens apart from `input_tokens`.
    public static func usage(_ usage: Usage?) -> JSONValue {
        let cached = usage?.promptTokensDetails?.cachedTokens ?? 0
        let created = usage?.promptTokensDetails?.cacheCreationTokens ?? 0
        var object: [String: JSONValue] = [
            "input_tokens": .int(max((usage?.promptTokens ?? 0) - cached - created, 0)),
            "output_tokens": .int(usage?.completionTokens ?? 0),
        ]
        object["cache_read_input_tokens"] = .int(cached)
        object["cache_creation_input_tokens"] = .int(created)
        return .object(object)
    }

    /// Anthropic ids start with `msg_`; an upstream id is kept inside it.
    public static func messageID(_ id: String) -> String { id.hasPrefix("msg_") ? id : "msg_" + id }
}
