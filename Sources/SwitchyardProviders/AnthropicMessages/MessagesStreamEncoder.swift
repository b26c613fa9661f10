import SwitchyardCore

/// Canonical chunks as Anthropic's stream: `message_start`, then for each run of text, thinking
/// or one tool call a `content_block_start`, its deltas (`text_delta`, `thinking_delta`,
/// `input_json_delta`) and `content_block_stop`, then `message_delta` with the stop reason and
/// usage, and `message_stop`.
public struct MessagesStreamEncoder: Sendable {
    private enum Block: Equatable {
        case text, thinking
        case tool(Int)
    }

    private var started = false
    private var block: Block?
    private var blockIndex = -1
    private var stopReason: String?
    private var usage: Usage?
    private var finished = false

    public init() {}

    /// The events one chunk makes.
    public mutating func encode(_ chunk: ChatChunk) -> [UInt8] {
        var out: [UInt8] = []
        if !started {
            started = true
            let message: JSONValue = [
                "id": .string(MessagesResponse.messageID(chunk.id)), "type": "message", "role": "assistant",
                "model": .string(chunk.model), "content": [], "stop_reason": .null, "stop_sequence": .null,
                "usage": ["input_tokens": 0, "output_tokens": 0],
            ]
            out += Self.event("message_start", ["type": "message_start", "message": message])
        }
        if let usage = chunk.usage { self.usage = usage }
        for choice in chunk.choices where choice.index == 0 {
            let delta = choice.delta
            if let reasoning = delta.reasoningContent, !reasoning.isEmpty {
                out += open(.thinking)
                out += Self.event("content_block_delta", [
                    "type": "content_block_delta", "index": .int(blockIndex), "delta": ["type": "thinking_delta", "thinking": .string(reasoning)],
                ])
            }
            for text in [delta.content, delta.refusal].compactMap({ $0 }) where !text.isEmpty {
                out += open(.text)
                out += Self.event("content_block_delta", [
                    "type": "content_block_delta", "index": .int(blockIndex), "delta": ["type": "text_delta", "text": .string(text)],
                ])
            }
            for call in delta.toolCalls ?? [] {
                let position = call.index ?? 0
                if block != .tool(position) {
                    out += open(.tool(position), start: [
                        "type": "tool_use", "id": .string(call.id ?? "toolu_\(chunk.id)_\(position)"),
                        "name": .string(call.function?.name ?? ""), "input": .object([:]),
                    ])
                }
                if let fragment = call.function?.arguments, !fragment.isEmpty {
                    out += Self.event("content_block_delta", [
                        "type": "content_block_delta", "index": .int(blockIndex),
                        "delta": ["type": "input_json_delta", "partial_json": .string(fragment)],
                    ])
                }
            }
            if let reason = choice.finishReason { stopReason = MessagesResponse.stopReason(reason) }
        }
        return out
    }

    /// The closing events (once).
    public mutating func finish() -> [UInt8] {
        guard !finished else { return [] }
        finished = true
        var out: [UInt8] = []
        if !started { out += encode(ChatChunk(id: "switchyard", created: 0, model: "", choices: [])) }
        out += close()
        let usage = MessagesResponse.usage(self.usage)
        out += Self.event("message_delta", [
            "type": "message_delta", "delta": ["stop_reason": .string(stopReason ?? "end_turn"), "stop_sequence": .null], "usage": usage,
        ])
        out += Self.event("message_stop", ["type": "message_stop"])
        return out
    }

    /// Starts `kind` unless it is the open block.
    private mutating func open(_ kind: Block, start: JSONValue? = nil) -> [UInt8] {
        guard block != kind else { return [] }
        var out = close()
        blockIndex += 1
        block = kind
        let content: JSONValue
        switch kind {
        case .text: content = ["type": "text", "text": ""]
        case .thinking: content = ["type": "thinking", "thinking": "", "signature": ""]
        case .tool: content = start ?? ["type": "tool_use", "input": .object([:])]
        }
        out += Self.event("content_block_start", ["type": "content_block_start", "index": .int(blockIndex), "content_block": content])
        return out
    }

    private mutating func close() -> [UInt8] {
        guard block != nil else { return [] }
        block = nil
        return Self.event("content_block_stop", ["type": "content_block_stop", "index": .int(blockIndex)])
    }

    /// `event: NAME\ndata: JSON\n\n`.
    public static func event(_ name: String, _ data: JSONValue) -> [UInt8] {
        var out = Array("event: \(name)\ndata: ".utf8)
        out += (try? JSONCoding.encode(data)) ?? Array("{}".utf8)
        out += [0x0A, 0x0A]
        return out
    }
}
