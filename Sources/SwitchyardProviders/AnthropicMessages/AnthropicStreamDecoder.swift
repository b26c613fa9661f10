import SwitchyardCore

/// Anthropic's event stream read into OpenAI chunks with one id: `message_start` (id, model,
/// prompt usage), `content_block_start` (a `tool_use` opens a tool call with its index among
/// the calls), deltas (`text_delta` → content, `input_json_delta` → arguments, `thinking_delta`
/// → reasoning, `signature_delta` → the thinking block's signature), a `redacted_thinking`
/// block (a thinking block as it came), the `json_tool_call` tool (its input as content, as the
/// non-streamed answer has it), `message_delta` (finish reason, then a usage chunk),
/// `message_stop` (the end), `ping` (nothing), `error` (the failure, classified like an HTTP
/// error).
public struct AnthropicStreamDecoder: ChatStreamDecoder {
    private var parser = ServerSentEventParser()
    public private(set) var isComplete = false
    private var id = "msg"
    private var model: String
    private var startUsage: JSONObjectScan?
    private var toolIndexByBlock: [Int: Int] = [:]
    private var toolCount = 0
    /// Blocks of the `json_tool_call` tool (`response_format`): their input streams as content.
    private var jsonBlocks: Set<Int> = []
    private var sawFinish = false
    /// The bytes every text event of this stream starts with (they change only with the id and
    /// model, set by `message_start`); empty until the first is written.
    private var textEventOpening: [UInt8] = []
    private var textEventCreated = 0
    let provider: String

    public init(model: String, provider: String) {
        self.model = model
        self.provider = provider
    }

    public mutating func decode(_ bytes: [UInt8]) throws(UpstreamFailure) -> [ChatChunk] {
        var out: [ChatChunk] = []
        for event in try parser.rawEvents(bytes, provider: provider) { try read(event, into: &out) }
        return out
    }

    public mutating func finish() throws(UpstreamFailure) -> [ChatChunk] {
        var out: [ChatChunk] = []
        for event in try parser.finishRaw() { try read(event, into: &out) }
        try checkEnded()
        return out
    }

    /// Text deltas, nearly every event, are written from the JSON string Anthropic wrote when it
    /// can be copied as it is (`CompactText.literal`): no string is made, no chunk built.
    public mutating func decode(_ bytes: [UInt8], into frames: inout ChunkFrameWriter) throws(UpstreamFailure) {
        try write(parser.rawEvents(bytes, provider: provider), into: &frames)
    }

    public mutating func finish(into frames: inout ChunkFrameWriter) throws(UpstreamFailure) {
        try write(parser.finishRaw(), into: &frames)
        try checkEnded()
    }

    private mutating func write(_ events: [RawServerSentEvent], into frames: inout ChunkFrameWriter) throws(UpstreamFailure) {
        var pending: [ChatChunk] = []
        // By index: a `for … in` copies each event (and each chunk), a retain per member.
        for position in events.indices where !isComplete {
            let name = events[position].event
            if name == nil || name == "content_block_delta", let literal = Self.compactText(events[position].data)?.copyableLiteral {
                if textEventOpening.isEmpty || textEventCreated != frames.created {
                    textEventOpening = ChatChunk.contentEventOpening(id: id, created: frames.created, model: model)
                    textEventCreated = frames.created
                }
                frames.appendContent(literal: literal, opening: textEventOpening)
                continue
            }
            try read(events[position], into: &pending)
            for index in pending.indices { frames.append(pending[index]) }
            pending.removeAll(keepingCapacity: true)
        }
    }

    private func checkEnded() throws(UpstreamFailure) {
        if !isComplete && !sawFinish {
            throw UpstreamFailure(.connection, message: "\(provider) closed the stream before it finished", provider: provider)
        }
    }

    private func chunk(_ delta: ChatChunk.Delta, finish: String? = nil, usage: Usage? = nil) -> ChatChunk {
        ChatChunk(id: id, created: 0, model: model, choices: usage == nil || finish != nil || delta != ChatChunk.Delta() ? [.init(index: 0, delta: delta, finishReason: finish)] : [], usage: usage)
    }

    /// The text of a `content_block_delta` event carrying a `text_delta`, or nil for any other event.
    static func textDelta(_ data: ArraySlice<UInt8>) -> String? {
        if let text = compactText(data)?.string { return text }
        guard let scan = JSONObjectScan(Array(data)), scan.string("type") == "content_block_delta", let bytes = scan.valueBytes("delta"),
            let delta = JSONObjectScan(Array(bytes)), delta.string("type") == "text_delta"
        else { return nil }
        return delta.string("text")
    }

