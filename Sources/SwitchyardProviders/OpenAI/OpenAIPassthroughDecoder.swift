import SwitchyardCore

/// Reads an OpenAI-dialect stream without decoding its chunks: each SSE event is re-framed as
/// `data: …\n\n` (the events of one read make one `RawStreamFrame`) and looked at only for an
/// error, usage, the end of the answer and whether it carries content. `[DONE]` ends it.
///
/// Until content has flowed, and for any event that names `error` or `usage`, an event is
/// checked to be one well-formed JSON object and read by a scan. After that, the common event
/// (a delta) gets a glance: it must be shaped as an object (`{` … `}`) and is searched for those
/// names and a non-null `finish_reason`, one comparison per byte, with no check of the rest
/// (`decisions/2026-12-06-passthrough-glance.md`).
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
        var frame = FrameBuilder()
        var position = 0
        // Whole events straight from the buffer; what they cannot take (an event cut off at an
        // earlier read's end, another framing) goes to the parser up to its next boundary, and
        // the buffer takes over again from there.
        while position < bytes.count && !isComplete {
            position = try bytes.withUnsafeBufferPointer { buffer throws(UpstreamFailure) in
                try readWholeEvents(buffer, from: position, into: &frame)
            }
            guard position < bytes.count && !isComplete else { break }
            let parsed = try parser.rawEventsToBoundary(bytes[position...], provider: provider)
            try add(parsed.events, to: &frame)
            position = parsed.end
        }
        return frame.frames
    }

    public mutating func finish() throws(UpstreamFailure) -> [RawStreamFrame] {
        var frame = FrameBuilder()
        try add(parser.finishRaw(), to: &frame)
        if !isComplete && !sawFinishReason {
            throw UpstreamFailure(.connection, message: "\(provider) closed the stream before it finished", provider: provider)
        }
        return frame.frames
    }

    /// The events of one read as one frame (their `data: …\n\n` back to back): one buffer per
    /// read, not one per event. It has content if any event has, ends the answer if any event
    /// does, and carries the last usage seen.
    struct FrameBuilder {
        var bytes: [UInt8] = []
        var hasContent = false
        var isFinal = false
        var usage: Usage?

        mutating func add(_ inspected: (content: Bool, final: Bool, usage: Usage?)) {
            hasContent = hasContent || inspected.content
            isFinal = isFinal || inspected.final
            usage = inspected.usage ?? usage
        }

        var frames: [RawStreamFrame] {
            bytes.isEmpty ? [] : [RawStreamFrame(bytes: bytes, hasContent: hasContent, usage: usage, isFinal: isFinal)]
        }
    }

    /// Reads the events from `start` written the way OpenAI writes them, one `data: …` line and
    /// a blank line each (LF only), straight from the buffer: they go out as they came, one copy
    /// per run of them. Stops at the first byte it does not recognise so (a comment, another
    /// field, CR, a second data line, an event cut off by the read's end) and returns its
    /// offset: the parser reads on from there. Reads nothing while the parser holds part of a
    /// line or an event.
    private mutating func readWholeEvents(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int, into frame: inout FrameBuilder) throws(UpstreamFailure) -> Int {
        guard start < buffer.count, parser.atEventBoundary(next: buffer[start]) else { return start }
        var index = start
        var runStart = start
        defer { frame.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[runStart..<index])) }
        while !isComplete, buffer.count - index > Self.dataPrefix.count, Self.startsWithDataPrefix(buffer, at: index) {
            let dataStart = index + Self.dataPrefix.count
            let lineEnd = ServerSentEventParser.lineEnd(in: buffer, from: dataStart)
            guard buffer.count - lineEnd >= 2, buffer[lineEnd] == 0x0A, buffer[lineEnd + 1] == 0x0A else { break }
            let data = UnsafeBufferPointer(rebasing: buffer[dataStart..<lineEnd])
            if data.elementsEqual(Self.done) {
                isComplete = true  // the run before it goes out; what follows it is not read
                break
            }
            if data.isEmpty {
                // Nothing to relay: the run so far goes out, the next starts after this event.
                frame.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[runStart..<index]))
                index = lineEnd + 2
                runStart = index
                continue
            }
            if frame.bytes.isEmpty { frame.bytes.reserveCapacity(buffer.count) }
            frame.add(try inspect(data))
            index = lineEnd + 2
        }
        return index
    }

    /// Events the parser read, re-framed as `data: …\n\n` into `frame`.
    private mutating func add(_ events: [RawServerSentEvent], to frame: inout FrameBuilder) throws(UpstreamFailure) {
        for position in events.indices where !isComplete {
            if events[position].isDone {
                isComplete = true
                break
            }
            if events[position].data.isEmpty || events[position].event == "ping" { continue }
            let inspected = try events[position].data.withUnsafeBufferPointer { data throws(UpstreamFailure) in try inspect(data) }
            frame.add(inspected)
            if frame.bytes.isEmpty { frame.bytes.reserveCapacity(events.count * (events[position].data.count + 8)) }
            frame.bytes.append(contentsOf: Self.dataPrefix)
            frame.bytes.append(contentsOf: events[position].data)
            frame.bytes.append(contentsOf: Self.eventEnd)
        }
    }

    private static let dataPrefix: [UInt8] = Array("data: ".utf8)
    private static let eventEnd: [UInt8] = [0x0A, 0x0A]
    private static let done: [UInt8] = Array("[DONE]".utf8)

    @inline(__always)
    private static func startsWithDataPrefix(_ buffer: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        buffer[index] == UInt8(ascii: "d") && buffer[index + 1] == UInt8(ascii: "a") && buffer[index + 2] == UInt8(ascii: "t")
            && buffer[index + 3] == UInt8(ascii: "a") && buffer[index + 4] == UInt8(ascii: ":") && buffer[index + 5] == UInt8(ascii: " ")
    }

    /// Checks one event's data is a JSON object and reads what the router needs of it: an error
    /// (thrown), usage, whether it ends the answer, whether it is content.
    private mutating func inspect(_ data: UnsafeBufferPointer<UInt8>) throws(UpstreamFailure) -> (content: Bool, final: Bool, usage: Usage?) {
        if sawContent, let glanced = try glance(data) { return glanced }
        guard let (errorValue, usageValue, choicesValue) = JSONObjectScan.values(("error", "usage", "choices"), in: data) else {
            throw unreadable(data)
        }
        if let errorValue, !JSONObjectScan.isNull(UnsafeBufferPointer(rebasing: data[errorValue])),
            let error = try? JSONCoding.decode(JSONValue.self, from: Array(data))["error"]
        {
            throw OpenAIStreamDecoder.failure(fromStreamError: error, provider: provider)
        }
        var usage: Usage?
        if let usageValue, !JSONObjectScan.isNull(UnsafeBufferPointer(rebasing: data[usageValue])) {
            usage = Usage.read(UnsafeBufferPointer(rebasing: data[usageValue]))
        }
        let choices = choicesValue.map { UnsafeBufferPointer(rebasing: data[$0]) } ?? UnsafeBufferPointer(start: nil, count: 0)
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

    /// What an event after the first content says, from a glance (see the type's summary): nil
    /// when it names `error` or `usage` and needs the full look.
    private mutating func glance(_ data: UnsafeBufferPointer<UInt8>) throws(UpstreamFailure) -> (content: Bool, final: Bool, usage: Usage?)? {
        guard Self.isObjectShaped(data) else { throw unreadable(data) }
        let quote = UInt8(ascii: "\"")
        var finishes = false
        var index = 0
        let last = data.count - 2
        while index < last {
            defer { index += 1 }
            guard data[index] == quote else { continue }
            switch data[index + 1] {
            case UInt8(ascii: "e"):
                if Self.isName(data, at: index, "error") { return nil }
            case UInt8(ascii: "u"):
                if Self.isName(data, at: index, "usage") { return nil }
            case UInt8(ascii: "f"):
                guard !sawFinishReason, Self.isName(data, at: index, "finish_reason") else { continue }
                let value = Self.valueStart(data, after: index + 15)
                if let value, data[value] != UInt8(ascii: "n") {
                    sawFinishReason = true
                    finishes = true
                }
            default:
                continue
            }
        }
        return (true, finishes, nil)
    }

    /// The first byte is `{` and the last `}`, whitespace around them aside.
    static func isObjectShaped(_ data: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = data.firstIndex(where: { !JSONStrings.isWhitespace($0) }),
            let last = data.lastIndex(where: { !JSONStrings.isWhitespace($0) })
        else { return false }
        return data[first] == UInt8(ascii: "{") && data[last] == UInt8(ascii: "}") && first < last
    }

    /// `"name"` starts at `index` (its opening quote).
    @inline(__always)
    static func isName(_ data: UnsafeBufferPointer<UInt8>, at index: Int, _ name: StaticString) -> Bool {
        name.withUTF8Buffer { name in
            guard data.count - index >= name.count + 2, data[index + name.count + 1] == UInt8(ascii: "\"") else { return false }
            for offset in 0..<name.count where data[index + 1 + offset] != name[offset] { return false }
            return true
        }
    }

    /// Where the value of a key whose closing quote is just before `keyEnd` starts: after
    /// whitespace, a colon and whitespace; nil when that is not what follows.
    static func valueStart(_ data: UnsafeBufferPointer<UInt8>, after keyEnd: Int) -> Int? {
        var cursor = keyEnd
        while cursor < data.count, JSONStrings.isWhitespace(data[cursor]) { cursor += 1 }
        guard cursor < data.count, data[cursor] == UInt8(ascii: ":") else { return nil }
        cursor += 1
        while cursor < data.count, JSONStrings.isWhitespace(data[cursor]) { cursor += 1 }
        return cursor < data.count ? cursor : nil
    }

    private func unreadable(_ data: UnsafeBufferPointer<UInt8>) -> UpstreamFailure {
        let preview = String(decoding: data.prefix(200), as: UTF8.self)
        return UpstreamFailure(.connection, message: "\(provider) sent an unreadable stream event: \(preview)", provider: provider)
    }

    /// Whether some `"key": value` in `bytes` has a value whose first byte (at the index given)
    /// satisfies `test`. A byte search, not a parse: it runs on every frame, so it allocates nothing.
    static func anyValue(_ bytes: UnsafeBufferPointer<UInt8>, _ key: StaticString, _ test: (Int) -> Bool) -> Bool {
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

    static func hasNonEmptyString(_ bytes: UnsafeBufferPointer<UInt8>, _ key: StaticString) -> Bool {
        anyValue(bytes, key) { start in
            bytes[start] == UInt8(ascii: "\"") && start + 1 < bytes.endIndex && bytes[start + 1] != UInt8(ascii: "\"")
        }
    }

    static func hasNonEmptyArray(_ bytes: UnsafeBufferPointer<UInt8>, _ key: StaticString) -> Bool {
        anyValue(bytes, key) { start in
            guard bytes[start] == UInt8(ascii: "[") else { return false }
            var cursor = start + 1
            while cursor < bytes.endIndex, JSONStrings.isWhitespace(bytes[cursor]) { cursor += 1 }
            return cursor < bytes.endIndex && bytes[cursor] != UInt8(ascii: "]")
        }
    }

    static func hasNonNullMember(_ bytes: UnsafeBufferPointer<UInt8>, _ key: StaticString) -> Bool {
        anyValue(bytes, key) { bytes[$0] != UInt8(ascii: "n") }
    }
}
