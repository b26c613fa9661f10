import SwitchyardCore
import SwitchyardProviders
import Testing

@Suite("OpenAIAdapter")
struct OpenAIAdapterTests {
    static let target = ProviderTarget(provider: "openai", model: "gpt-4o-2024-08-06", apiBase: "https://api.openai.com/v1/", apiKey: "sk-test")

    static func request(_ extra: [String: JSONValue] = [:]) -> ChatRequest {
        ChatRequest(model: "my-alias", messages: [.system("be brief"), .user("hi")], extra: extra)
    }

    static func body(_ upstream: UpstreamRequest) throws -> JSONValue { try json(upstream.body) }

    static func compatibleTarget(_ prefix: String, model: String = "some-model", dropParams: Bool = false) throws -> (OpenAIAdapter, ProviderTarget) {
        let row = try #require(OpenAICompatibleProvider.named(prefix))
        let target = ProviderTarget(provider: prefix, model: model, apiBase: row.defaultBaseURL ?? "http://localhost/v1", apiKey: "k", dropParams: dropParams)
        return (OpenAIAdapter(compatible: row), target)
    }

    @Test func urlMethodAndHeaders() throws {
        let upstream = try OpenAIAdapter().chatRequest(Self.request(), target: Self.target)
        #expect(upstream.method == "POST")
        #expect(upstream.url == "https://api.openai.com/v1/chat/completions")
        #expect(upstream.headers["Authorization"] == "Bearer sk-test")
        #expect(upstream.headers["content-type"] == "application/json")
        #expect(upstream.headers["OpenAI-Organization"].isAbsent)
    }

    @Test func noAuthorizationWithoutAKeyAndDeploymentHeadersWin() throws {
        var target = Self.target
        target.apiKey = nil
        #expect(try OpenAIAdapter().chatRequest(Self.request(), target: target).headers["Authorization"].isAbsent)
        target.apiKey = ""
        #expect(try OpenAIAdapter().chatRequest(Self.request(), target: target).headers["Authorization"].isAbsent)

        target.apiKey = "sk-test"
        target.organization = "org-9"
        target.headers = ["X-Team": "search", "authorization": "Bearer from-config"]
        let headers = try OpenAIAdapter().chatRequest(Self.request(), target: target).headers
        #expect(headers["X-Team"] == "search")
        #expect(headers["OpenAI-Organization"] == "org-9")
        #expect(headers.fields.filter { $0.name.lowercased() == "authorization" }.map(\.value) == ["Bearer from-config"])
    }

    @Test func bodyHasTheTargetsModelAndNoGatewayKeys() throws {
        var request = Self.request(["fallbacks": ["gpt-4o-mini"], "num_retries": 2, "mock_response": "x", "api_key": "sk-caller", "top_k": 40])
        request.temperature = 0.3
        request.metadata = ["a": "b"]
        let body = try Self.body(OpenAIAdapter().chatRequest(request, target: Self.target))
        #expect(body["model"] == "gpt-4o-2024-08-06")
        for key in ["fallbacks", "num_retries", "mock_response", "api_key", "metadata"] {
            #expect(body[key].isAbsent, "\(key) must not be sent upstream")
        }
        #expect(body["top_k"] == 40)
        #expect(body["temperature"] == 0.3)
        #expect(body["messages"]?.arrayValue?.count == 2)
        #expect(body["messages"]?.arrayValue?[1]["content"] == "hi")
    }

    @Test("o-series and gpt-5 take max_completion_tokens", arguments: ["o1", "o1-mini", "o3-mini", "o4-mini-2025-04-16", "gpt-5", "gpt-5-mini"])
    func reasoningModelsRenameMaxTokens(model: String) throws {
        var target = Self.target
        target.model = model
        var request = Self.request()
        request.maxTokens = 500
        let body = try Self.body(OpenAIAdapter().chatRequest(request, target: target))
        #expect(body["max_completion_tokens"] == 500)
        #expect(body["max_tokens"].isAbsent)
    }

    @Test func reasoningModelWithBothCapsSendsOnlyMaxCompletionTokens() throws {
        var target = Self.target
        target.model = "o3"
        var request = Self.request()
        request.maxTokens = 500
        request.maxCompletionTokens = 800
        let body = try Self.body(OpenAIAdapter().chatRequest(request, target: target))
        #expect(body["max_completion_tokens"] == 800)
        #expect(body["max_tokens"].isAbsent, "OpenAI rejects max_tokens on o-series models")
    }

    @Test func otherOpenAIModelsKeepMaxTokens() throws {
        var request = Self.request()
        request.maxTokens = 500
        let body = try Self.body(OpenAIAdapter().chatRequest(request, target: Self.target))
        #expect(body["max_tokens"] == 500)
        #expect(body["max_completion_tokens"].isAbsent)
    }

    @Test func compatibleProviderWithMaxTokensRenamesMaxCompletionTokens() throws {
        let (adapter, target) = try Self.compatibleTarget("groq")
        var request = Self.request()
        request.maxCompletionTokens = 300
        let body = try Self.body(adapter.chatRequest(request, target: target))
        #expect(body["max_tokens"] == 300)
        #expect(body["max_completion_tokens"].isAbsent)
        #expect(body["model"] == "some-model")
        // When both are set the caller's max_tokens stays.
        request.maxTokens = 100
        let both = try Self.body(adapter.chatRequest(request, target: target))
        #expect(both["max_tokens"] == 100)
        #expect(both["max_completion_tokens"].isAbsent)
    }

