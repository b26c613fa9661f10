import Foundation
import SwitchyardCore
import Testing

/// The SSE parser must give the same events however the bytes are cut by the network.
@Suite("ServerSentEventParser")
struct ServerSentEventParserTests {
    /// A realistic OpenAI stream: every fixture chunk as a `data:` event, with a comment, a
    /// named event with an id, a multi-line event, and `[DONE]`.
    static func realStream(lineBreak: String = "\n") throws -> [UInt8] {
        var text = ": keep-alive\n\n"
        for line in try Fixtures.lines("chunks_stream.jsonl") {
            text += "data: " + String(decoding: line, as: UTF8.self) + "\n\n"
        }
        text += "event: ping\nid: 17\ndata: {}\n\n"
        text += "data: first line\ndata: second line\n\n"
        text += "data: [DONE]\n\n"
        return Array(text.replacingOccurrences(of: "\n", with: lineBreak).utf8)
    }

    static func parseAll(_ pieces: [[UInt8]]) throws -> [ServerSentEvent] {
        var parser = ServerSentEventParser()
        var events: [ServerSentEvent] = []
        for piece in pieces { events += try parser.parse(piece) }
        events += parser.finish()
        return events
    }

    static func parse(_ text: String) throws -> [ServerSentEvent] {
        try parseAll([Array(text.utf8)])
    }

    @Test func parsesTheRealStreamInOneBuffer() throws {
        let events = try Self.parseAll([Self.realStream()])
        #expect(events.count == 12 + 3)
        let chunks = try events.prefix(12).map { try JSON.decode(ChatChunk.self, $0.data) }
        #expect(chunks.flatMap(\.choices).compactMap(\.delta.content).joined() == "Hello! How can I assist you today?")
        #expect(events[12] == ServerSentEvent(event: "ping", data: "{}", id: "17"))
        #expect(events[13].data == "first line\nsecond line")
        #expect(events[14].isDone)
        #expect(events.dropLast().allSatisfy { !$0.isDone })
    }

    @Test func byteByByteGivesTheSameEvents() throws {
        let stream = try Self.realStream()
        let whole = try Self.parseAll([stream])
        let single = try Self.parseAll(stream.map { [$0] })
        #expect(single == whole)
    }

    @Test("random splits give the same events", arguments: [1, 2, 3, 5, 8, 13, 21, 34, 55, 89] as [UInt64])
    func randomSplitsGiveTheSameEvents(seed: UInt64) throws {
        let stream = try Self.realStream()
        let whole = try Self.parseAll([stream])
        let pieces = randomSplits(stream, maxPiece: 64, seed: seed)
        #expect(pieces.count > 1)
        #expect(try Self.parseAll(pieces) == whole)
    }

    @Test("CRLF and CR line breaks give the same events, whole and byte by byte", arguments: ["\r\n", "\r"])
    func otherLineBreaks(lineBreak: String) throws {
        let expected = try Self.parseAll([Self.realStream()])
        let stream = try Self.realStream(lineBreak: lineBreak)
        #expect(try Self.parseAll([stream]) == expected)
        #expect(try Self.parseAll(stream.map { [$0] }) == expected)
        #expect(try Self.parseAll(randomSplits(stream, maxPiece: 7, seed: 99)) == expected)
    }

    @Test func crlfSplitBetweenBuffersIsOneLineBreak() throws {
        var parser = ServerSentEventParser()
        // If the split CRLF counted twice, the LF would be a blank line and dispatch "a" early,
        // and "b" would become a second event.
        #expect(try parser.parse(Array("data: a\r".utf8)).isEmpty)
        #expect(try parser.parse(Array("\ndata: b\r".utf8)).isEmpty)
        let events = try parser.parse(Array("\n\r\n".utf8))
        #expect(events == [ServerSentEvent(data: "a\nb")])
    }

