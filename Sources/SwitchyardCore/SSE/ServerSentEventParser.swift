/// An incremental `text/event-stream` parser, per the WHATWG rules: lines end in LF, CRLF or CR
/// (a CRLF split across two buffers counts once), `:` lines are comments, `data:` lines join with
/// `\n`, a blank line dispatches, one leading space after the colon is dropped, a leading BOM is
/// skipped. Feed it bytes as they arrive; it returns the events completed so far.
public struct ServerSentEventParser: Sendable {
    private var line: [UInt8] = []
    /// The event's data while it is one `data:` line: a slice of the bytes it came in, no copy.
    private var dataLine: ArraySlice<UInt8>?
    /// The event's data once a second line joins the first: its own buffer.
    private var joinedData: [UInt8] = []
    private var hasData = false
    private var eventType: String?
    private var lastEventID: String?
    private var retry: Int?
    private var skipLineFeed = false
    private var atStreamStart = true
    /// How many bytes of a leading BOM have been seen so far (it may arrive split across buffers).
    private var byteOrderMarkMatched = 0
    /// Upper bound on one event's size, so a peer that never sends a blank line cannot grow memory without end.
    public let maxEventBytes: Int

    public init(maxEventBytes: Int = 16 << 20) {
        self.maxEventBytes = maxEventBytes
    }

    public enum ParseError: Error, Equatable {
        case eventTooLarge(limit: Int)
    }

    /// Consumes `bytes` and returns every event they complete.
    public mutating func parse(_ bytes: some Collection<UInt8>) throws(ParseError) -> [ServerSentEvent] {
        try parseRaw(bytes).map(\.decoded)
    }

    /// Like `parse`, with each event's data left as bytes (no text decoding): for relaying.
    public mutating func parseRaw(_ bytes: some Collection<UInt8>) throws(ParseError) -> [RawServerSentEvent] {
        if let array = bytes as? [UInt8] { return try parseBytes(array[...]) }
        return try parseBytes(Array(bytes)[...])
    }

    /// Like `parseRaw`, but stops after the first whole line that leaves nothing of a line or an
    /// event pending (`atEventBoundary`): the events so far, and where it stopped (the slice's
    /// end when it read everything). A caller that reads whole events itself takes over there.
    public mutating func parseRawToBoundary(_ bytes: ArraySlice<UInt8>) throws(ParseError) -> (events: [RawServerSentEvent], end: Int) {
        var end = bytes.endIndex
        let events = try parseBytes(bytes, stoppingAt: &end, stopsAtBoundary: true)
        return (events, end)
    }

    private mutating func parseBytes(_ bytes: ArraySlice<UInt8>) throws(ParseError) -> [RawServerSentEvent] {
        var ignored = bytes.endIndex
        return try parseBytes(bytes, stoppingAt: &ignored, stopsAtBoundary: false)
    }

    /// The scanning loop, on contiguous bytes: whole lines are found with one search each and
    /// handled from the buffer itself; only a line split across buffers is copied. With
    /// `stopsAtBoundary`, it ends after a whole line that leaves nothing pending, `stop` then
    /// the index of the next byte.
    private mutating func parseBytes(
        _ bytes: ArraySlice<UInt8>, stoppingAt stop: inout Int, stopsAtBoundary: Bool
    ) throws(ParseError) -> [RawServerSentEvent] {
        var events: [RawServerSentEvent] = []
        var index = bytes.startIndex
        while atStreamStart, index < bytes.endIndex {
            let byte = bytes[index]
            if byte == Self.byteOrderMark[byteOrderMarkMatched] {
                byteOrderMarkMatched += 1
                index += 1
                if byteOrderMarkMatched == Self.byteOrderMark.count { endStreamStart(keepingMatchedBytes: false) }
                continue
            }
            // Not a BOM after all: the bytes matched so far are ordinary line bytes.
            endStreamStart(keepingMatchedBytes: true)
        }
        while index < bytes.endIndex {
            if skipLineFeed {
                skipLineFeed = false
                if bytes[index] == 0x0A {
                    index += 1
                    continue
                }
            }
            let end = Self.lineEnd(in: bytes, from: index)
            guard end < bytes.endIndex else {
                line.append(contentsOf: bytes[index..<end])
                if line.count + dataCount > maxEventBytes { throw .eventTooLarge(limit: maxEventBytes) }
                break
            }
            if bytes[end] == 0x0D { skipLineFeed = true }
            if line.isEmpty {
                processLine(bytes[index..<end], into: &events)
            } else {
                line.append(contentsOf: bytes[index..<end])
                let whole = line
                line.removeAll(keepingCapacity: true)
                processLine(whole[...], into: &events)
            }
            if dataCount > maxEventBytes { throw .eventTooLarge(limit: maxEventBytes) }
            index = end + 1
            if stopsAtBoundary && holdsNothing {
                stop = index
                return events
            }
        }
        stop = bytes.endIndex
        return events
    }

