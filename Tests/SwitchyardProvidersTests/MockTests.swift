import Foundation
import SwitchyardCore
import SwitchyardProviders
import Testing

@Suite("MockDirective")
struct MockDirectiveTests {
    @Test func parsesEveryToken() {
        let (directive, unknown) = MockDirective.parse(
            "status=503;fail_first=2;retry_after=1.5;context_window;content_policy;latency_ms=250;chunk_delay_ms=20;die_after=3;hang;malformed;key=group-a")
        #expect(unknown.isEmpty)
        #expect(directive.status == 503)
        #expect(directive.failFirst == 2)
        #expect(directive.retryAfter == 1.5)
        #expect(directive.contextWindow)
        #expect(directive.contentPolicy)
        #expect(directive.latency == 0.25)
        #expect(directive.chunkDelay == 0.02)
        #expect(directive.dieAfter == 3)
        #expect(directive.hang)
        #expect(directive.malformed)
        #expect(directive.key == "group-a")
        #expect(!directive.isEmpty)
    }

    @Test func rateLimitIs429AndSeparatorsAndSpellingsAreLenient() {
        let (directive, unknown) = MockDirective.parse(" rate_limit , Retry-After=3 / FAIL-FIRST=1 ")
        #expect(unknown.isEmpty)
        #expect(directive.status == 429)
        #expect(directive.retryAfter == 3)
        #expect(directive.failFirst == 1)
    }

    @Test func emptyDirectiveChangesNothing() {
        let (directive, unknown) = MockDirective.parse("")
        #expect(directive.isEmpty && unknown.isEmpty)
        #expect(MockDirective.parse(";;").directive.isEmpty)
    }

    @Test func unknownTokensAreReported() {
        let (directive, unknown) = MockDirective.parse("status=500;staus=404;fail_first=two;hang=yes;rate_limit=5;explode")
        #expect(unknown == ["staus=404", "fail_first=two", "hang=yes", "rate_limit=5", "explode"])
        #expect(directive.status == 500)
        #expect(directive.failFirst.isAbsent)
        #expect(!directive.hang)
    }

    @Test func degenerateTokensAreReportedNotFatal() {
        #expect(MockDirective.parse("=").unknown == ["="])
        #expect(MockDirective.parse("==").unknown == ["=="])
        #expect(MockDirective.parse("=5;status=").unknown == ["=5", "status="])
        #expect(MockDirective.parse("key=").unknown == ["key="])
        #expect(MockDirective.parse("hang=").unknown == ["hang="])
    }

