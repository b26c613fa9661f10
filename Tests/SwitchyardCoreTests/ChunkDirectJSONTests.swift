import SwitchyardCore
import Testing

/// The direct writer of the usual chunk must say exactly what the Codable encoder says.
@Suite("ChatChunk direct JSON")
struct ChunkDirectJSONTests {
    static let chunks: [ChatChunk] = [
        ChatChunk(id: "chatcmpl-1", created: 1_700_000_000, model: "gpt-4o", choices: [.init(index: 0, delta: .init(role: .assistant, content: ""))]),
        ChatChunk(id: "msg_01", created: 0, model: "claude-sonnet-4-5", choices: [.init(index: 0, delta: .init(content: "He said \"hi\"\n\t\\ ünïcödé 🚀 \u{1}"))]),
        ChatChunk(id: "x", created: 5, model: "m", choices: [.init(index: 2, delta: .init(), finishReason: "stop")], systemFingerprint: "fp_1"),
        ChatChunk(id: "msg_01", created: 0, model: "claude", choices: [], usage: Usage(promptTokens: 48, completionTokens: 20)),
        ChatChunk(id: "u", created: 7, model: "m", choices: [], usage: Usage(promptTokens: 1, completionTokens: 2), systemFingerprint: "fp_2"),
    ]

    @Test("the usual chunks: the same JSON as the Codable encoder", arguments: chunks)
    func same(_ chunk: ChatChunk) throws {
        let direct = try #require(chunk.directJSON)
        let viaDirect = try JSONCoding.decode(JSONValue.self, from: direct)
        let viaCodable = try JSONCoding.decode(JSONValue.self, from: try JSONCoding.encode(chunk))
        #expect(viaDirect == viaCodable)
        #expect(try JSONCoding.decode(ChatChunk.self, from: direct) == chunk)
    }

    @Test("other shapes are left to the Codable encoder")
    func others() {
        let call = ToolCall(index: 0, id: "c", type: "function", function: .init(name: "f", arguments: "{}"))
        #expect(ChatChunk(id: "a", created: 0, model: "m", choices: [.init(index: 0, delta: .init(toolCalls: [call]))]).directJSON == nil)
        let detailed = Usage(promptTokens: 10, completionTokens: 1, promptTokensDetails: .init(cachedTokens: 8))
        #expect(ChatChunk(id: "a", created: 0, model: "m", choices: [], usage: detailed).directJSON == nil)
        #expect(ChatChunk(id: "a", created: 0, model: "m", choices: [], usage: Usage(promptTokens: 1, completionTokens: 1, extra: ["x": 1])).directJSON == nil)
        #expect(ChatChunk(id: "a", created: 0, model: "m", choices: [.init(index: 0, delta: .init(reasoningContent: "r"))]).directJSON == nil)
    }

    @Test("chunks appended as SSE events share one buffer: each event is the chunk, direct or through Codable")
    func sseFrames() throws {
        let call = ToolCall(index: 0, id: "c", type: "function", function: .init(name: "f", arguments: "{}"))
        let all = Self.chunks + [ChatChunk(id: "a", created: 0, model: "m", choices: [.init(index: 0, delta: .init(toolCalls: [call]))])]
        var bytes: [UInt8] = Array("already here".utf8)
        for chunk in all { chunk.appendSSEFrame(to: &bytes) }
        #expect(bytes.starts(with: Array("already heredata: {".utf8)))
        var parser = ServerSentEventParser()
        let events = try parser.parseRaw(Array(bytes.dropFirst("already here".utf8.count)))
        #expect(events.count == all.count)
        for (event, chunk) in zip(events, all) {
            #expect(try JSONCoding.decode(ChatChunk.self, from: Array(event.data)) == chunk)
        }
        #expect(bytes.suffix(2) == [0x0A, 0x0A])
    }

    @Test("a text delta written from its JSON literal: the chunk's own event, byte for byte, or the same JSON when escaped otherwise")
    func contentEvents() throws {
        for text in ["", "A reverse proxy", "He said \"hi\"\n\t\\ ünïcödé 🚀 \u{1}"] {
            let chunk = ChatChunk(id: "msg_01", created: 1_700_000_000, model: "claude-sonnet-4-5", choices: [.init(index: 0, delta: .init(content: text))])
            var viaChunk: [UInt8] = []
            chunk.appendSSEFrame(to: &viaChunk)
            var viaLiteral: [UInt8] = []
            let opening = ChatChunk.contentEventOpening(id: "msg_01", created: 1_700_000_000, model: "claude-sonnet-4-5")
            ChatChunk.appendContentEvent(literal: JSONStrings.quoted(text)[...], opening: opening, to: &viaLiteral)
            #expect(viaLiteral == viaChunk, "\(text)")
        }
        var escaped: [UInt8] = []
        let opening = ChatChunk.contentEventOpening(id: "i", created: 3, model: "m")
        ChatChunk.appendContentEvent(literal: Array(#""caf\u00e9 \/ \"q\"""#.utf8)[...], opening: opening, to: &escaped)
        var parser = ServerSentEventParser()
        let events = try parser.parseRaw(escaped)
        #expect(events.count == 1)
        let decoded = try JSONCoding.decode(ChatChunk.self, from: Array(try #require(events.first).data))
        #expect(decoded == ChatChunk(id: "i", created: 3, model: "m", choices: [.init(index: 0, delta: .init(content: "café / \"q\""))]))
    }
}
