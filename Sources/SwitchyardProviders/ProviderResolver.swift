import SwitchyardCore

/// A deployment's provider, resolved: the adapter that speaks its dialect and the target it calls.
public struct ResolvedProvider: Sendable {
    public var adapter: any ProviderAdapter
    public var target: ProviderTarget
    /// A problem that will fail every request to this deployment (missing key, unknown
    /// provider): reported at load time as a warning, at request time as the failure.
    public var problem: UpstreamFailure?
    /// Credentials the router turns into a header per request (adapters stay pure).
    public var auth: UpstreamAuth?

    public init(adapter: any ProviderAdapter, target: ProviderTarget, problem: UpstreamFailure? = nil, auth: UpstreamAuth? = nil) {
        self.adapter = adapter
        self.target = target
        self.problem = problem
        self.auth = auth
    }
}

/// How a deployment authenticates beyond a static key.
public enum UpstreamAuth: Sendable, Hashable {
    /// A Google service account (`vertex_credentials`: a file path or the JSON itself; nil:
    /// `GOOGLE_APPLICATION_CREDENTIALS`), exchanged for an OAuth access token sent as Bearer.
    case googleServiceAccount(JSONValue?)
}

/// Where a deployment is served from, as LiteLLM's `litellm_params` say it.
public struct EndpointParams: Sendable, Hashable {
    public var model: String
    public var customLLMProvider: String?
    public var apiBase: String?
    public var apiKey: String?
    public var apiVersion: String?
    public var organization: String?
    public var headers: [String: String]
    public var dropParams: Bool
    /// The other litellm_params (provider extras such as `mock_response`, `vertex_project`).
    public var params: [String: JSONValue]

    public init(
        model: String, customLLMProvider: String? = nil, apiBase: String? = nil, apiKey: String? = nil,
        apiVersion: String? = nil, organization: String? = nil, headers: [String: String] = [:],
        dropParams: Bool = false, params: [String: JSONValue] = [:]
    ) {
        self.model = model
        self.customLLMProvider = customLLMProvider
        self.apiBase = apiBase
        self.apiKey = apiKey
        self.apiVersion = apiVersion
        self.organization = organization
        self.headers = headers
        self.dropParams = dropParams
        self.params = params
    }
}

/// Turns `model: provider/name` (or a bare well-known name) into an adapter and a target,
/// reading keys and base URLs from the injected environment as LiteLLM does.
public enum ProviderResolver {
    /// Providers LiteLLM knows that need a translation this build does not have yet.
    public static let notYetSupported: Set<String> = [
        "bedrock", "bedrock_converse", "sagemaker",
        "cohere", "cohere_chat", "ollama", "ollama_chat", "huggingface", "watsonx", "replicate", "azure_ai",
        "databricks", "cloudflare", "voyage", "jina_ai", "ai21", "nlp_cloud", "aleph_alpha", "palm",
        "predibase", "triton", "clarifai", "vllm", "text-completion-openai", "text-completion-codestral",
    ]