    @Test func compatibleProviderWithoutRenameForwardsEitherCap() throws {
        let (adapter, target) = try Self.compatibleTarget("deepseek", model: "o1-lookalike")
        var request = Self.request()
        request.maxCompletionTokens = 300
        let body = try Self.body(adapter.chatRequest(request, target: target))
        #expect(body["max_completion_tokens"] == 300)
        #expect(body["max_tokens"].isAbsent)
        var legacy = Self.request()
        legacy.maxTokens = 200
        let legacyBody = try Self.body(adapter.chatRequest(legacy, target: target))
        #expect(legacyBody["max_tokens"] == 200, "max_tokens is not rewritten for compatible providers, whatever the model name")
        #expect(legacyBody["max_completion_tokens"].isAbsent)
    }

    @Test func unsupportedParameterIsA400NamingIt() throws {
        let (adapter, target) = try Self.compatibleTarget("mistral")
        var request = Self.request()
        request.frequencyPenalty = 0.5
        request.logitBias = ["1": 2]
        request.temperature = 0.2
        let thrown = try #require(failure { try adapter.chatRequest(request, target: target) })
        #expect(thrown.kind == .badRequest)
        #expect(thrown.httpStatus == 400)
        #expect(!thrown.isTransient)
        #expect(thrown.message.contains("frequency_penalty"))
        #expect(thrown.message.contains("logit_bias"))
        #expect(!thrown.message.contains("temperature"))
        #expect(thrown.message.contains("drop_params"))
        #expect(thrown.provider == "mistral")
    }

    @Test func unsupportedParameterIsDroppedWithDropParams() throws {
        let (adapter, target) = try Self.compatibleTarget("mistral", dropParams: true)
        var request = Self.request()
        request.frequencyPenalty = 0.5
        request.n = 2
        request.temperature = 0.2
        let body = try Self.body(adapter.chatRequest(request, target: target))
        #expect(body["frequency_penalty"].isAbsent)
        #expect(body["n"].isAbsent)
        #expect(body["temperature"] == 0.2)
    }

    @Test func unsupportedToolsAreRejectedOrDropped() throws {
        let (adapter, target) = try Self.compatibleTarget("perplexity")
        var request = Self.request()
        request.tools = [.function(name: "f")]
        let thrown = failure { try adapter.chatRequest(request, target: target) }
        #expect(thrown?.message.contains("tools") == true)
        let (dropping, dropTarget) = try Self.compatibleTarget("perplexity", dropParams: true)
        #expect(try Self.body(dropping.chatRequest(request, target: dropTarget))["tools"].isAbsent)
    }

    @Test func trailingSlashBaseURLsJoinCleanly() throws {
        let (adapter, target) = try Self.compatibleTarget("helicone")
        #expect(try adapter.chatRequest(Self.request(), target: target).url == "https://ai-gateway.helicone.ai/chat/completions")
        let (chutes, chutesTarget) = try Self.compatibleTarget("chutes")
        #expect(try chutes.chatRequest(Self.request(), target: chutesTarget).url == "https://llm.chutes.ai/v1/chat/completions")
    }

    @Test func embeddingRequest() throws {
        var target = Self.target
        target.model = "text-embedding-3-small"
        let request = EmbeddingRequest(model: "embed-alias", input: .texts(["a", "b"]), encodingFormat: "base64", extra: ["num_retries": 3])
        let upstream = try OpenAIAdapter().embeddingRequest(request, target: target)
        #expect(upstream.url == "https://api.openai.com/v1/embeddings")
        #expect(upstream.headers["Authorization"] == "Bearer sk-test")
        let body = try json(upstream.body)
        #expect(body == ["model": "text-embedding-3-small", "input": ["a", "b"], "encoding_format": "base64"])
    }

    @Test func decodesAnswersAndClassifiesFailures() throws {
        let adapter = OpenAIAdapter()
        let response = try adapter.chatResponse(UpstreamAnswer(status: 200, body: OpenAIFixtures.bytes("response_tool_calls.json")), target: Self.target)
        #expect(response.choices[0].message.toolCalls?.count == 2)
        let embeddings = try adapter.embeddingResponse(UpstreamAnswer(status: 200, body: OpenAIFixtures.bytes("embedding_response_float.json")), target: Self.target)
        #expect(embeddings.data.count == 2)

        let unreadable = failure { try adapter.chatResponse(UpstreamAnswer(status: 200, body: bytes("<html>oops</html>")), target: Self.target) }
        #expect(unreadable?.kind == .connection)
        #expect(unreadable?.status == 200)
        #expect(unreadable?.message.contains("<html>oops</html>") == true)

        let limited = adapter.failure(UpstreamAnswer(status: 429, headers: ["retry-after": "2"], body: try OpenAIFixtures.bytes("error_rate_limit.json")), target: Self.target)
        #expect(limited.kind == .rateLimited)
        #expect(limited.retryAfter == 2)
        #expect(limited.provider == "openai")
    }
}