    /// The index of the first CR or LF at or after `start`, or `bytes.endIndex`.
    private static func lineEnd(in bytes: ArraySlice<UInt8>, from start: Int) -> Int {
        bytes.withUnsafeBufferPointer { buffer in bytes.startIndex + lineEnd(in: buffer, from: start - bytes.startIndex) }
    }

    /// The offset of the first CR or LF at or after `start`, or `buffer.count`: where a line
    /// that starts at `start` ends.
    public static func lineEnd(in buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var offset = WordScan.skip(buffer, from: start) { WordScan.has($0, 0x0A) || WordScan.has($0, 0x0D) }
        while offset < buffer.count, buffer[offset] != 0x0A, buffer[offset] != 0x0D { offset += 1 }
        return offset
    }

    /// Ends the stream: an unterminated last line is taken as a line, and a pending event with
    /// data is dispatched (lenient towards peers that omit the final blank line).
    public mutating func finish() -> [ServerSentEvent] {
        finishRaw().map(\.decoded)
    }

    /// Like `finish`, with each event's data left as bytes.
    public mutating func finishRaw() -> [RawServerSentEvent] {
        var events: [RawServerSentEvent] = []
        if atStreamStart { endStreamStart(keepingMatchedBytes: true) }
        if !line.isEmpty {
            let whole = line
            line.removeAll()
            processLine(whole[...], into: &events)
        }
        dispatch(into: &events)
        return events
    }

    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    private mutating func endStreamStart(keepingMatchedBytes: Bool) {
        if keepingMatchedBytes { line.append(contentsOf: Self.byteOrderMark.prefix(byteOrderMarkMatched)) }
        atStreamStart = false
        byteOrderMarkMatched = 0
    }

