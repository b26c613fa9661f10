/// Pieces the direct writers of `ChatResponse` and `ChatChunk` share: the members both open
/// with, and a string that may be null.
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
}
