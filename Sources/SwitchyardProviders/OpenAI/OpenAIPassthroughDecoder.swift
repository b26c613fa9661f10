import SwitchyardCore

/// Reads an OpenAI-dialect stream without decoding its chunks: each SSE event is checked to be
/// a JSON object, re-framed as `data: …\n\n` (the events of one read make one `RawStreamFrame`),
/// and looked at only for an error, usage, and whether it carries content. `[DONE]` ends it.
public struct OpenAIPassthroughDecoder: Sendable {
    private var parser = ServerSentEventParser()
    public private(set) var isComplete = false
    private var sawFinishReason = false
    /// Once content has flowed, events are no longer searched for it (only the first matters).
    private var sawContent = false
    let provider: String

    public init(provider: String) {
        self.provider = provider
    }

    public mutating func decode(_ bytes: [UInt8]) throws(UpstreamFailure) -> [RawStreamFrame] {
        return try frames(parser.rawEvents(bytes, provider: provider))
    }

    public mutating func finish() throws(UpstreamFailure) -> [RawStreamFrame] {
        let tail = try frames(parser.finishRaw())
        if !isComplete && !sawFinishReason {
            throw UpstreamFailure(.connection, message: "\(provider) closed the stream before it finished", provider: provider)
        }
        return tail
    }

    /// The events of one read as one frame (their `data: …\n\n` back to back): one buffer per
    /// read, not one per event. It has content if any event has, ends the answer if any event
    /// does, and carries the last usage seen.
    private mutating func frames(_ events: [RawServerSentEvent]) throws(UpstreamFailure) -> [RawStreamFrame] {
        var bytes: [UInt8] = []
        var hasContent = false
        var isFinal = false
        var usage: Usage?
        for event in events where !isComplete {
            if event.isDone {
                isComplete = true
                break
            }
            if event.data.isEmpty || event.event == "ping" { continue }
            let frame = try inspect(event.data)
            hasContent = hasContent || frame.content
            isFinal = isFinal || frame.final
            usage = frame.usage ?? usage
            if bytes.isEmpty { bytes.reserveCapacity(events.count * (event.data.count + 8)) }
            bytes.append(contentsOf: Self.dataPrefix)
            bytes.append(contentsOf: event.data)
            bytes.append(contentsOf: Self.eventEnd)
        }
        guard !bytes.isEmpty else { return [] }
        return [RawStreamFrame(bytes: bytes, hasContent: hasContent, usage: usage, isFinal: isFinal)]
    }

    private static let dataPrefix: [UInt8] = Array("data: ".utf8)
    private static let eventEnd: [UInt8] = [0x0A, 0x0A]

    /// Checks one event's data is a JSON object and reads what the router needs of it: an error
    /// (thrown), usage, whether it ends the answer, whether it is content.
    private mutating func inspect(_ data: ArraySlice<UInt8>) throws(UpstreamFailure) -> (content: Bool, final: Bool, usage: Usage?) {
        guard let (errorValue, usageValue, choicesValue) = JSONObjectScan.values(("error", "usage", "choices"), in: data) else {
            let preview = String(decoding: data.prefix(200), as: UTF8.self)
            throw UpstreamFailure(.connection, message: "\(provider) sent an unreadable stream event: \(preview)", provider: provider)
        }
        if let errorValue, !JSONObjectScan.isNull(data[errorValue]), let error = try? JSONCoding.decode(JSONValue.self, from: data)["error"] {
            throw OpenAIStreamDecoder.failure(fromStreamError: error, provider: provider)
        }
        var usage: Usage?
        if let usageValue, !JSONObjectScan.isNull(data[usageValue]) {
            usage = Usage.read(data[usageValue])
        }
        let choices = choicesValue.map { data[$0] } ?? []
        var finishes = false
        if !sawFinishReason && Self.hasNonNullMember(choices, "finish_reason") {
            sawFinishReason = true
            finishes = true
        }
        var content = true
        if !sawContent {
            content = sawFinishReason || usage != nil || Self.hasNonEmptyString(choices, "content")
                || Self.hasNonEmptyArray(choices, "tool_calls") || Self.hasNonEmptyString(choices, "refusal")
                || Self.hasNonEmptyString(choices, "reasoning_content") || Self.hasNonNullMember(choices, "function_call")
            sawContent = content
        }
        return (content, finishes || usage != nil, usage)
    }

    /// Whether some `"key": value` in `bytes` has a value whose first byte (at the index given)
    /// satisfies `test`. A byte search, not a parse: it runs on every frame, so it allocates nothing.
    static func anyValue(_ bytes: ArraySlice<UInt8>, _ key: StaticString, _ test: (Int) -> Bool) -> Bool {
        key.withUTF8Buffer { name -> Bool in
            let quote = UInt8(ascii: "\"")
            var index = bytes.startIndex
            let last = bytes.endIndex - name.count - 2
            while index <= last {
                defer { index += 1 }
                guard bytes[index] == quote, bytes[index + name.count + 1] == quote else { continue }
                var matches = true
                for offset in 0..<name.count where bytes[index + 1 + offset] != name[offset] {
                    matches = false
                    break
                }
                guard matches else { continue }
                var cursor = index + name.count + 2
                while cursor < bytes.endIndex, JSONStrings.isWhitespace(bytes[cursor]) { cursor += 1 }
                guard cursor < bytes.endIndex, bytes[cursor] == UInt8(ascii: ":") else { continue }
                cursor += 1
                while cursor < bytes.endIndex, JSONStrings.isWhitespace(bytes[cursor]) { cursor += 1 }
                if cursor < bytes.endIndex && test(cursor) { return true }
                index = cursor - 1
            }
            return false
        }
    }

    static func hasNonEmptyString(_ bytes: ArraySlice<UInt8>, _ key: StaticString) -> Bool {
        anyValue(bytes, key) { start in
            bytes[start] == UInt8(ascii: "\"") && start + 1 < bytes.endIndex && bytes[start + 1] != UInt8(ascii: "\"")
        }
    }

    static func hasNonEmptyArray(_ bytes: ArraySlice<UInt8>, _ key: StaticString) -> Bool {
        anyValue(bytes, key) { start in
            guard bytes[start] == UInt8(ascii: "[") else { return false }
            var cursor = start + 1
            while cursor < bytes.endIndex, JSONStrings.isWhitespace(bytes[cursor]) { cursor += 1 }
            return cursor < bytes.endIndex && bytes[cursor] != UInt8(ascii: "]")
        }
    }

    static func hasNonNullMember(_ bytes: ArraySlice<UInt8>, _ key: StaticString) -> Bool {
        anyValue(bytes, key) { bytes[$0] != UInt8(ascii: "n") }
    }
}
