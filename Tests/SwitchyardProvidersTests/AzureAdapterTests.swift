import SwitchyardCore
import SwitchyardProviders
import Testing

@Suite("AzureAdapter")
struct AzureAdapterTests {
    static func target(base: String = "https://my-res.openai.azure.com", version: String? = nil, key: String? = "azure-key", params: [String: JSONValue] = [:]) -> ProviderTarget {
        ProviderTarget(provider: "azure", model: "my-gpt4o", apiBase: base, apiKey: key, apiVersion: version, params: params)
    }

    static let request = ChatRequest(model: "alias", messages: [.user("hi")], extra: ["fallbacks": ["x"]])

    @Test func classicDeploymentURLWithAPIVersion() throws {
        let adapter = AzureAdapter()
        let target = Self.target(version: "2024-10-21")
        #expect(adapter.url(target, operation: "chat/completions") == "https://my-res.openai.azure.com/openai/deployments/my-gpt4o/chat/completions?api-version=2024-10-21")
        #expect(adapter.url(target, operation: "embeddings") == "https://my-res.openai.azure.com/openai/deployments/my-gpt4o/embeddings?api-version=2024-10-21")
        let upstream = try adapter.chatRequest(Self.request, target: target)
        #expect(upstream.url == "https://my-res.openai.azure.com/openai/deployments/my-gpt4o/chat/completions?api-version=2024-10-21")
        let body = try json(upstream.body)
        #expect(body["model"] == "my-gpt4o")
        #expect(body["fallbacks"].isAbsent)
    }

    @Test func defaultAPIVersion() {
        #expect(AzureAdapter.defaultAPIVersion == "2025-02-01-preview")
        #expect(AzureAdapter().url(Self.target(), operation: "chat/completions") == "https://my-res.openai.azure.com/openai/deployments/my-gpt4o/chat/completions?api-version=2025-02-01-preview")
    }

    @Test func baseWithTrailingSlashOrOpenAISegment() {
        let expected = "https://my-res.openai.azure.com/openai/deployments/my-gpt4o/chat/completions?api-version=2024-10-21"
        for base in ["https://my-res.openai.azure.com/", "https://my-res.openai.azure.com/openai", "https://my-res.openai.azure.com/openai/"] {
            #expect(AzureAdapter().url(Self.target(base: base, version: "2024-10-21"), operation: "chat/completions") == expected, "api_base \(base)")
        }
    }

    @Test func baseThatIsAlreadyADeploymentURL() {
        let target = Self.target(base: "https://my-res.openai.azure.com/openai/deployments/my-gpt4o", version: "2024-10-21")
        #expect(AzureAdapter().url(target, operation: "chat/completions") == "https://my-res.openai.azure.com/openai/deployments/my-gpt4o/chat/completions?api-version=2024-10-21")
    }

    @Test func v1BaseURL() {
        for base in ["https://my-res.openai.azure.com/openai/v1", "https://my-res.openai.azure.com/openai/v1/"] {
            let target = Self.target(base: base, version: "2024-10-21")
            #expect(AzureAdapter().url(target, operation: "chat/completions") == "https://my-res.openai.azure.com/openai/v1/chat/completions", "api_base \(base)")
            #expect(AzureAdapter().url(target, operation: "embeddings") == "https://my-res.openai.azure.com/openai/v1/embeddings")
        }
    }

    @Test("api_version v1 / latest / preview selects the v1 API", arguments: ["v1", "latest", "preview"])
    func v1APIVersion(version: String) {
        let suffix = version == "preview" ? "?api-version=preview" : ""
        for base in ["https://my-res.openai.azure.com", "https://my-res.openai.azure.com/", "https://my-res.openai.azure.com/openai"] {
            let url = AzureAdapter().url(Self.target(base: base, version: version), operation: "chat/completions")
            #expect(url == "https://my-res.openai.azure.com/openai/v1/chat/completions" + suffix, "api_base \(base)")
        }
    }

    @Test func apiKeyHeaderAndNoBearer() throws {
        let headers = try AzureAdapter().chatRequest(Self.request, target: Self.target()).headers
        #expect(headers["api-key"] == "azure-key")
        #expect(headers["Authorization"].isAbsent)
        #expect(headers["Content-Type"] == "application/json")
    }

    @Test func entraTokenIsSentAsBearerInsteadOfTheKey() throws {
        let headers = try AzureAdapter().chatRequest(Self.request, target: Self.target(params: ["azure_ad_token": "eyJ0"])).headers
        #expect(headers["Authorization"] == "Bearer eyJ0")
        #expect(headers["api-key"].isAbsent)
    }

    @Test func reasoningDeploymentNamesTakeMaxCompletionTokens() throws {
        var target = Self.target(version: "2024-12-01-preview")
        target.model = "o3-mini"
        var request = Self.request
        request.maxTokens = 256
        let body = try json(AzureAdapter().chatRequest(request, target: target).body)
        #expect(body["max_completion_tokens"] == 256)
        #expect(body["max_tokens"].isAbsent)
    }

    @Test func embeddingRequest() throws {
        let upstream = try AzureAdapter().embeddingRequest(EmbeddingRequest(model: "alias", input: .text("x")), target: Self.target(version: "2024-10-21"))
        #expect(upstream.url == "https://my-res.openai.azure.com/openai/deployments/my-gpt4o/embeddings?api-version=2024-10-21")
        #expect(upstream.headers["api-key"] == "azure-key")
        #expect(try json(upstream.body)["model"] == "my-gpt4o")
    }

    @Test func contentFilterErrorIsContentPolicy() {
        let body = #"{"error":{"message":"The response was filtered due to the prompt triggering Azure OpenAI's content management policy.","type":null,"param":"prompt","code":"content_filter","status":400}}"#
        let failure = AzureAdapter().failure(UpstreamAnswer(status: 400, body: bytes(body)), target: Self.target())
        #expect(failure.kind == .contentPolicy)
        #expect(failure.provider == "azure")
    }
}