    @Test func mixedLineBreaksInOneStream() throws {
        let events = try Self.parse("data: a\r\ndata: b\rdata: c\n\r\ndata: d\r\r")
        #expect(events.map(\.data) == ["a\nb\nc", "d"])
    }

    @Test func commentsAreIgnored() throws {
        let events = try Self.parse(": this is a comment\n:another\ndata: x\n: mid-event comment\ndata: y\n\n:\n\n")
        #expect(events == [ServerSentEvent(data: "x\ny")])
    }

    @Test func multiLineDataIsJoinedWithNewlines() throws {
        let events = try Self.parse("data: {\ndata:   \"a\": 1\ndata: }\n\n")
        #expect(events.map(\.data) == ["{\n  \"a\": 1\n}"])
        // An empty data line contributes an empty line.
        #expect(try Self.parse("data: a\ndata:\ndata: b\n\n").map(\.data) == ["a\n\nb"])
        // A `data` field without a colon is an empty data line.
        #expect(try Self.parse("data\n\n").map(\.data) == [""])
    }

    @Test func eventAndIDFields() throws {
        let events = try Self.parse("event: message_start\nid: abc\ndata: 1\n\ndata: 2\n\nevent: \ndata: 3\n\n")
        #expect(events.count == 3)
        #expect(events[0] == ServerSentEvent(event: "message_start", data: "1", id: "abc"))
        // The event type resets after each dispatch; the last event id persists (WHATWG).
        #expect(events[1].event == nil)
        #expect(events[1].id == "abc")
        // An empty event type means the default type.
        #expect(events[2].event == nil)
        // retry: digits only.
        #expect(try Self.parse("retry: 1500\ndata: x\n\n").first?.retry == 1500)
        #expect(try Self.parse("retry: 15s\ndata: x\n\n").first?.retry == nil)
        // Unknown fields are ignored.
        #expect(try Self.parse("foo: bar\ndata: x\n\n") == [ServerSentEvent(data: "x")])
    }

    @Test func onlyOneLeadingSpaceIsStripped() throws {
        #expect(try Self.parse("data:x\n\n").map(\.data) == ["x"])
        #expect(try Self.parse("data: x\n\n").map(\.data) == ["x"])
        #expect(try Self.parse("data:  x\n\n").map(\.data) == [" x"])
        #expect(try Self.parse("data:\tx\n\n").map(\.data) == ["\tx"])
        #expect(try Self.parse("event:  spaced\ndata: x\n\n").first?.event == " spaced")
        #expect(try Self.parse("data: trailing  \n\n").map(\.data) == ["trailing  "])
    }

    @Test func leadingByteOrderMarkIsSkipped() throws {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let body = Array("data: x\n\n".utf8)
        let expected = [ServerSentEvent(data: "x")]
        #expect(try Self.parseAll([bom + body]) == expected)
        // The BOM may arrive cut across buffers, as any other bytes.
        #expect(try Self.parseAll((bom + body).map { [$0] }) == expected)
        #expect(try Self.parseAll([[0xEF], [0xBB, 0xBF] + body]) == expected)
        #expect(try Self.parseAll([[0xEF, 0xBB], [0xBF], body]) == expected)
        // Only at the very start: a BOM later is data.
        let later = try Self.parseAll([body + bom + body])
        #expect(later.count == 1)
        // ...and a second BOM at the start is not skipped (the line's field name is then unknown).
        #expect(try Self.parseAll([bom + bom + body]).isEmpty)
    }

    @Test func doneIsDetected() throws {
        #expect(try Self.parse("data: [DONE]\n\n").first?.isDone == true)
        #expect(try Self.parse("data:[DONE]\n\n").first?.isDone == true)
        #expect(try Self.parse("data: [DONE] \n\n").first?.isDone == false)
        #expect(try Self.parse("data: {\"done\":true}\n\n").first?.isDone == false)
        #expect(ServerSentEvent.done.isDone)
    }

