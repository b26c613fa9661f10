import SwitchyardCore

/// Azure OpenAI: OpenAI's wire format at deployment URLs
/// (`{api_base}/openai/deployments/{deployment}/chat/completions?api-version=…`), or the v1 API
/// (`{api_base}/openai/v1/chat/completions`) when `api_version` is `v1`/`latest`/`preview` or
/// the base already ends in `/openai/v1`. Auth is the `api-key` header, or `Authorization: Bearer`
/// for an Entra ID token (`azure_ad_token`).
public struct AzureAdapter: EmbeddingsAdapter {
    let openAI = OpenAIAdapter()

    /// LiteLLM's default `api-version` when none is configured.
    public static let defaultAPIVersion = "2025-02-01-preview"

    public init() {}

    public func chatRequest(_ request: ChatRequest, target: ProviderTarget) throws(UpstreamFailure) -> UpstreamRequest {
        UpstreamRequest(url: url(target, operation: "chat/completions"), headers: headers(for: target), body: try openAI.chatBody(request, target: target))
    }

    public func chatResponse(_ answer: UpstreamAnswer, target: ProviderTarget) throws(UpstreamFailure) -> ChatResponse {
        try openAI.chatResponse(answer, target: target)
    }

    public func chatStreamDecoder(target: ProviderTarget) -> any ChatStreamDecoder {
        openAI.chatStreamDecoder(target: target)
    }

    public func failure(_ answer: UpstreamAnswer, target: ProviderTarget) -> UpstreamFailure {
        UpstreamFailureClassifier.classify(answer, provider: target.provider)
    }

    public func embeddingRequest(_ request: EmbeddingRequest, target: ProviderTarget) throws(UpstreamFailure) -> UpstreamRequest {
        var upstream = request.forUpstream
        upstream.model = target.model
        return UpstreamRequest(url: url(target, operation: "embeddings"), headers: headers(for: target), body: try openAI.encodeBody(upstream, target: target))
    }

    public func embeddingResponse(_ answer: UpstreamAnswer, target: ProviderTarget) throws(UpstreamFailure) -> EmbeddingResponse {
        try openAI.embeddingResponse(answer, target: target)
    }

    /// The request URL for `operation` (`chat/completions`, `embeddings`).
    public func url(_ target: ProviderTarget, operation: String) -> String {
        var base = target.apiBase
        while base.hasSuffix("/") { base.removeLast() }
        let version = target.apiVersion ?? Self.defaultAPIVersion
        if base.hasSuffix("/openai/v1") {
            return "\(base)/\(operation)"
        }
        // A base that is already a deployment URL is used as it is (LiteLLM passes it as the
        // client's base_url), instead of getting a second `/openai/deployments/…`.
        if base.contains("/openai/deployments/") {
            return "\(base)/\(operation)?api-version=\(version)"
        }
        // The resource endpoint is often written with its `/openai` path; both URL forms add it.
        if base.hasSuffix("/openai") { base.removeLast("/openai".count) }
        if ["v1", "latest", "preview"].contains(version) {
            return "\(base)/openai/v1/\(operation)" + (version == "preview" ? "?api-version=preview" : "")
        }
        return "\(base)/openai/deployments/\(target.model)/\(operation)?api-version=\(version)"
    }

    func headers(for target: ProviderTarget) -> HeaderFields {
        var headers: HeaderFields = ["Content-Type": "application/json"]
        if let token = target.params["azure_ad_token"]?.stringValue, !token.isEmpty {
            headers.add("Authorization", "Bearer \(token)")
        } else if let key = target.apiKey, !key.isEmpty {
            headers.add("api-key", key)
        }
        for (name, value) in target.headers.sorted(by: { $0.key < $1.key }) { headers.replace(name, value) }
        return headers
    }
}
