extension ChatChunk {
    /// The chunk as JSON, written directly when it has the shape nearly every chunk of a
    /// translated stream has (one choice whose delta holds at most a role and text, no usage, no
    /// extra members); nil otherwise, for the Codable encoder. Same members as `encode(to:)`.
    public var directJSON: [UInt8]? {
        guard usage == nil, extra.isEmpty, serviceTier == nil, choices.count == 1 else { return nil }
        let choice = choices[0]
        let delta = choice.delta
        guard choice.logprobs == nil, choice.extra.isEmpty, delta.toolCalls == nil, delta.refusal == nil,
            delta.reasoningContent == nil, delta.functionCall == nil, delta.extra.isEmpty
        else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(160 + id.utf8.count + model.utf8.count + (delta.content?.utf8.count ?? 0))
        out += Array(#"{"id":"#.utf8) + JSONStrings.quoted(id)
        out += Array(#","object":"#.utf8) + JSONStrings.quoted(object)
        out += Array(#","created":\#(created),"model":"#.utf8) + JSONStrings.quoted(model)
        if let systemFingerprint { out += Array(#","system_fingerprint":"#.utf8) + JSONStrings.quoted(systemFingerprint) }
        out += Array(#","choices":[{"index":\#(choice.index),"delta":{"#.utf8)
        var first = true
        if let role = delta.role {
            out += Array(#""role":"#.utf8) + JSONStrings.quoted(role.rawValue)
            first = false
        }
        if let content = delta.content {
            if !first { out.append(UInt8(ascii: ",")) }
            out += Array(#""content":"#.utf8) + JSONStrings.quoted(content)
        }
        out += Array(#"},"finish_reason":"#.utf8)
        out += choice.finishReason.map(JSONStrings.quoted) ?? Array("null".utf8)
        out += Array("}]}".utf8)
        return out
    }
}
