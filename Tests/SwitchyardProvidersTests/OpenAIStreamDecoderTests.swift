import SwitchyardCore
import SwitchyardProviders
import Testing

@Suite("OpenAIStreamDecoder")
struct OpenAIStreamDecoderTests {
    static let chunkFixtures = ["chunks_stream.jsonl", "chunks_tool_calls.jsonl", "chunks_logprobs.jsonl", "chunks_refusal_logprobs.jsonl", "chunks_function_call.jsonl"]

    /// The fixture's chunks as OpenAI streams them, ended by `[DONE]`.
    static func sse(_ name: String, done: Bool = true) throws -> [UInt8] {
        var stream: [UInt8] = []
        for line in try OpenAIFixtures.lines(name) { stream += ServerSentEvent.encodeData(line) }
        if done { stream += ServerSentEvent.done.encoded }
        return stream
    }

    static func decodeAll(_ pieces: [[UInt8]], provider: String = "openai") throws -> (chunks: [ChatChunk], decoder: OpenAIStreamDecoder) {
        var decoder = OpenAIStreamDecoder(provider: provider)
        var chunks: [ChatChunk] = []
        for piece in pieces { chunks += try decoder.decode(piece) }
        chunks += try decoder.finish()
        return (chunks, decoder)
    }

    @Test("fixture streams fed in small pieces give the fixture's chunks", arguments: chunkFixtures)
    func fixtureStreamsInSmallPieces(name: String) throws {
        let expected = try OpenAIFixtures.lines(name).map { try JSONCoding.decode(ChatChunk.self, from: $0) }
        let stream = try Self.sse(name)
        for (index, maxPiece) in [1, 3, 17, 256].enumerated() {
            let (chunks, decoder) = try Self.decodeAll(randomSplits(stream, maxPiece: maxPiece, seed: UInt64(index + 1)))
            #expect(chunks == expected, "\(name) in pieces of at most \(maxPiece) bytes")
            #expect(decoder.isComplete)
        }
    }

    @Test func doneSetsIsCompleteAndLaterBytesAreIgnored() throws {
        var decoder = OpenAIStreamDecoder(provider: "openai")
        let lines = try OpenAIFixtures.lines("chunks_stream.jsonl")
        #expect(try decoder.decode(ServerSentEvent.encodeData(lines[0])).count == 1)
        #expect(!decoder.isComplete)
        #expect(try decoder.decode(ServerSentEvent.done.encoded).isEmpty)
        #expect(decoder.isComplete)
        // Anything after [DONE] — even an error — is ignored.
        #expect(try decoder.decode(ServerSentEvent.encodeData(lines[1])).isEmpty)
        #expect(try decoder.decode(bytes("data: {\"error\":{\"message\":\"late\"}}\n\n")).isEmpty)
        #expect(try decoder.finish().isEmpty)
    }

    @Test func commentsPingsAndEmptyEventsAreSkipped() throws {
        let line = try OpenAIFixtures.lines("chunks_stream.jsonl")[1]
        let stream = bytes(": OPENROUTER PROCESSING\n\nevent: ping\ndata: {\"type\":\"ping\"}\n\ndata:\n\n") + ServerSentEvent.encodeData(line) + ServerSentEvent.done.encoded
        let (chunks, decoder) = try Self.decodeAll([stream])
        #expect(chunks.count == 1)
        #expect(chunks[0].choices[0].delta.content == "Hello")
        #expect(decoder.isComplete)
    }

    @Test func errorEventThrowsTheClassifiedFailure() throws {
        var decoder = OpenAIStreamDecoder(provider: "openai")
        let first = try OpenAIFixtures.lines("chunks_stream.jsonl")[0]
        #expect(try decoder.decode(ServerSentEvent.encodeData(first)).count == 1)
        let error = bytes(#"data: {"error":{"message":"Rate limit reached for gpt-4o in organization org-x on tokens per min.","type":"tokens","param":null,"code":"rate_limit_exceeded"}}"# + "\n\n")
        let thrown = try #require(failure { try decoder.decode(error) })
        #expect(thrown.kind == .rateLimited)
        #expect(thrown.provider == "openai")
        #expect(thrown.message.hasPrefix("Rate limit reached"))
    }

    @Test("in-stream errors are classified like HTTP errors", arguments: [
        (#"{"error":{"message":"The server had an error while processing your request.","type":"server_error","param":null,"code":null}}"#, UpstreamFailure.Kind.server),
        (#"{"error":{"message":"This model's maximum context length is 8192 tokens.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}"#, .contextWindowExceeded),
        (#"{"error":{"message":"Output blocked by content filtering policy.","type":"invalid_request_error","code":"content_filter"}}"#, .contentPolicy),
        (#"{"error":{"message":"Overloaded","type":"overloaded_error"}}"#, .server),
        (#"{"error":{"message":"upstream timed out","code":504}}"#, .timeout),
        (#"{"error":{"message":"slow down","status":429}}"#, .rateLimited),
        (#"{"error":"plain text failure"}"#, .server),
    ])
    func inStreamErrorKinds(payload: String, kind: UpstreamFailure.Kind) throws {
        var decoder = OpenAIStreamDecoder(provider: "groq")
        let thrown = try #require(failure { try decoder.decode(bytes("data: \(payload)\n\n")) })
        #expect(thrown.kind == kind, "\(payload)")
        #expect(thrown.provider == "groq")
    }

    @Test func streamEndingWithoutDoneOrFinishReasonThrowsConnection() throws {
        let lines = try OpenAIFixtures.lines("chunks_stream.jsonl")
        var decoder = OpenAIStreamDecoder(provider: "openai")
        var stream: [UInt8] = []
        for line in lines.prefix(4) { stream += ServerSentEvent.encodeData(line) }
        #expect(try decoder.decode(stream).count == 4)
        let thrown = try #require(failure { try decoder.finish() })
        #expect(thrown.kind == .connection)
        #expect(thrown.isTransient)
        #expect(thrown.provider == "openai")
    }

    @Test func streamEndingAfterFinishReasonWithoutDoneIsAccepted() throws {
        // Some OpenAI-compatible servers close after the finish chunk without [DONE].
        let (chunks, decoder) = try Self.decodeAll([Self.sse("chunks_stream.jsonl", done: false)])
        #expect(chunks.count == 12)
        #expect(!decoder.isComplete)
    }

    @Test func unterminatedLastEventIsDecodedAtFinish() throws {
        let lines = try OpenAIFixtures.lines("chunks_stream.jsonl")
        var decoder = OpenAIStreamDecoder(provider: "openai")
        #expect(try decoder.decode(bytes("data: ") + lines[0] + bytes("\n\ndata: [DONE]")).count == 1)
        #expect(!decoder.isComplete)
        #expect(try decoder.finish().isEmpty)
        #expect(decoder.isComplete)
    }

    @Test func unreadableEventIsAConnectionFailure() throws {
        var decoder = OpenAIStreamDecoder(provider: "openai")
        let thrown = try #require(failure { try decoder.decode(bytes("data: {\"id\": \"broken\", \"choices\": [\n\n")) })
        #expect(thrown.kind == .connection)
        #expect(thrown.message.contains("broken"))
    }
}
