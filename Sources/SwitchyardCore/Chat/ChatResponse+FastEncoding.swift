extension ChatResponse {
    /// The answer as JSON, written directly when it has the shape nearly every translated answer
    /// has (messages of a role and text or no content, a finish reason, plain token counts, no
    /// extra members); nil otherwise, for the Codable encoder. The same bytes `encode(to:)` gives
    /// through `JSONCoding`: the same members in the same order.
    public var directJSON: [UInt8]? {
        guard extra.isEmpty, serviceTier == nil, usage.map(DirectJSON.isPlain) ?? true, choices.indices.allSatisfy({ Self.isPlain(choices[$0]) }) else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(
            160 + id.utf8.count + model.utf8.count
                + choices.reduce(0) { $0 + 80 + ($1.message.content?.text?.utf8.count ?? 0) })
        DirectJSON.appendOpening(id: id, object: object, created: created, model: model, to: &out)
        out.append(contentsOf: #","choices":["#.utf8)
        // By index, each member read in place: a choice bound to a name is copied, a retain for
        // every reference it holds.
        for position in choices.indices {
            if position > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"index":"#.utf8)
            out.append(contentsOf: String(choices[position].index).utf8)
            out.append(contentsOf: #","message":{"role":"#.utf8)
            JSONStrings.appendQuoted(choices[position].message.role.rawValue, to: &out)
            out.append(contentsOf: #","content":"#.utf8)
            DirectJSON.appendQuotedOrNull(choices[position].message.content?.text, to: &out)
            out.append(contentsOf: #"},"finish_reason":"#.utf8)
            DirectJSON.appendQuotedOrNull(choices[position].finishReason, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        if let usage { DirectJSON.appendUsage(usage, to: &out) }
        if let systemFingerprint {
            out.append(contentsOf: #","system_fingerprint":"#.utf8)
            JSONStrings.appendQuoted(systemFingerprint, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    private static func isPlain(_ choice: borrowing Choice) -> Bool {
        if case .parts? = choice.message.content { return false }
        return choice.extra.isEmpty && choice.logprobs == nil && choice.message.extra.isEmpty && choice.message.name == nil
            && choice.message.toolCalls == nil && choice.message.toolCallID == nil && choice.message.refusal == nil
            && choice.message.reasoningContent == nil && choice.message.functionCall == nil && choice.message.audio == nil
            && choice.message.annotations == nil
    }
}
