import SwitchyardCore
import SwitchyardProviders
import Testing

@Suite("ProviderResolver")
struct ProviderResolverTests {
    static let keys: [String: String] = [
        "OPENAI_API_KEY": "sk-openai", "AZURE_API_KEY": "azure-key", "GROQ_API_KEY": "gsk-groq",
    ]

    static func resolve(_ model: String, apiBase: String? = nil, apiKey: String? = nil, custom: String? = nil, environment: [String: String] = keys) -> ResolvedProvider {
        ProviderResolver.resolve(
            EndpointParams(model: model, customLLMProvider: custom, apiBase: apiBase, apiKey: apiKey), environment: environment)
    }

    static func request() -> ChatRequest { ChatRequest(model: "alias", messages: [.user("hi")]) }

    // MARK: prefixes

    @Test func openAIPrefix() throws {
        let resolved = Self.resolve("openai/gpt-4o")
        #expect(resolved.problem.isAbsent)
        #expect(resolved.adapter is OpenAIAdapter)
        #expect(resolved.target.provider == "openai")
        #expect(resolved.target.model == "gpt-4o")
        #expect(resolved.target.apiBase == "https://api.openai.com/v1")
        #expect(resolved.target.apiKey == "sk-openai")
        let upstream = try resolved.adapter.chatRequest(Self.request(), target: resolved.target)
        #expect(upstream.url == "https://api.openai.com/v1/chat/completions")
    }

    @Test func azurePrefix() throws {
        let resolved = Self.resolve("azure/my-gpt4o-deployment", apiBase: "https://res.openai.azure.com")
        #expect(resolved.problem.isAbsent)
        #expect(resolved.adapter is AzureAdapter)
        #expect(resolved.target.provider == "azure")
        #expect(resolved.target.model == "my-gpt4o-deployment")
        #expect(resolved.target.apiKey == "azure-key")
        let upstream = try resolved.adapter.chatRequest(Self.request(), target: resolved.target)
        #expect(upstream.url.hasPrefix("https://res.openai.azure.com/openai/deployments/my-gpt4o-deployment/chat/completions?api-version="))
    }

    @Test func azureWithoutAPIBaseIsAProblemNamingIt() {
        let resolved = Self.resolve("azure/dep")
        let problem = resolved.problem
        #expect(problem?.kind == .badRequest)
        #expect(problem?.message.contains("api_base") == true)
        #expect(problem?.message.contains("AZURE_API_BASE") == true)
    }

    @Test func groqPrefix() throws {
        let resolved = Self.resolve("groq/llama-3.3-70b-versatile")
        #expect(resolved.problem.isAbsent)
        #expect(resolved.target.provider == "groq")
        #expect(resolved.target.model == "llama-3.3-70b-versatile")
        #expect(resolved.target.apiBase == "https://api.groq.com/openai/v1")
        #expect(resolved.target.apiKey == "gsk-groq")
        let adapter = try #require(resolved.adapter as? OpenAIAdapter)
        #expect(adapter.compatible?.prefix == "groq")
    }

    @Test func modelNamesKeepTheirOwnSlashes() {
        let resolved = Self.resolve("groq/meta-llama/llama-4-scout-17b-16e-instruct")
        #expect(resolved.target.provider == "groq")
        #expect(resolved.target.model == "meta-llama/llama-4-scout-17b-16e-instruct")
    }

    @Test func mockPrefix() {
        let resolved = Self.resolve("mock/gpt-4o", environment: [:])
        #expect(resolved.problem.isAbsent)
        #expect(resolved.adapter is MockAdapter)
        #expect(resolved.target.model == "gpt-4o")
        #expect(resolved.target.apiBase == MockAdapter.inProcessBase)
        let served = Self.resolve("mock/gpt-4o", apiBase: "http://127.0.0.1:9999/v1", environment: [:])
        #expect(served.target.apiBase == "http://127.0.0.1:9999/v1")
    }

    @Test func hostedVLLMWithAPIBaseNeedsNoKey() throws {
        let resolved = Self.resolve("hosted_vllm/Qwen/Qwen2.5-7B-Instruct", apiBase: "http://gpu-box:8000/v1", environment: [:])
        #expect(resolved.problem.isAbsent)
        #expect(resolved.target.provider == "hosted_vllm")
        #expect(resolved.target.model == "Qwen/Qwen2.5-7B-Instruct")
        let upstream = try resolved.adapter.chatRequest(Self.request(), target: resolved.target)
        #expect(upstream.url == "http://gpu-box:8000/v1/chat/completions")
        #expect(upstream.headers["Authorization"].isAbsent)
    }