    public static func resolve(_ endpoint: EndpointParams, environment: [String: String]) -> ResolvedProvider {
        let (provider, model) = split(endpoint)
        var target = ProviderTarget(
            provider: provider ?? "unknown", model: model, apiBase: endpoint.apiBase ?? "", apiKey: endpoint.apiKey,
            apiVersion: endpoint.apiVersion, organization: endpoint.organization, headers: endpoint.headers,
            dropParams: endpoint.dropParams, params: endpoint.params)
        func env(_ names: [String]) -> String? { names.lazy.compactMap { environment[$0] }.first { !$0.isEmpty } }

        switch provider {
        case nil:
            // `acme/model` names a provider, just not one Switchyard knows: say which.
            if let slash = endpoint.model.firstIndex(of: "/"), slash != endpoint.model.startIndex {
                let prefix = String(endpoint.model[..<slash])
                let reason = unknownProviderReason(prefix, model: endpoint.model)
                return ResolvedProvider(adapter: UnsupportedProviderAdapter(reason: reason), target: target, problem: UpstreamFailure(.badRequest, message: reason, provider: prefix))
            }
            let reason = "Switchyard cannot tell the provider of model '\(endpoint.model)'. Write it as provider/model, e.g. openai/\(endpoint.model)."
            return ResolvedProvider(adapter: UnsupportedProviderAdapter(reason: reason), target: target, problem: UpstreamFailure(.badRequest, message: reason))
        case "mock"?:
            if endpoint.apiBase == nil { target.apiBase = MockAdapter.inProcessBase }
            return ResolvedProvider(adapter: MockAdapter(), target: target)
        case "openai"?:
            target.apiBase = endpoint.apiBase ?? env(["OPENAI_BASE_URL", "OPENAI_API_BASE"]) ?? "https://api.openai.com/v1"
            target.apiKey = endpoint.apiKey ?? env(["OPENAI_API_KEY"])
            target.organization = endpoint.organization ?? env(["OPENAI_ORGANIZATION"])
            return ResolvedProvider(adapter: OpenAIAdapter(), target: target, problem: missingKey(target, envNames: ["OPENAI_API_KEY"]))
        case "azure"?:
            target.apiBase = endpoint.apiBase ?? env(["AZURE_API_BASE", "AZURE_OPENAI_ENDPOINT"]) ?? ""
            target.apiKey = endpoint.apiKey ?? env(["AZURE_OPENAI_API_KEY", "AZURE_API_KEY"])
            target.apiVersion = endpoint.apiVersion ?? env(["AZURE_API_VERSION", "OPENAI_API_VERSION"])
            if target.apiBase.isEmpty {
                let failure = UpstreamFailure(.badRequest, message: "Azure deployment '\(model)' has no api_base: set api_base or AZURE_API_BASE.", provider: "azure")
                return ResolvedProvider(adapter: UnsupportedProviderAdapter(reason: failure.message), target: target, problem: failure)
            }
            let problem = target.params["azure_ad_token"] == nil ? missingKey(target, envNames: ["AZURE_API_KEY"]) : nil
            return ResolvedProvider(adapter: AzureAdapter(), target: target, problem: problem)
        case "anthropic"?:
            target.apiBase = endpoint.apiBase ?? env(["ANTHROPIC_API_BASE", "ANTHROPIC_BASE_URL"]) ?? AnthropicAdapter.defaultBase
            target.apiKey = endpoint.apiKey ?? env(["ANTHROPIC_API_KEY"])
            return ResolvedProvider(adapter: AnthropicAdapter(), target: target, problem: missingKey(target, envNames: ["ANTHROPIC_API_KEY"]))
        case "vertex_ai"?, "vertex_ai_beta"?:
            if target.params["vertex_project"]?.stringValue == nil, let project = env(["VERTEXAI_PROJECT", "VERTEX_PROJECT", "GOOGLE_CLOUD_PROJECT"]) {
                target.params["vertex_project"] = .string(project)
            }
            if target.params["vertex_location"]?.stringValue == nil, let location = env(["VERTEXAI_LOCATION", "VERTEX_LOCATION"]) {
                target.params["vertex_location"] = .string(location)
            }
            var credentials = target.params["vertex_credentials"]
            if credentials == nil, let path = env(["GOOGLE_APPLICATION_CREDENTIALS"]) { credentials = .string(path) }
            var problem: UpstreamFailure?
            if target.params["vertex_project"]?.stringValue == nil {
                problem = UpstreamFailure(.badRequest, message: "Vertex AI deployment '\(model)' needs vertex_project (or VERTEXAI_PROJECT).", provider: "vertex_ai")
            } else if credentials == nil {
                problem = UpstreamFailure(
                    .authentication, message: "Vertex AI deployment '\(model)' has no credentials: set vertex_credentials or GOOGLE_APPLICATION_CREDENTIALS.",
                    provider: "vertex_ai")
            }
            return ResolvedProvider(adapter: VertexAdapter(), target: target, problem: problem, auth: .googleServiceAccount(credentials))
        case "gemini"?:
            target.apiBase = endpoint.apiBase ?? env(["GEMINI_API_BASE"]) ?? GeminiAdapter.defaultBase
            target.apiKey = endpoint.apiKey ?? env(["GEMINI_API_KEY", "GOOGLE_API_KEY"])
            return ResolvedProvider(adapter: GeminiAdapter(), target: target, problem: missingKey(target, envNames: ["GEMINI_API_KEY"]))
        case let name?:
            if let row = OpenAICompatibleProvider.named(name) {
                target.apiBase = endpoint.apiBase ?? env(row.apiBaseEnvironment) ?? row.defaultBaseURL ?? ""
                target.apiKey = endpoint.apiKey ?? env(row.apiKeyEnvironment)
                if target.apiBase.isEmpty {
                    let failure = UpstreamFailure(.badRequest, message: "\(name) deployment '\(model)' needs an api_base (no default base URL for \(name)).", provider: name)
                    return ResolvedProvider(adapter: UnsupportedProviderAdapter(reason: failure.message), target: target, problem: failure)
                }
                let problem = row.requiresAPIKey ? missingKey(target, envNames: row.apiKeyEnvironment) : nil
                return ResolvedProvider(adapter: OpenAIAdapter(compatible: row), target: target, problem: problem)
            }
            let reason = notYetSupported.contains(name)
                ? "Switchyard does not support the provider '\(name)' yet (model '\(endpoint.model)')."
                : unknownProviderReason(name, model: endpoint.model)
            return ResolvedProvider(adapter: UnsupportedProviderAdapter(reason: reason), target: target, problem: UpstreamFailure(.badRequest, message: reason, provider: name))
        }
    }

