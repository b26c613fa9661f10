extension ChatChunk {
    /// The chunk as JSON, written directly when it has the shape nearly every chunk of a
    /// translated stream has (one choice whose delta holds at most a role and text, no usage, no
    /// extra members), or is the usage chunk at the end (no choices, plain token counts); nil
    /// otherwise, for the Codable encoder. Same members as `encode(to:)`.
    public var directJSON: [UInt8]? {
        var out: [UInt8] = []
        return writeDirect(into: &out, created: created) ? out : nil
    }

    /// Appends the chunk as an SSE event (`data: {…}\n\n`): written directly when `directJSON`
    /// can, else through the Codable encoder. The events of one read share one buffer this way.
    /// `created`, when given, is written in place of the chunk's own (a translated stream's
    /// chunks get the stream's start), without copying the chunk to change it.
    public func appendSSEFrame(to out: inout [UInt8], created: Int? = nil) {
        let start = out.count
        out.append(contentsOf: "data: ".utf8)
        if !writeDirect(into: &out, created: created ?? self.created) {
            out.removeSubrange(start...)
            var stamped = self
            stamped.created = created ?? self.created
            out.append(contentsOf: ServerSentEvent.encodeData((try? JSONCoding.encode(stamped)) ?? Array("{}".utf8)))
            return
        }
        out.append(contentsOf: [0x0A, 0x0A])
    }

    /// Room for the usual chunk's event (to reserve before `appendSSEFrame`).
    public var estimatedSSEFrameSize: Int {
        200 + id.utf8.count + model.utf8.count + (choices.first?.delta.content?.utf8.count ?? 0)
    }

    private func writeDirect(into out: inout [UInt8], created: Int) -> Bool {
        guard extra.isEmpty, serviceTier == nil else { return false }
        if choices.isEmpty, let usage, DirectJSON.isPlain(usage) {
            DirectJSON.appendOpening(id: id, object: object, created: created, model: model, to: &out)
            out.append(contentsOf: #","choices":[]"#.utf8)
            DirectJSON.appendUsage(usage, to: &out)
            appendFingerprint(to: &out)
            out.append(UInt8(ascii: "}"))
            return true
        }
        guard usage == nil, choices.count == 1 else { return false }
        let choice = choices[0]
        let delta = choice.delta
        guard choice.logprobs == nil, choice.extra.isEmpty, delta.toolCalls == nil, delta.refusal == nil,
            delta.reasoningContent == nil, delta.functionCall == nil, delta.extra.isEmpty
        else { return false }
        DirectJSON.appendOpening(id: id, object: object, created: created, model: model, to: &out)
        out.append(contentsOf: #","choices":[{"index":"#.utf8)
        out.append(contentsOf: String(choice.index).utf8)
        out.append(contentsOf: #","delta":{"#.utf8)
        if let role = delta.role {
            out.append(contentsOf: #""role":"#.utf8)
            JSONStrings.appendQuoted(role.rawValue, to: &out)
        }
        if let content = delta.content {
            if delta.role != nil { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #""content":"#.utf8)
            JSONStrings.appendQuoted(content, to: &out)
        }
        out.append(contentsOf: #"},"finish_reason":"#.utf8)
        DirectJSON.appendQuotedOrNull(choice.finishReason, to: &out)
        out.append(contentsOf: "}]".utf8)
        appendFingerprint(to: &out)
        out.append(UInt8(ascii: "}"))
        return true
    }

    private func appendFingerprint(to out: inout [UInt8]) {
        guard let systemFingerprint else { return }
        out.append(contentsOf: #","system_fingerprint":"#.utf8)
        JSONStrings.appendQuoted(systemFingerprint, to: &out)
    }

    /// The bytes the event of a chunk of one text delta starts with, up to its content: the
    /// same for every such chunk of a stream, so a stream makes them once.
    public static func contentEventOpening(id: String, created: Int, model: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(96 + id.utf8.count + model.utf8.count)
        out.append(contentsOf: "data: ".utf8)
        DirectJSON.appendOpening(id: id, object: "chat.completion.chunk", created: created, model: model, to: &out)
        out.append(contentsOf: #","choices":[{"index":0,"delta":{"content":"#.utf8)
        return out
    }

    /// Appends the event of a chunk of one text delta (the content as `literal`, a JSON string
    /// literal with its quotes, copied as it is) after `opening` (`contentEventOpening`): the
    /// bytes `appendSSEFrame` writes for
    /// `ChatChunk(id:created:model:choices: [.init(index: 0, delta: .init(content: text))])`
    /// when the literal is the text as `JSONStrings.appendQuoted` writes it, and the same JSON
    /// value when it is escaped another way.
    public static func appendContentEvent(literal: ArraySlice<UInt8>, opening: [UInt8], to out: inout [UInt8]) {
        out.append(contentsOf: opening)
        out.append(contentsOf: literal)
        out.append(contentsOf: "},\"finish_reason\":null}]}\n\n".utf8)
    }
}
