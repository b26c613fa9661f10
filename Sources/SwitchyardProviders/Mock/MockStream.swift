import SwitchyardCore

/// The SSE events of a mock streamed completion, shaped as OpenAI streams them: a role chunk,
/// content chunks (a word each), a finish chunk, an optional usage chunk, `[DONE]`.
enum MockStream {
    static func events(
        id: String, created: Int, model: String, content: String, toolCall: ToolCall?, usage: Usage, includeUsage: Bool
    ) -> [[UInt8]] {
        var events = chunks(id: id, created: created, model: model, content: content, toolCall: toolCall, usage: usage, includeUsage: includeUsage)
            .map { ServerSentEvent.encodeData((try? JSONCoding.encode($0)) ?? []) }
        events.append(ServerSentEvent.done.encoded)
        return events
    }

    /// The chunks of the stream, before they are written in a dialect.
    static func chunks(
        id: String, created: Int, model: String, content: String, toolCall: ToolCall?, usage: Usage, includeUsage: Bool
    ) -> [ChatChunk] {
        func chunk(_ delta: ChatChunk.Delta, finish: String? = nil) -> ChatChunk {
            ChatChunk(id: id, created: created, model: model, choices: [.init(index: 0, delta: delta, finishReason: finish)], systemFingerprint: "fp_switchyard_mock")
        }
        var chunks: [ChatChunk] = []
        if let toolCall {
            chunks.append(chunk(.init(role: .assistant, content: nil, toolCalls: [ToolCall(index: 0, id: toolCall.id, function: .init(name: toolCall.function?.name, arguments: ""))])))
            chunks.append(chunk(.init(toolCalls: [ToolCall(index: 0, id: nil, type: nil, function: .init(name: nil, arguments: toolCall.function?.arguments))])))
            chunks.append(chunk(.init(), finish: "tool_calls"))
        } else {
            chunks.append(chunk(.init(role: .assistant, content: "")))
            for piece in words(content) { chunks.append(chunk(.init(content: piece))) }
            chunks.append(chunk(.init(), finish: "stop"))
        }
        if includeUsage {
            chunks.append(ChatChunk(id: id, created: created, model: model, choices: [], usage: usage, systemFingerprint: "fp_switchyard_mock"))
        }
        return chunks
    }

    /// The text cut after each space, so the pieces join back to the text exactly.
    static func words(_ text: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        for character in text {
            current.append(character)
            if character == " " {
                pieces.append(current)
                current = ""
            }
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }
}