    @Test func hostedVLLMWithoutAPIBaseIsAProblem() {
        let resolved = Self.resolve("hosted_vllm/llama", environment: [:])
        #expect(resolved.problem?.kind == .badRequest)
        #expect(resolved.problem?.message.contains("api_base") == true)
        // The base may also come from the provider's environment variable.
        let fromEnvironment = Self.resolve("hosted_vllm/llama", environment: ["HOSTED_VLLM_API_BASE": "http://vllm:8000/v1"])
        #expect(fromEnvironment.problem.isAbsent)
        #expect(fromEnvironment.target.apiBase == "http://vllm:8000/v1")
    }

    // MARK: bare names

    @Test("bare well-known names are inferred", arguments: [
        ("gpt-4o", "openai"), ("gpt-4.1-mini", "openai"), ("o3-mini", "openai"), ("chatgpt-4o-latest", "openai"),
        ("text-embedding-3-small", "openai"), ("omni-moderation-latest", "openai"), ("claude-3-opus", "anthropic"),
        ("grok-3", "xai"), ("deepseek-chat", "deepseek"), ("mistral-large-latest", "mistral"),
    ])
    func bareNameInference(model: String, provider: String) {
        #expect(ProviderResolver.inferProvider(bareModel: model) == provider)
        let split = ProviderResolver.split(EndpointParams(model: model))
        #expect(split.provider == provider)
        #expect(split.model == model)
    }

    @Test func bareOpenAINamesResolveToOpenAI() {
        for model in ["gpt-4o", "text-embedding-3-small"] {
            let resolved = Self.resolve(model)
            #expect(resolved.problem.isAbsent, "\(model)")
            #expect(resolved.adapter is OpenAIAdapter, "\(model)")
            #expect(resolved.target.provider == "openai", "\(model)")
            #expect(resolved.target.model == model)
        }
    }

    @Test func bareClaudeIsAnthropic() {
        let resolved = ProviderResolver.resolve(.init(model: "claude-3-opus"), environment: ["ANTHROPIC_API_KEY": "sk-ant-env"])
        #expect(resolved.target.provider == "anthropic")
        #expect(resolved.adapter is AnthropicAdapter)
        #expect(resolved.target.apiBase == "https://api.anthropic.com")
        #expect(resolved.target.apiKey == "sk-ant-env")
        #expect(resolved.problem == nil)
        let keyless = Self.resolve("anthropic/claude-sonnet-4-5")
        #expect(keyless.problem?.kind == .authentication)
        #expect(keyless.problem?.message.contains("ANTHROPIC_API_KEY") == true)
    }

    @Test func providerNotSupportedYetFailsEveryCallWithTheSameClear400() {
        let resolved = Self.resolve("bedrock/anthropic.claude-3-sonnet")
        #expect(resolved.adapter is UnsupportedProviderAdapter)
        let problem = resolved.problem
        #expect(problem?.kind == .badRequest)
        #expect(problem?.message.contains("bedrock") == true)
        #expect(problem?.message.contains("not support") == true)
        let thrown = failure { try resolved.adapter.chatRequest(Self.request(), target: resolved.target) }
        #expect(thrown?.kind == .badRequest)
        #expect(thrown?.httpStatus == 400)
        #expect(thrown?.message == problem?.message)
    }

    @Test func unrecognisableBareNameIsAProblem() {
        let resolved = Self.resolve("my-finetune")
        #expect(resolved.problem?.kind == .badRequest)
        #expect(resolved.problem?.message.contains("my-finetune") == true)
        #expect(resolved.problem?.message.contains("provider/model") == true)
    }

    @Test func unknownPrefixIsAProblemNamingThePrefix() {
        let resolved = Self.resolve("acme/super-model-1")
        #expect(resolved.adapter is UnsupportedProviderAdapter)
        let problem = resolved.problem
        #expect(problem?.kind == .badRequest)
        #expect(problem?.message.contains("'acme'") == true, "\(problem?.message ?? "")")
        #expect(problem?.message.contains("acme/super-model-1") == true)
        let unknownCustom = Self.resolve("super-model-1", custom: "acme")
        #expect(unknownCustom.problem?.message.contains("Unknown provider 'acme'") == true)
    }

    // MARK: keys and bases

