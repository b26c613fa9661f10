import SwitchyardCore

/// Everything an adapter needs to call one deployment, already resolved: provider, the model
/// name the provider knows, where it lives, the credentials.
public struct ProviderTarget: Sendable, Hashable {
    /// LiteLLM's provider name: `openai`, `azure`, `groq`, `mock`, …
    public var provider: String
    /// The model name sent upstream (the deployment name for Azure), prefix removed.
    public var model: String
    public var apiBase: String
    public var apiKey: String?
    public var apiVersion: String?
    public var organization: String?
    /// Headers to add to every request (`extra_headers` / `headers` in litellm_params).
    public var headers: [String: String]
    /// Drop parameters this provider rejects instead of failing (`drop_params`).
    public var dropParams: Bool
    /// The rest of litellm_params, for provider-specific settings (`mock_response`, …).
    public var params: [String: JSONValue]

    public init(
        provider: String, model: String, apiBase: String, apiKey: String? = nil, apiVersion: String? = nil,
        organization: String? = nil, headers: [String: String] = [:], dropParams: Bool = false,
        params: [String: JSONValue] = [:]
    ) {
        self.provider = provider
        self.model = model
        self.apiBase = apiBase
        self.apiKey = apiKey
        self.apiVersion = apiVersion
        self.organization = organization
        self.headers = headers
        self.dropParams = dropParams
        self.params = params
    }

    /// `apiBase` + `path`, with exactly one slash between them.
    public func url(_ path: String) -> String {
        var base = apiBase
        while base.hasSuffix("/") { base.removeLast() }
        return base + (path.hasPrefix("/") ? path : "/" + path)
    }
}