    /// Handles one line; a blank one dispatches the pending event into `events` (appended in
    /// place: an event handed back through an optional was copied, a retain per member).
    private mutating func processLine(_ line: ArraySlice<UInt8>, into events: inout [RawServerSentEvent]) {
        if line.isEmpty { return dispatch(into: &events) }
        if line[line.startIndex] == 0x3A { return }  // comment
        let field: ArraySlice<UInt8>
        var value: ArraySlice<UInt8>
        if let colon = line.firstIndex(of: 0x3A) {
            field = line[..<colon]
            value = line[(colon + 1)...]
            if value.first == 0x20 { value = value.dropFirst() }
        } else {
            field = line
            value = []
        }
        // The field's name compared as bytes: no string made, none compared.
        switch Self.fieldKind(field) {
        case .data:
            if !hasData {
                dataLine = value
            } else {
                if let first = dataLine {
                    joinedData = Array(first)
                    dataLine = nil
                }
                joinedData.append(0x0A)
                joinedData.append(contentsOf: value)
            }
            hasData = true
        case .event:
            eventType = Self.knownEventType(value) ?? String(decoding: value, as: UTF8.self)
        case .id:
            if !value.contains(0) { lastEventID = String(decoding: value, as: UTF8.self) }
        case .retry:
            if !value.isEmpty, value.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                retry = Int(String(decoding: value, as: UTF8.self))
            }
        case nil:
            break
        }
    }

    private enum Field {
        case data, event, id, retry
    }

    private static func fieldKind(_ name: ArraySlice<UInt8>) -> Field? {
        switch name.count {
        case 4: return equals(name, "data") ? .data : nil
        case 5: return equals(name, "event") ? .event : equals(name, "retry") ? .retry : nil
        case 2: return equals(name, "id") ? .id : nil
        default: return nil
        }
    }

    /// `bytes` are `literal`'s UTF-8, byte for byte.
    @inline(__always)
    private static func equals(_ bytes: ArraySlice<UInt8>, _ literal: StaticString) -> Bool {
        literal.withUTF8Buffer { known in
            guard known.count == bytes.count else { return false }
            var index = bytes.startIndex
            for byte in known {
                if bytes[index] != byte { return false }
                index += 1
            }
            return true
        }
    }

    /// The event names providers send on every event (Anthropic's, mostly), as the literals
    /// they equal: a literal costs no allocation, a name made from the bytes does. Compared as
    /// bytes, by length first.
    private static func knownEventType(_ value: ArraySlice<UInt8>) -> String? {
        switch value.count {
        case 19:
            if equals(value, "content_block_delta") { return "content_block_delta" }
            if equals(value, "content_block_start") { return "content_block_start" }
        case 18: if equals(value, "content_block_stop") { return "content_block_stop" }
        case 13:
            if equals(value, "message_start") { return "message_start" }
            if equals(value, "message_delta") { return "message_delta" }
        case 12: if equals(value, "message_stop") { return "message_stop" }
        case 4: if equals(value, "ping") { return "ping" }
        case 5: if equals(value, "error") { return "error" }
        case 7: if equals(value, "message") { return "message" }
        case 10: if equals(value, "completion") { return "completion" }
        default: break
        }
        return nil
    }

    /// How many bytes of data the pending event holds.
    private var dataCount: Int { dataLine?.count ?? joinedData.count }

    /// Appends the pending event, if it has data, and starts the next one. Its data and name
    /// are moved out, not copied.
    private mutating func dispatch(into events: inout [RawServerSentEvent]) {
        let name = eventType.take()
        let line = dataLine.take()
        // The event takes the joined buffer; the next one starts a new one.
        var joined: [UInt8] = []
        swap(&joined, &joinedData)
        guard hasData else { return }
        hasData = false
        // Appended without its name and data, which are then moved into it: one retain less per
        // event than building it whole (measured). The append itself still copies the event.
        events.append(RawServerSentEvent(data: [], id: lastEventID, retry: retry))
        let last = events.count - 1
        if let name, !name.isEmpty { events[last].event = name }
        events[last].data = line ?? joined[...]
    }

    /// Whether the bytes that follow, the first of them `first`, start a new line of a new event
    /// with nothing pending: nothing of a line, an event's fields or a CR's line feed. A caller
    /// that recognises whole events itself may then read them from its bytes and give the
    /// parser only the rest. At the stream's start, a `first` that cannot begin a BOM settles it.
    public mutating func atEventBoundary(next first: UInt8) -> Bool {
        if atStreamStart {
            guard byteOrderMarkMatched == 0, first != Self.byteOrderMark[0] else { return false }
            endStreamStart(keepingMatchedBytes: false)
        }
        return holdsNothing
    }

    /// Nothing of a line, an event's fields or a CR's line feed is pending.
    private var holdsNothing: Bool { line.isEmpty && !hasData && eventType == nil && !skipLineFeed }
}

/// A server-sent event whose data is still bytes: for a one-line `data:` field, a slice of the
/// bytes the parser was given (it keeps them alive; nothing is copied).
public struct RawServerSentEvent: Sendable, Hashable {
    public var event: String?
    public var data: ArraySlice<UInt8>
    public var id: String?
    public var retry: Int?

    public init(event: String? = nil, data: ArraySlice<UInt8>, id: String? = nil, retry: Int? = nil) {
        self.event = event
        self.data = data
        self.id = id
        self.retry = retry
    }

    /// OpenAI's end-of-stream marker, `data: [DONE]`.
    public var isDone: Bool { data.elementsEqual("[DONE]".utf8) }

    /// The event with its data decoded as UTF-8 text.
    public var decoded: ServerSentEvent {
        ServerSentEvent(event: event, data: String(decoding: data, as: UTF8.self), id: id, retry: retry)
    }
}