    @Test func missingKeyIsAnAuthenticationProblemNamingTheVariable() {
        let openAI = Self.resolve("openai/gpt-4o", environment: [:])
        #expect(openAI.problem?.kind == .authentication)
        #expect(openAI.problem?.message.contains("OPENAI_API_KEY") == true)
        let groq = Self.resolve("groq/llama3-8b-8192", environment: [:])
        #expect(groq.problem?.kind == .authentication)
        #expect(groq.problem?.message.contains("GROQ_API_KEY") == true)
        let azure = Self.resolve("azure/dep", apiBase: "https://r.openai.azure.com", environment: [:])
        #expect(azure.problem?.kind == .authentication)
        #expect(azure.problem?.message.contains("AZURE_API_KEY") == true)
        // An empty variable is as good as none.
        #expect(Self.resolve("openai/gpt-4o", environment: ["OPENAI_API_KEY": ""]).problem?.kind == .authentication)
    }

    @Test func keyFromInjectedEnvironmentOrParams() {
        let fromEnvironment = Self.resolve("openai/gpt-4o", environment: ["OPENAI_API_KEY": "sk-env"])
        #expect(fromEnvironment.target.apiKey == "sk-env")
        #expect(fromEnvironment.problem.isAbsent)
        let explicit = Self.resolve("openai/gpt-4o", apiKey: "sk-param", environment: ["OPENAI_API_KEY": "sk-env"])
        #expect(explicit.target.apiKey == "sk-param")
        // The first variable of the row's list that is set wins.
        let together = Self.resolve("together_ai/meta-llama/Llama-3-8b", environment: ["TOGETHERAI_API_KEY": "third", "TOGETHER_AI_API_KEY": "second"])
        #expect(together.target.apiKey == "second")
        #expect(Self.resolve("azure/d", apiBase: "https://r", environment: ["AZURE_OPENAI_API_KEY": "k1", "AZURE_API_KEY": "k2"]).target.apiKey == "k1")
    }

    @Test func customLLMProvider() {
        let bare = Self.resolve("llama-3.1-8b-instant", custom: "groq")
        #expect(bare.target.provider == "groq")
        #expect(bare.target.model == "llama-3.1-8b-instant")
        #expect(bare.problem.isAbsent)
        let prefixed = Self.resolve("groq/llama-3.1-8b-instant", custom: "groq")
        #expect(prefixed.target.model == "llama-3.1-8b-instant")
        // custom_llm_provider overrides what the name says.
        let overridden = Self.resolve("gpt-4o", custom: "openrouter", environment: ["OPENROUTER_API_KEY": "k"])
        #expect(overridden.target.provider == "openrouter")
        #expect(overridden.target.apiBase == "https://openrouter.ai/api/v1")
    }

    @Test func apiBaseFromEnvironment() {
        let openAI = Self.resolve("openai/gpt-4o", environment: ["OPENAI_API_KEY": "k", "OPENAI_BASE_URL": "http://proxy:4000/v1"])
        #expect(openAI.target.apiBase == "http://proxy:4000/v1")
        let legacy = Self.resolve("openai/gpt-4o", environment: ["OPENAI_API_KEY": "k", "OPENAI_API_BASE": "http://old:4000/v1"])
        #expect(legacy.target.apiBase == "http://old:4000/v1")
        let explicit = Self.resolve("openai/gpt-4o", apiBase: "http://mine/v1", environment: ["OPENAI_API_KEY": "k", "OPENAI_BASE_URL": "http://proxy:4000/v1"])
        #expect(explicit.target.apiBase == "http://mine/v1")
        let groq = Self.resolve("groq/x", environment: ["GROQ_API_KEY": "k", "GROQ_API_BASE": "http://groq-proxy/v1"])
        #expect(groq.target.apiBase == "http://groq-proxy/v1")
        let azure = Self.resolve("azure/d", environment: ["AZURE_API_KEY": "k", "AZURE_API_BASE": "https://env.openai.azure.com", "AZURE_API_VERSION": "2024-10-21"])
        #expect(azure.problem.isAbsent)
        #expect(azure.target.apiBase == "https://env.openai.azure.com")
        #expect(azure.target.apiVersion == "2024-10-21")
    }

    @Test func organizationForOpenAI() throws {
        let resolved = Self.resolve("openai/gpt-4o", environment: ["OPENAI_API_KEY": "k", "OPENAI_ORGANIZATION": "org-1"])
        #expect(resolved.target.organization == "org-1")
        let upstream = try resolved.adapter.chatRequest(Self.request(), target: resolved.target)
        #expect(upstream.headers["OpenAI-Organization"] == "org-1")
    }
}
