/// Pieces the direct writers of `ChatResponse` and `ChatChunk` share: the members both open
/// with, a string that may be null, and plain token counts.
enum DirectJSON {
    /// `{"id":…,"object":…,"created":…,"model":…` (the object left open).
    static func appendOpening(id: String, object: String, created: Int, model: String, to out: inout [UInt8]) {
        out.append(contentsOf: #"{"id":"#.utf8)
        JSONStrings.appendQuoted(id, to: &out)
        out.append(contentsOf: #","object":"#.utf8)
        JSONStrings.appendQuoted(object, to: &out)
        out.append(contentsOf: #","created":"#.utf8)
        out.append(contentsOf: String(created).utf8)
        out.append(contentsOf: #","model":"#.utf8)
        JSONStrings.appendQuoted(model, to: &out)
    }

    /// The string quoted, or `null`.
    static func appendQuotedOrNull(_ text: String?, to out: inout [UInt8]) {
        if let text { JSONStrings.appendQuoted(text, to: &out) } else { out.append(contentsOf: "null".utf8) }
    }

    /// Whether the usage is plain token counts (no details, no extra members): what
    /// `appendUsage` writes.
    static func isPlain(_ usage: Usage) -> Bool {
        usage.extra.isEmpty && usage.promptTokensDetails == nil && usage.completionTokensDetails == nil
    }

    /// `,"usage":{…}` for plain token counts, the members in `Usage.encode(to:)`'s order.
    static func appendUsage(_ usage: Usage, to out: inout [UInt8]) {
        out.append(contentsOf: #","usage":{"prompt_tokens":"#.utf8)
        out.append(contentsOf: String(usage.promptTokens).utf8)
        out.append(contentsOf: #","completion_tokens":"#.utf8)
        out.append(contentsOf: String(usage.completionTokens).utf8)
        out.append(contentsOf: #","total_tokens":"#.utf8)
        out.append(contentsOf: String(usage.totalTokens).utf8)
        out.append(UInt8(ascii: "}"))
    }
}
