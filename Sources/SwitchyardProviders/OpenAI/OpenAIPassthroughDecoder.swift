import SwitchyardCore

/// Reads an OpenAI-dialect stream without decoding its chunks: each SSE event is checked to be
/// a JSON object, turned into a `RawStreamFrame` (re-framed as `data: …\n\n`), looked at only for
/// an error, usage, and whether it carries content. `[DONE]` ends it.
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

    private mutating func frames(_ events: [RawServerSentEvent]) throws(UpstreamFailure) -> [RawStreamFrame] {
        var frames: [RawStreamFrame] = []
        frames.reserveCapacity(events.count)
        for event in events where !isComplete {
            if event.isDone {
                isComplete = true
                break
            }
            if event.data.isEmpty || event.event == "ping" { continue }
            let data = event.data
            guard let scan = JSONObjectScan(data) else {
                let preview = String(decoding: data.prefix(200), as: UTF8.self)
                throw UpstreamFailure(.connection, message: "\(provider) sent an unreadable stream event: \(preview)", provider: provider)
            }
            if !scan.isNull("error"), let error = try? JSONCoding.decode(JSONValue.self, from: data)["error"] {
                throw OpenAIStreamDecoder.failure(fromStreamError: error, provider: provider)
            }
            var usage: Usage?
            if !scan.isNull("usage"), let slice = scan.valueBytes("usage") {
                usage = Usage.read(slice)
            }
            let choices = scan.valueBytes("choices") ?? []
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
            var bytes: [UInt8] = Array("data: ".utf8)
            bytes.reserveCapacity(data.count + 8)
            bytes.append(contentsOf: data)
            bytes.append(contentsOf: [0x0A, 0x0A])
            frames.append(RawStreamFrame(bytes: bytes, hasContent: content, usage: usage, isFinal: finishes || usage != nil))
        }
        return frames
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