    @Test func outOfRangeNumbersAreReported() {
        let tokens = ["retry_after=inf", "retry_after=nan", "retry_after=1e30", "retry_after=-1", "latency_ms=-5", "status=42", "status=1000", "fail_first=-1", "die_after=-2", "die_after=9223372036854775807"]
        for token in tokens {
            #expect(MockDirective.parse(token).unknown == [token], "\(token)")
        }
        let responder = MockResponder()
        let reply = responder.respond(method: "POST", path: "/v1/chat/completions", headers: [MockResponder.directiveHeader: "rate_limit;retry_after=inf"], body: bytes(#"{"model":"m","messages":[{"role":"user","content":"x"}]}"#), now: 0)
        guard case .answer(let status, _, _, _, _) = reply else {
            Issue.record("expected an answer")
            return
        }
        #expect(status == 400)
    }

    @Test func liteLLMMagicMockResponses() {
        #expect(MockDirective.fromLiteLLMMockResponse("litellm.RateLimitError")?.status == 429)
        #expect(MockDirective.fromLiteLLMMockResponse("litellm.InternalServerError")?.status == 500)
        #expect(MockDirective.fromLiteLLMMockResponse("litellm.ContextWindowExceededError")?.contextWindow == true)
        #expect(MockDirective.fromLiteLLMMockResponse("litellm.ContentPolicyViolationError")?.contentPolicy == true)
        #expect(MockDirective.fromLiteLLMMockResponse("Exception: content_filter_policy")?.contentPolicy == true)
        #expect(MockDirective.fromLiteLLMMockResponse("litellm.Timeout")?.hang == true)
        #expect(MockDirective.fromLiteLLMMockResponse("Hello there").isAbsent)
    }
}

@Suite("MockResponder")
struct MockResponderTests {
    struct Answer {
        var status: Int
        var headers: HeaderFields
        var body: [UInt8]
        var delay: Double
        var truncateAt: Int?
        func json() throws -> JSONValue { try SwitchyardProvidersTests.json(body) }
    }

    static func chatBody(_ text: String = "hello there", extra: String = "") -> [UInt8] {
        bytes(#"{"model":"gpt-4o","messages":[{"role":"system","content":"sys"},{"role":"user","content":"\#(text)"}]\#(extra)}"#)
    }

    static func answer(_ reply: MockReply, sourceLocation: SourceLocation = #_sourceLocation) throws -> Answer {
        guard case .answer(let status, let headers, let body, let delay, let truncateAt) = reply else {
            Issue.record("expected a complete answer, got \(reply)", sourceLocation: sourceLocation)
            throw Unexpected()
        }
        return Answer(status: status, headers: headers, body: body, delay: delay, truncateAt: truncateAt)
    }

    struct Unexpected: Error {}

    static func post(_ responder: MockResponder, path: String = "/v1/chat/completions", body: [UInt8], fault: String? = nil) -> MockReply {
        var headers: HeaderFields = ["Content-Type": "application/json"]
        if let fault { headers.add(MockResponder.directiveHeader, fault) }
        return responder.respond(method: "POST", path: path, headers: headers, body: body, now: 1_700_000_000)
    }

    /// The chunks of a streamed reply, decoded as a client would, plus whether it ended in [DONE].
    static func streamedChunks(_ reply: MockReply) throws -> (chunks: [ChatChunk], events: [ServerSentEvent], complete: Bool) {
        guard case .stream(let headers, let events, _, _, let complete) = reply else {
            Issue.record("expected a stream, got \(reply)")
            throw Unexpected()
        }
        #expect(headers["Content-Type"] == "text/event-stream")
        var parser = ServerSentEventParser()
        let parsed = try parser.parse(events.flatMap { $0 }) + parser.finish()
        let chunks = try parsed.filter { !$0.isDone }.map { try JSONCoding.decode(ChatChunk.self, from: Array($0.data.utf8)) }
        return (chunks, parsed, complete)
    }

    // MARK: chat

    @Test func echoesTheLastUserMessage() throws {
        let answer = try Self.answer(Self.post(MockResponder(), body: Self.chatBody()))
        #expect(answer.status == 200)
        #expect(answer.headers["Content-Type"] == "application/json")
        let response = try JSONCoding.decode(ChatResponse.self, from: answer.body)
        #expect(response.choices[0].message.textContent == "Echo: hello there")
        #expect(response.choices[0].finishReason == "stop")
        #expect(response.model == "gpt-4o")
        #expect(response.created == 1_700_000_000)
        #expect(response.id.hasPrefix("chatcmpl-"))
        let usage = try #require(response.usage)
        #expect(usage.promptTokens > 0 && usage.completionTokens > 0)
        #expect(usage.totalTokens == usage.promptTokens + usage.completionTokens)
    }

    @Test func mockResponseIsTheAnswer() throws {
        let answer = try Self.answer(Self.post(MockResponder(), body: Self.chatBody(extra: #","mock_response":"fixed reply""#)))
        let response = try JSONCoding.decode(ChatResponse.self, from: answer.body)
        #expect(response.choices[0].message.textContent == "fixed reply")
    }

    @Test func liteLLMMagicStringsFail() throws {
        let limited = try Self.answer(Self.post(MockResponder(), body: Self.chatBody(extra: #","mock_response":"litellm.RateLimitError""#)))
        #expect(limited.status == 429)
        #expect(try limited.json()["error"]?["code"] == "rate_limit_exceeded")
        #expect(UpstreamFailureClassifier.classify(UpstreamAnswer(status: limited.status, body: limited.body), provider: "mock").kind == .rateLimited)

        let context = try Self.answer(Self.post(MockResponder(), body: Self.chatBody(extra: #","mock_response":"litellm.ContextWindowExceededError""#)))
        #expect(context.status == 400)
        #expect(UpstreamFailureClassifier.classify(UpstreamAnswer(status: context.status, body: context.body), provider: "mock").kind == .contextWindowExceeded)

        let server = try Self.answer(Self.post(MockResponder(), body: Self.chatBody(extra: #","mock_response":"litellm.InternalServerError""#)))
        #expect(server.status == 500)
        #expect(Self.post(MockResponder(), body: Self.chatBody(extra: #","mock_response":"litellm.Timeout""#)) == .hang)
    }

    @Test func failFirstCountsPerKey() throws {
        let responder = MockResponder()
        let statuses = try (0..<4).map { _ in try Self.answer(Self.post(responder, body: Self.chatBody(), fault: "fail_first=2;status=503;key=a")).status }
        #expect(statuses == [503, 503, 200, 200])
        // Another key has its own counter; without status= the failure is a 500.
        let other = try (0..<2).map { _ in try Self.answer(Self.post(responder, body: Self.chatBody(), fault: "fail_first=1;key=b")).status }
        #expect(other == [500, 200])
        // Without key=, the directive text is the key: the same text shares a counter.
        let unkeyed = try (0..<2).map { _ in try Self.answer(Self.post(responder, body: Self.chatBody(), fault: "fail_first=1;status=502")).status }
        #expect(unkeyed == [502, 200])
        // A fresh responder starts again.
        #expect(try Self.answer(Self.post(MockResponder(), body: Self.chatBody(), fault: "fail_first=2;status=503;key=a")).status == 503)
    }

    @Test func rateLimitWithRetryAfterHeader() throws {
        let answer = try Self.answer(Self.post(MockResponder(), body: Self.chatBody(), fault: "rate_limit;retry_after=3"))
        #expect(answer.status == 429)
        #expect(answer.headers["Retry-After"] == "3")
        let failure = UpstreamFailureClassifier.classify(UpstreamAnswer(status: answer.status, headers: answer.headers, body: answer.body), provider: "mock")
        #expect(failure.kind == .rateLimited)
        #expect(failure.retryAfter == 3)
        let fractional = try Self.answer(Self.post(MockResponder(), body: Self.chatBody(), fault: "rate_limit;retry_after=0.5"))
        #expect(fractional.headers["Retry-After"] == "0.5")
    }

    @Test func faultFromThePathAndFromTheHeader() throws {
        let path = try Self.answer(Self.post(MockResponder(), path: "/fault/status=418/v1/chat/completions", body: Self.chatBody()))
        #expect(path.status == 418)
        let encoded = try Self.answer(Self.post(MockResponder(), path: "/fault/rate_limit%3Bretry_after=4/v1/chat/completions", body: Self.chatBody()))
        #expect(encoded.status == 429)
        #expect(encoded.headers["Retry-After"] == "4")
        let unknown = try Self.answer(Self.post(MockResponder(), body: Self.chatBody(), fault: "explode"))
        #expect(unknown.status == 400)
        #expect(try unknown.json()["error"]?["message"]?.stringValue?.contains("explode") == true)
    }

    @Test func contextWindowErrorBody() throws {
        let answer = try Self.answer(Self.post(MockResponder(), body: Self.chatBody(), fault: "context_window"))
        #expect(answer.status == 400)
        let error = try #require(try answer.json()["error"])
        #expect(error["code"] == "context_length_exceeded")
        #expect(error["type"] == "invalid_request_error")
        #expect(error["param"] == "messages")
        #expect(error["message"]?.stringValue?.contains("maximum context length") == true)
        #expect(UpstreamFailureClassifier.classify(UpstreamAnswer(status: 400, body: answer.body), provider: "mock").kind == .contextWindowExceeded)
        let policy = try Self.answer(Self.post(MockResponder(), body: Self.chatBody(), fault: "content_policy"))
        #expect(UpstreamFailureClassifier.classify(UpstreamAnswer(status: policy.status, body: policy.body), provider: "mock").kind == .contentPolicy)
    }

    @Test func latencyIsAddedToTheBase() throws {
        let answer = try Self.answer(Self.post(MockResponder(baseLatency: 0.1), body: Self.chatBody(), fault: "latency_ms=200"))
        #expect(abs(answer.delay - 0.3) < 1e-9)
        #expect(Self.post(MockResponder(), body: Self.chatBody(), fault: "hang") == .hang)
    }

    // MARK: streaming

    @Test func streamReassemblesTheContentAndEndsWithDone() throws {
        let (chunks, events, complete) = try Self.streamedChunks(Self.post(MockResponder(), body: Self.chatBody("one two three", extra: #","stream":true"#)))
        #expect(complete)
        #expect(events.last?.isDone == true)
        #expect(events.filter(\.isDone).count == 1)
        #expect(chunks.first?.choices.first?.delta.role == .assistant)
        #expect(chunks.flatMap(\.choices).compactMap(\.delta.content).joined() == "Echo: one two three")
        #expect(chunks.last?.choices.first?.finishReason == "stop")
        #expect(chunks.allSatisfy { $0.usage.isAbsent })
        #expect(Set(chunks.map(\.id)).count == 1)
        #expect(chunks.allSatisfy { $0.object == "chat.completion.chunk" })

        // The same bytes through the OpenAI stream decoder.
        guard case .stream(_, let raw, _, _, _) = Self.post(MockResponder(), body: Self.chatBody("one two three", extra: #","stream":true"#)) else {
            Issue.record("expected a stream")
            return
        }
        var decoder = OpenAIStreamDecoder(provider: "mock")
        let decoded = try raw.flatMap { try decoder.decode($0) } + decoder.finish()
        #expect(decoder.isComplete)
        #expect(decoded.flatMap(\.choices).compactMap(\.delta.content).joined() == "Echo: one two three")
    }

    @Test func includeUsageAddsAUsageChunkWithEmptyChoices() throws {
        let (chunks, events, _) = try Self.streamedChunks(Self.post(MockResponder(), body: Self.chatBody(extra: #","stream":true,"stream_options":{"include_usage":true}"#)))
        let last = try #require(chunks.last)
        #expect(last.choices.isEmpty)
        let usage = try #require(last.usage)
        #expect(usage.totalTokens == usage.promptTokens + usage.completionTokens)
        #expect(chunks.dropLast().allSatisfy { $0.usage.isAbsent })
        #expect(chunks.dropLast().last?.choices.first?.finishReason == "stop")
        #expect(events.last?.isDone == true)
    }

    @Test func dieAfterBreaksTheStreamWithoutDone() throws {
        let (chunks, events, complete) = try Self.streamedChunks(Self.post(MockResponder(), body: Self.chatBody("a b c d e f", extra: #","stream":true"#), fault: "die_after=2"))
        #expect(!complete)
        #expect(!events.contains { $0.isDone })
        #expect(chunks.count == 3)  // the role chunk and two content chunks
        #expect(!chunks.contains { $0.choices.contains { $0.finishReason != nil } })
    }

    @Test func forcedToolCallWhenToolChoiceIsRequired() throws {
        let tools = #","tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}],"tool_choice":"required""#
        let answer = try Self.answer(Self.post(MockResponder(), body: Self.chatBody(extra: tools)))
        let response = try JSONCoding.decode(ChatResponse.self, from: answer.body)
        #expect(response.choices[0].finishReason == "tool_calls")
        let call = try #require(response.choices[0].message.toolCalls?.first)
        #expect(call.function?.name == "get_weather")
        #expect(call.function?.arguments == "{}")
        #expect(call.id?.isEmpty == false)
        #expect(response.choices[0].message.content == nil)

        // Streamed: the tool call arrives in pieces that reassemble.
        let (chunks, _, _) = try Self.streamedChunks(Self.post(MockResponder(), body: Self.chatBody(extra: tools + #","stream":true"#)))
        let calls = chunks.flatMap(\.choices).flatMap { $0.delta.toolCalls ?? [] }
        #expect(calls.compactMap(\.function?.name) == ["get_weather"])
        #expect(calls.compactMap(\.function?.arguments).joined() == "{}")
        #expect(chunks.contains { $0.choices.first?.finishReason == "tool_calls" })

        // With tool_choice auto the model answers in text.
        let auto = tools.replacingOccurrences(of: #""required""#, with: #""auto""#)
        let text = try JSONCoding.decode(ChatResponse.self, from: Self.answer(Self.post(MockResponder(), body: Self.chatBody(extra: auto))).body)
        #expect(text.choices[0].message.toolCalls.isAbsent)
    }

    @Test func malformedAnswersAreUnreadable() throws {
        let answer = try Self.answer(Self.post(MockResponder(), body: Self.chatBody(), fault: "malformed"))
        #expect(answer.status == 200)
        #expect(throws: (any Error).self) { try JSONCoding.decode(ChatResponse.self, from: answer.body) }
    }

    // MARK: validation and routes

    @Test func bodyWithoutMessagesIs400() throws {
        let missing = try Self.answer(Self.post(MockResponder(), body: bytes(#"{"model":"gpt-4o"}"#)))
        #expect(missing.status == 400)
        #expect(try missing.json()["error"]?["message"]?.stringValue?.contains("messages") == true)
        let empty = try Self.answer(Self.post(MockResponder(), body: bytes(#"{"model":"gpt-4o","messages":[]}"#)))
        #expect(empty.status == 400)
        #expect(try empty.json()["error"]?["param"] == "messages")
        let garbage = try Self.answer(Self.post(MockResponder(), body: bytes("not json")))
        #expect(garbage.status == 400)
    }

    @Test func unknownRouteIs404AndWrongMethodIs405() throws {
        let responder = MockResponder()
        let unknown = try Self.answer(responder.respond(method: "POST", path: "/v1/completions", headers: [:], body: [], now: 0))
        #expect(unknown.status == 404)
        #expect(try unknown.json()["error"]?["type"] == "invalid_request_error")
        let wrongMethod = try Self.answer(responder.respond(method: "GET", path: "/v1/chat/completions", headers: [:], body: [], now: 0))
        #expect(wrongMethod.status == 405)
    }

    @Test func modelsList() throws {
        let responder = MockResponder(models: ["gpt-4o", "text-embedding-3-small"])
        let answer = try Self.answer(responder.respond(method: "GET", path: "/v1/models", headers: [:], body: [], now: 1_700_000_000))
        #expect(answer.status == 200)
        let list = try JSONCoding.decode(ModelList.self, from: answer.body)
        #expect(list.data.map(\.id) == ["gpt-4o", "text-embedding-3-small"])
        #expect(list.data.allSatisfy { $0.created == 1_700_000_000 && $0.object == "model" })

        let one = try Self.answer(responder.respond(method: "GET", path: "/v1/models/gpt-4o", headers: [:], body: [], now: 0))
        #expect(try JSONCoding.decode(ModelCard.self, from: one.body).id == "gpt-4o")
        let missing = try Self.answer(responder.respond(method: "GET", path: "/v1/models/gpt-9", headers: [:], body: [], now: 0))
        #expect(missing.status == 404)
        #expect(try missing.json()["error"]?["code"] == "model_not_found")
    }

    // MARK: embeddings

    static func embed(_ body: String, responder: MockResponder = MockResponder(), fault: String? = nil) throws -> EmbeddingResponse {
        let answer = try Self.answer(Self.post(responder, path: "/v1/embeddings", body: bytes(body), fault: fault))
        #expect(answer.status == 200)
        return try JSONCoding.decode(EmbeddingResponse.self, from: answer.body)
    }

    @Test func embeddingsFloatAndBase64() throws {
        let floats = try Self.embed(#"{"model":"text-embedding-3-small","input":["a","b"],"dimensions":16}"#)
        #expect(floats.data.map(\.index) == [0, 1])
        #expect(floats.model == "text-embedding-3-small")
        guard case .floats(let vector) = floats.data[0].embedding else {
            Issue.record("float embeddings expected")
            return
        }
        #expect(vector.count == 16)
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(abs(norm - 1) < 1e-3)
        #expect(floats.data[0].embedding != floats.data[1].embedding)

        let base64 = try Self.embed(#"{"model":"text-embedding-3-small","input":["a","b"],"dimensions":16,"encoding_format":"base64"}"#)
        guard case .base64(let text) = base64.data[0].embedding else {
            Issue.record("base64 embeddings expected")
            return
        }
        let raw = try #require(Base64.decode(text))
        #expect(raw.count == 4 * 16)
        // Little-endian float32 of the same vector.
        let decoded = stride(from: 0, to: raw.count, by: 4).map { offset -> Float in
            Float(bitPattern: UInt32(raw[offset]) | UInt32(raw[offset + 1]) << 8 | UInt32(raw[offset + 2]) << 16 | UInt32(raw[offset + 3]) << 24)
        }
        #expect(decoded == vector.map { Float($0) })
    }

    @Test func embeddingsAreDeterministicAndCountInputs() throws {
        let first = try Self.embed(#"{"model":"m","input":"same text"}"#)
        let second = try Self.embed(#"{"model":"m","input":"same text"}"#)
        #expect(first.data == second.data)
        #expect(first.data.count == 1)
        guard case .floats(let vector) = first.data[0].embedding else { return }
        #expect(vector.count == 8)  // the default dimension
        let tokens = try Self.embed(#"{"model":"m","input":[[1,2,3],[4,5]]}"#)
        #expect(tokens.data.count == 2)
        #expect((tokens.usage?.promptTokens ?? 0) > 0)
        let failing = try Self.answer(Self.post(MockResponder(), path: "/v1/embeddings", body: bytes(#"{"model":"m","input":"x"}"#), fault: "status=503"))
        #expect(failing.status == 503)
    }
}

@Suite("MockAdapter")
struct MockAdapterTests {
    @Test func deploymentParamsBecomeTheMockResponseAndDirective() throws {
        let target = ProviderTarget(
            provider: "mock", model: "gpt-4o", apiBase: MockAdapter.inProcessBase,
            params: ["mock_response": "from config", "mock_fault": "rate_limit", "mock_delay": 0.25])
        let upstream = try MockAdapter().chatRequest(ChatRequest(model: "alias", messages: [.user("hi")]), target: target)
        #expect(upstream.url == "mock://switchyard/v1/chat/completions")
        let body = try json(upstream.body)
        #expect(body["mock_response"] == "from config")
        #expect(body["model"] == "gpt-4o")
        #expect(upstream.headers[MockResponder.directiveHeader] == "rate_limit;latency_ms=250")

        // The responder honours what the adapter sent.
        let reply = MockResponder().respond(method: "POST", path: "/v1/chat/completions", headers: upstream.headers, body: upstream.body, now: 0)
        guard case .answer(let status, _, _, let delay, _) = reply else {
            Issue.record("expected an answer")
            return
        }
        #expect(status == 429)
        #expect(abs(delay - 0.25) < 1e-9)
    }

    @Test func callerMockResponseReachesTheMockButNoRealProvider() throws {
        let request = ChatRequest(model: "alias", messages: [.user("hi")], extra: ["mock_response": "canned"])
        let mock = try MockAdapter().chatRequest(request, target: ProviderTarget(provider: "mock", model: "m", apiBase: MockAdapter.inProcessBase))
        #expect(try json(mock.body)["mock_response"] == "canned")
        #expect(mock.headers[MockResponder.directiveHeader].isAbsent)
        let real = try OpenAIAdapter().chatRequest(request, target: ProviderTarget(provider: "openai", model: "m", apiBase: "https://api.openai.com/v1", apiKey: "k"))
        #expect(try json(real.body)["mock_response"].isAbsent)
    }
}

@Suite("Base64")
struct Base64Tests {
    @Test func rfc4648Vectors() {
        let vectors = ["": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=", "foobar": "Zm9vYmFy"]
        for (plain, encoded) in vectors {
            #expect(Base64.encode(Array(plain.utf8)) == encoded)
            #expect(Base64.decode(encoded) == Array(plain.utf8))
        }
        let all = (0...255).map { UInt8($0) }
        #expect(Base64.decode(Base64.encode(all)) == all)
        #expect(Base64.decode("Zm9v!").isAbsent)
        #expect(Base64.decode("Zm9vY").isAbsent)
    }

    @Test func openAIsBase64EmbeddingDecodesToUnitFloat32s() throws {
        let response = try JSONCoding.decode(EmbeddingResponse.self, from: OpenAIFixtures.bytes("embedding_response_base64.json"))
        guard case .base64(let text) = response.data[0].embedding else {
            Issue.record("expected a base64 embedding")
            return
        }
        let raw = try #require(Base64.decode(text))
        #expect(raw.count == 1024)
        let floats = stride(from: 0, to: raw.count, by: 4).map { offset -> Float in
            Float(bitPattern: UInt32(raw[offset]) | UInt32(raw[offset + 1]) << 8 | UInt32(raw[offset + 2]) << 16 | UInt32(raw[offset + 3]) << 24)
        }
        #expect(abs(floats[0] - 0.020427380) < 1e-8)
        #expect(abs(floats[1] - -0.071887918) < 1e-8)
        #expect(abs(floats[2] - 0.147889599) < 1e-8)
        let norm = floats.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
        #expect(abs(norm - 1) < 1e-4)
    }
}