    @Test func finishDispatchesAnUnterminatedLastEvent() throws {
        var parser = ServerSentEventParser()
        #expect(try parser.parse(Array("data: one\n\ndata: tail".utf8)) == [ServerSentEvent(data: "one")])
        #expect(parser.finish() == [ServerSentEvent(data: "tail")])

        var missingBlankLine = ServerSentEventParser()
        #expect(try missingBlankLine.parse(Array("data: a\ndata: b\n".utf8)).isEmpty)
        #expect(missingBlankLine.finish() == [ServerSentEvent(data: "a\nb")])

        var crTerminated = ServerSentEventParser()
        #expect(try crTerminated.parse(Array("data: z\r".utf8)).isEmpty)
        #expect(crTerminated.finish() == [ServerSentEvent(data: "z")])

        // Nothing pending, or only fields without data: nothing to dispatch.
        var empty = ServerSentEventParser()
        #expect(try empty.parse(Array("data: a\n\n".utf8)).count == 1)
        #expect(empty.finish().isEmpty)
        var noData = ServerSentEventParser()
        #expect(try noData.parse(Array("event: x\nid: 3\n".utf8)).isEmpty)
        #expect(noData.finish().isEmpty)
    }

    @Test func eventTooLargeIsAnError() throws {
        var parser = ServerSentEventParser(maxEventBytes: 64)
        #expect(try parser.parse(Array("data: \(String(repeating: "a", count: 40))\n\n".utf8)).count == 1)
        #expect(throws: ServerSentEventParser.ParseError.eventTooLarge(limit: 64)) {
            _ = try parser.parse(Array("data: \(String(repeating: "b", count: 100))".utf8))
        }
        // Many small lines that never dispatch are bounded too.
        var lines = ServerSentEventParser(maxEventBytes: 64)
        #expect(throws: ServerSentEventParser.ParseError.eventTooLarge(limit: 64)) {
            for _ in 0..<100 { _ = try lines.parse(Array("data: 0123456789\n".utf8)) }
        }
    }

    @Test("a one-line event's raw data is a slice of the bytes given, not a copy; joined or split data is its own, and equal")
    func rawDataSharesTheReadBuffer() throws {
        let input = Array("event: e\ndata: {\"a\":1}\n\ndata: one\ndata: two\n\ndata: spl".utf8)
        var parser = ServerSentEventParser()
        let events = try parser.parseRaw(input)
        try #require(events.count == 2)
        let inside = input.withUnsafeBufferPointer { buffer in
            events[0].data.withUnsafeBufferPointer { data in
                guard let base = buffer.baseAddress, let start = data.baseAddress else { return false }
                return start >= base && start < base + buffer.count
            }
        }
        #expect(inside, "the first event's data points into the input")
        #expect(Array(events[0].data) == Array(#"{"a":1}"#.utf8))
        #expect(events[0].event == "e")
        #expect(Array(events[1].data) == Array("one\ntwo".utf8))
        let rest = try parser.parseRaw(Array("it\n\n".utf8)) + parser.finishRaw()
        #expect(rest.map { Array($0.data) } == [Array("split".utf8)])
    }

    @Test("parsing to a boundary stops after a line that leaves nothing pending, and the rest parsed on gives the same events, however the stream is cut")
    func toBoundary() throws {
        let stream = try Self.realStream() + Array(": note\r\nevent: ping\r\ndata: {}\r\n\r\ndata: tail\n\n".utf8)
        let whole = try Self.parseAll([stream])
        for cut in 0...stream.count {
            var parser = ServerSentEventParser()
            var events = try parser.parseRaw(Array(stream[..<cut])).map(\.decoded)
            let rest = Array(stream[cut...])
            var position = 0
            var stops: [Int] = []
            while position < rest.count {
                let (found, end) = try parser.parseRawToBoundary(rest[position...])
                #expect(end > position, "no progress at \(cut)+\(position)")
                events += found.map(\.decoded)
                stops.append(end)
                position = end
            }
            events += parser.finish()
            #expect(events == whole, "cut at \(cut)")
            // Every stop but the last is just after a line end, with nothing of an event pending.
            for stop in stops.dropLast() {
                #expect(rest[stop - 1] == 0x0A || rest[stop - 1] == 0x0D, "cut at \(cut), stop at \(stop)")
            }
        }
        // A named event is pending until its blank line: no stop inside it.
        var parser = ServerSentEventParser()
        let named = Array("event: ping\ndata: {}\n\ndata: x\n\n".utf8)
        let (first, end) = try parser.parseRawToBoundary(named[...])
        #expect(first.map(\.event) == ["ping"])
        #expect(end == "event: ping\ndata: {}\n\n".utf8.count)
    }

    @Test("field names are matched exactly by their bytes; event names, known or not, come back as sent")
    func fieldAndEventNames() throws {
        let names = [
            "content_block_delta", "content_block_start", "content_block_stop", "message_start", "message_delta", "message_stop",
            "ping", "error", "message", "completion", "content_block_deltb", "messages", "Ping", "x", "message_delta_",
        ]
        let text = names.map { "event: \($0)\ndata: 1\n\n" }.joined()
        #expect(try Self.parse(text).map { $0.event } == names.map { Optional($0) })
        // Near misses of the four field names are other fields, ignored.
        let ignored = try Self.parse("Data: 1\ndata2: 2\nevents: x\nEvent: y\nid2: 3\nretryy: 4\nda: 5\ndata: kept\n\n")
        #expect(ignored == [ServerSentEvent(event: nil, data: "kept")])
    }
}