    /// The text of an event written exactly as Anthropic writes it,
    /// `{"type":"content_block_delta","index":N,"delta":{"type":"text_delta","text":"…"}}`, found
    /// without building a scan; nil for any other spelling (which the general reading handles).
    static func compactText(_ data: ArraySlice<UInt8>) -> CompactText? {
        guard var index = compactIndexed(data, #"{"type":"content_block_delta","index":"#, #","delta":{"type":"text_delta","text":""#) else {
            return nil
        }
        let start = index - 1  // the opening quote
        var escaped = false
        var ascii = true
        var simpleEscapes = true
        while index < data.endIndex {
            let byte = data[index]
            if byte < 0x20 { return nil }
            if byte >= 0x80 { ascii = false }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                // \u escapes may hide a lone surrogate, which the decoded text repairs.
                if index + 1 < data.endIndex, !Self.isCopyableEscape(data[index + 1]) { simpleEscapes = false }
                index += 2
                continue
            }
            if byte == UInt8(ascii: "\"") { break }
            index += 1
        }
        guard index < data.endIndex else { return nil }
        let end = index
        index += 1
        guard index + 2 == data.endIndex, data[index] == UInt8(ascii: "}"), data[index + 1] == UInt8(ascii: "}") else { return nil }
        let isUTF8 = ascii || JSONStrings.isValidUTF8(data[(start + 1)..<end])
        // Plain text that is not UTF-8 is left to the general reading, which repairs it.
        if !escaped && !isUTF8 { return nil }
        return CompactText(literal: data[start...end], escaped: escaped, copyable: simpleEscapes && isUTF8)
    }

    private static func isCopyableEscape(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"),
            UInt8(ascii: "r"), UInt8(ascii: "t"):
            true
        default: false
        }
    }

    /// A text delta's JSON string as Anthropic wrote it (quotes included).
    struct CompactText {
        let literal: ArraySlice<UInt8>
        let escaped: Bool
        /// Valid UTF-8 with no escape but the one-letter ones: valid as it is in any JSON we write.
        let copyable: Bool

        /// The literal when it may be copied into an OpenAI event as it is.
        var copyableLiteral: ArraySlice<UInt8>? { copyable ? literal : nil }

        /// The text itself (unescaped text was checked to be UTF-8; escapes that make no valid
        /// text become U+FFFD).
        var string: String? {
            escaped ? JSONStrings.unescape(literal) : String(decoding: literal.dropFirst().dropLast(), as: UTF8.self)
        }
    }

    /// Whether the event is the start of a text block written exactly as Anthropic writes it,
    /// `{"type":"content_block_start","index":N,"content_block":{"type":"text","text":""}}`: it
    /// adds nothing to the answer, so it is not parsed.
    static func isCompactTextBlockStart(_ data: ArraySlice<UInt8>) -> Bool {
        compactIndexed(data, #"{"type":"content_block_start","index":"#, #","content_block":{"type":"text","text":""}}"#) == data.endIndex
    }

    /// Whether `data` is `text` exactly.
    private static func isCompact(_ data: ArraySlice<UInt8>, _ text: StaticString) -> Bool {
        text.withUTF8Buffer { expected in data.withUnsafeBufferPointer { $0.elementsEqual(expected) } }
    }

    /// Where `data` continues after `head`, a block index (decimal digits) and `tail`, written
    /// exactly so; nil if it is spelled any other way.
    private static func compactIndexed(_ data: ArraySlice<UInt8>, _ head: StaticString, _ tail: StaticString) -> Int? {
        data.withUnsafeBufferPointer { bytes -> Int? in
            head.withUTF8Buffer { head -> Int? in
                tail.withUTF8Buffer { tail -> Int? in
                    guard bytes.count > head.count + tail.count, UnsafeBufferPointer(rebasing: bytes[..<head.count]).elementsEqual(head) else {
                        return nil
                    }
                    var index = head.count
                    while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
                    guard index > head.count, bytes.count - index >= tail.count,
                        UnsafeBufferPointer(rebasing: bytes[index..<(index + tail.count)]).elementsEqual(tail)
                    else { return nil }
                    return data.startIndex + index + tail.count
                }
            }
        }
    }

    /// `message_start` (the id, model and prompt usage; the role chunk) and `message_delta` (the
    /// finish reason, then the usage chunk: the start's counts updated by the delta's).
    private mutating func readMessageEvent(_ type: String, _ scan: JSONObjectScan, into out: inout [ChatChunk]) {
        if type == "message_start" {
            let message = scan.object("message")
            id = message?.string("id") ?? id
            model = message?.string("model") ?? model
            textEventOpening = []
            startUsage = message?.object("usage")
            out.append(chunk(.init(role: .assistant, content: "")))
            return
        }
        if var reason = AnthropicAnswer.finishReason(scan.object("delta")?.string("stop_reason")) {
            if reason == "tool_calls", toolCount == 0, !jsonBlocks.isEmpty { reason = "stop" }  // the JSON tool answered
            sawFinish = true
            out.append(chunk(.init(), finish: reason))
        }
        let usage = scan.object("usage")
        if let output = usage?.int("output_tokens") {
            out.append(ChatChunk(id: id, created: 0, model: model, choices: [], usage: AnthropicAnswer.usage(start: startUsage, delta: usage, output: output)))
        }
    }

    /// One event's chunks, appended to `out`. The event's data stay bytes: the text deltas are
    /// read from them directly.
    private mutating func read(_ event: RawServerSentEvent, into out: inout [ChatChunk]) throws(UpstreamFailure) {
        guard !isComplete, !event.data.isEmpty else { return }
        let data = event.data
        // A text delta is looked for in events named so (Anthropic names every event) or unnamed.
        if event.event == nil || event.event == "content_block_delta", let text = Self.textDelta(data) {
            // Nearly every event: read by a byte scan, not the JSON decoder.
            out.append(chunk(.init(content: text)))
            return
        }
        // Events that change nothing in the answer (keep-alive pings, a content block's end, a
        // text block's start) and the stream's end: no parse.
        if event.event == "ping" || event.event == "content_block_stop" { return }
        if event.event == "message_stop" && Self.isCompact(data, #"{"type":"message_stop"}"#) {
            isComplete = true
            return
        }
        if event.event == "content_block_start" && Self.isCompactTextBlockStart(data) { return }
        // The two events every stream has, read from their scan (no value built). Anthropic
        // names its events, so others (a tool's input deltas) are not scanned before their parse.
        if event.event == nil || event.event == "message_start" || event.event == "message_delta",
            let scan = JSONObjectScan(Array(data)), let type = scan.string("type") ?? event.event,
            type == "message_start" || type == "message_delta"
        {
            readMessageEvent(type, scan, into: &out)
            return
        }
        // Bytes that are not UTF-8 become U+FFFD, as when the events were read as text.
        let json = (try? JSONCoding.decode(JSONValue.self, from: data))
            ?? (try? JSONCoding.decode(JSONValue.self, from: Array(String(decoding: data, as: UTF8.self).utf8)))
        guard let json else {
            throw UpstreamFailure(.connection, message: "\(provider) sent an unreadable stream event: \(String(decoding: data.prefix(200), as: UTF8.self))", provider: provider)
        }
        switch json["type"]?.stringValue ?? event.event {
        case "content_block_start":
            let block = json["content_block"]
            if block?["type"] == "tool_use", block?["name"]?.stringValue == AnthropicRequest.jsonToolName, let index = json["index"]?.intValue {
                jsonBlocks.insert(index)
            } else if block?["type"] == "redacted_thinking", let block {
                var piece = ChatChunk.Delta()
                piece.extra["thinking_blocks"] = [block]
                out.append(chunk(piece))
            } else if block?["type"] == "tool_use", let index = json["index"]?.intValue {
                let position = toolCount
                toolCount += 1
                toolIndexByBlock[index] = position
                out.append(chunk(.init(toolCalls: [ToolCall(
                    index: position, id: block?["id"]?.stringValue, type: "function",
                    function: FunctionCall(name: block?["name"]?.stringValue, arguments: ""))])))
            }
        case "content_block_delta":
            let delta = json["delta"]
            switch delta?["type"]?.stringValue {
            case "text_delta":
                if let text = delta?["text"]?.stringValue { out.append(chunk(.init(content: text))) }
            case "input_json_delta":
                if let index = json["index"]?.intValue, jsonBlocks.contains(index), let fragment = delta?["partial_json"]?.stringValue, !fragment.isEmpty {
                    out.append(chunk(.init(content: fragment)))
                } else if let index = json["index"]?.intValue, let position = toolIndexByBlock[index], let fragment = delta?["partial_json"]?.stringValue, !fragment.isEmpty {
                    out.append(chunk(.init(toolCalls: [ToolCall(index: position, id: nil, type: nil, function: FunctionCall(name: nil, arguments: fragment))])))
                }
            case "thinking_delta":
                if let text = delta?["thinking"]?.stringValue { out.append(chunk(.init(reasoningContent: text))) }
            case "signature_delta":
                if let signature = delta?["signature"]?.stringValue {
                    var piece = ChatChunk.Delta()
                    piece.extra["thinking_blocks"] = [["type": "thinking", "thinking": "", "signature": .string(signature)]]
                    out.append(chunk(piece))
                }
            default: break
            }
        case "message_stop":
            isComplete = true
        case "error":
            let type = json["error"]?["type"]?.stringValue ?? "api_error"
            let message = json["error"]?["message"]?.stringValue ?? "stream error"
            let status = AnthropicAdapter.status(forErrorType: type)
            throw UpstreamFailure(
                UpstreamFailureClassifier.kind(status: status, message: message, code: type), status: status, message: message, provider: provider)
        default:
            break  // ping, content_block_stop, and event types added later
        }
    }
}