    /// The provider and the provider's own model name: `custom_llm_provider`, else a known
    /// prefix, else inferred from a well-known bare name.
    public static func split(_ endpoint: EndpointParams) -> (provider: String?, model: String) {
        let model = endpoint.model
        if let custom = endpoint.customLLMProvider, !custom.isEmpty {
            let prefix = custom + "/"
            return (custom, model.hasPrefix(prefix) ? String(model.dropFirst(prefix.count)) : model)
        }
        if let slash = model.firstIndex(of: "/") {
            let prefix = String(model[..<slash])
            if isKnownPrefix(prefix) { return (prefix, String(model[model.index(after: slash)...])) }
        }
        return (inferProvider(bareModel: model), model)
    }

    static func isKnownPrefix(_ prefix: String) -> Bool {
        ["openai", "azure", "mock", "gemini", "anthropic", "vertex_ai", "vertex_ai_beta"].contains(prefix) || OpenAICompatibleProvider.named(prefix) != nil
            || notYetSupported.contains(prefix)
    }

    /// LiteLLM's inference for a model written without a provider prefix.
    public static func inferProvider(bareModel model: String) -> String? {
        let name = model.lowercased()
        let openAIPrefixes = [
            "gpt-", "chatgpt-", "o1", "o3", "o4", "text-embedding-", "davinci", "babbage", "ft:gpt", "dall-e",
            "whisper", "tts-", "omni-moderation", "text-moderation", "computer-use-", "codex-", "gpt-image",
        ]
        if openAIPrefixes.contains(where: name.hasPrefix) { return "openai" }
        if name.hasPrefix("claude-") { return "anthropic" }
        if name.hasPrefix("gemini-") { return "gemini" }
        if name.hasPrefix("command") || name.hasPrefix("embed-english") || name.hasPrefix("embed-multilingual") { return "cohere" }
        if name.hasPrefix("mistral-") || name.hasPrefix("open-mistral") || name.hasPrefix("open-mixtral") || name.hasPrefix("codestral") || name.hasPrefix("pixtral") || name.hasPrefix("magistral") { return "mistral" }
        if name.hasPrefix("grok-") { return "xai" }
        if name == "deepseek-chat" || name == "deepseek-reasoner" || name == "deepseek-coder" { return "deepseek" }
        return nil
    }

    static func unknownProviderReason(_ name: String, model: String) -> String {
        "Unknown provider '\(name)' in model '\(model)'. Use a LiteLLM provider prefix such as openai/, azure/ or groq/, or openai/ with an api_base for any OpenAI-compatible server."
    }

    static func missingKey(_ target: ProviderTarget, envNames: [String]) -> UpstreamFailure? {
        guard target.apiKey?.isEmpty ?? true else { return nil }
        let names = envNames.isEmpty ? "" : " or the environment variable \(envNames.joined(separator: " / "))"
        return UpstreamFailure(
            .authentication, message: "No API key for \(target.provider) deployment '\(target.model)': set api_key\(names).",
            provider: target.provider)
    }
}
