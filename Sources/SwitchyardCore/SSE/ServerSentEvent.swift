/// One server-sent event (the `text/event-stream` format every LLM API streams in).
public struct ServerSentEvent: Sendable, Hashable {
    /// The `event:` field; nil means the default type, `message`.
    public var event: String?
    /// The `data:` lines joined with `\n`.
    public var data: String
    public var id: String?
    public var retry: Int?

    public init(event: String? = nil, data: String, id: String? = nil, retry: Int? = nil) {
        self.event = event
        self.data = data
        self.id = id
        self.retry = retry
    }

    /// OpenAI's end-of-stream marker, `data: [DONE]`.
    public var isDone: Bool { data == "[DONE]" }

    public static let done = ServerSentEvent(data: "[DONE]")

    /// The event in wire form, ending with the blank line that dispatches it.
    public var encoded: [UInt8] {
        var text = ""
        if let event { text += "event: \(event)\n" }
        if let id { text += "id: \(id)\n" }
        if let retry { text += "retry: \(retry)\n" }
        var start = data.startIndex
        while true {
            let end = data[start...].firstIndex(where: { $0 == "\n" || $0 == "\r" }) ?? data.endIndex
            text += "data: "
            text += data[start..<end]
            text += "\n"
            guard end < data.endIndex else { break }
            start = data.index(after: end)
            if data[end] == "\r", start < data.endIndex, data[start] == "\n" { start = data.index(after: start) }
        }
        text += "\n"
        return Array(text.utf8)
    }

    /// A `data:`-only event with the given JSON bytes (no newline inside), the common case.
    public static func encodeData(_ json: some Sequence<UInt8>) -> [UInt8] {
        var bytes: [UInt8] = Array("data: ".utf8)
        bytes.append(contentsOf: json)
        bytes.append(contentsOf: [0x0A, 0x0A])
        return bytes
    }
}