@Suite("ServerSentEvent.encoded")
struct ServerSentEventEncodingTests {
    static let samples: [ServerSentEvent] = [
        ServerSentEvent(data: #"{"id":"chatcmpl-1","choices":[]}"#),
        ServerSentEvent(event: "content_block_delta", data: "line one\nline two\n\nline four", id: "42", retry: 3000),
        ServerSentEvent(data: ""),
        ServerSentEvent(data: "ends with a newline\n"),
        ServerSentEvent(data: "\nstarts with a newline"),
        ServerSentEvent(data: "  two leading spaces"),
        ServerSentEvent(data: ": looks like a comment"),
        ServerSentEvent.done,
    ]

    @Test("encoded events parse back to the same event", arguments: samples)
    func encodedParsesBack(event: ServerSentEvent) throws {
        var parser = ServerSentEventParser()
        let parsed = try parser.parse(event.encoded)
        #expect(parsed == [event])
        #expect(parser.finish().isEmpty, "the encoding must end with the blank line that dispatches it")
    }

    @Test func encodedSequenceParsesBackInOrder() throws {
        let plain = Self.samples.filter { $0.id == nil && $0.retry == nil }
        var parser = ServerSentEventParser()
        let parsed = try parser.parse(plain.flatMap(\.encoded))
        #expect(parsed == plain)
    }

    @Test func encodedWireForm() {
        #expect(String(decoding: ServerSentEvent(data: "a\nb").encoded, as: UTF8.self) == "data: a\ndata: b\n\n")
        #expect(String(decoding: ServerSentEvent(event: "e", data: "x", id: "1").encoded, as: UTF8.self) == "event: e\nid: 1\ndata: x\n\n")
        #expect(String(decoding: ServerSentEvent.done.encoded, as: UTF8.self) == "data: [DONE]\n\n")
        #expect(String(decoding: ServerSentEvent.encodeData(Array("{}".utf8)), as: UTF8.self) == "data: {}\n\n")
    }

    @Test("event names come out as sent, the usual ones and any other")
    func eventNames() throws {
        let names = ["content_block_delta", "content_block_deltas", "content_block_delt", "message_stop", "ping", "Ping", "custom", "é"]
        var parser = ServerSentEventParser()
        let text = names.map { "event: \($0)\ndata: {}\n\n" }.joined()
        let events = try parser.parseRaw(Array(text.utf8))
        #expect(events.map(\.event) == names)
    }
}
