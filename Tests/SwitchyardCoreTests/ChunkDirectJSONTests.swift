import SwitchyardCore
import Testing

/// The direct writer of the usual chunk must say exactly what the Codable encoder says.
@Suite("ChatChunk direct JSON")
struct ChunkDirectJSONTests {
    static let chunks: [ChatChunk] = [
        ChatChunk(id: "chatcmpl-1", created: 1_700_000_000, model: "gpt-4o", choices: [.init(index: 0, delta: .init(role: .assistant, content: ""))]),
        ChatChunk(id: "msg_01", created: 0, model: "claude-sonnet-4-5", choices: [.init(index: 0, delta: .init(content: "He said \"hi\"\n\t\\ ünïcödé 🚀 \u{1}"))]),
        ChatChunk(id: "x", created: 5, model: "m", choices: [.init(index: 2, delta: .init(), finishReason: "stop")], systemFingerprint: "fp_1"),
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
        #expect(ChatChunk(id: "a", created: 0, model: "m", choices: [], usage: Usage(promptTokens: 1, completionTokens: 1)).directJSON == nil)
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
}
