import SwitchyardCore

/// Google Vertex AI (`vertex_ai/`): Gemini models through `generateContent` /
/// `streamGenerateContent` under `publishers/google`, Claude models through `rawPredict` /
/// `streamRawPredict` under `publishers/anthropic` (the Messages body without `model`, with
/// `anthropic_version: vertex-2023-10-16`), and Gemini embeddings through `predict`. The URL is
/// `https://{location}-aiplatform.googleapis.com/v1/projects/{project}/locations/{location}/…`
/// (`aiplatform.googleapis.com` for `global`); an `api_base` replaces the scheme and host.
/// Requests carry no key: the router adds a service-account access token (`auth`).
public struct VertexAdapter: ProviderAdapter, EmbeddingsAdapter {
    public static let anthropicVersion = "vertex-2023-10-16"
    let gemini = GeminiAdapter()
    let anthropic = AnthropicAdapter()

    public init() {}

    /// Claude models are served by Anthropic's publisher; everything else by Google's.
    public static func isClaude(_ model: String) -> Bool { model.lowercased().hasPrefix("claude") }

    public func chatRequest(_ request: ChatRequest, target: ProviderTarget) throws(UpstreamFailure) -> UpstreamRequest {
        if Self.isClaude(target.model) {
            let body = try AnthropicRequest.body(
                request, model: target.model, modelInBody: false, anthropicVersion: Self.anthropicVersion, provider: target.provider)
            let method = request.isStreaming ? "streamRawPredict" : "rawPredict"
            return UpstreamRequest(url: try Self.url(target, publisher: "anthropic", method: method), headers: headers(target), body: body)
        }
        let body = try GeminiRequest.body(request)
        let method = request.isStreaming ? "streamGenerateContent?alt=sse" : "generateContent"
        return UpstreamRequest(url: try Self.url(target, publisher: "google", method: method), headers: headers(target), body: try UpstreamRequest.jsonBody(body, for: target))
    }

    public func chatResponse(_ answer: UpstreamAnswer, target: ProviderTarget) throws(UpstreamFailure) -> ChatResponse {
        Self.isClaude(target.model) ? try anthropic.chatResponse(answer, target: target) : try gemini.chatResponse(answer, target: target)
    }

    public func chatStreamDecoder(target: ProviderTarget) -> any ChatStreamDecoder {
        Self.isClaude(target.model) ? anthropic.chatStreamDecoder(target: target) : gemini.chatStreamDecoder(target: target)
    }

    public func failure(_ answer: UpstreamAnswer, target: ProviderTarget) -> UpstreamFailure {
        Self.isClaude(target.model) ? anthropic.failure(answer, target: target) : gemini.failure(answer, target: target)
    }

    public func embeddingRequest(_ request: EmbeddingRequest, target: ProviderTarget) throws(UpstreamFailure) -> UpstreamRequest {
        let texts = try request.input.texts(for: target, providerName: "Vertex AI")
        var body: [String: JSONValue] = ["instances": .array(texts.map { ["content": .string($0)] })]
        if let dimensions = request.dimensions { body["parameters"] = ["outputDimensionality": .int(dimensions)] }
        return UpstreamRequest(url: try Self.url(target, publisher: "google", method: "predict"), headers: headers(target), body: try UpstreamRequest.jsonBody(.object(body), for: target))
    }

    public func embeddingResponse(_ answer: UpstreamAnswer, target: ProviderTarget) throws(UpstreamFailure) -> EmbeddingResponse {
        guard let json = try? JSONCoding.decode(JSONValue.self, from: answer.body), let predictions = json["predictions"]?.arrayValue else {
            throw UpstreamFailure(.connection, status: answer.status, message: "Vertex AI sent an embeddings answer without predictions", provider: target.provider)
        }
        var tokens = 0
        let data = predictions.enumerated().map { index, prediction in
            tokens += prediction["embeddings"]?["statistics"]?["token_count"]?.intValue ?? 0
            return EmbeddingResponse.Embedding(
                index: index, embedding: .floats((prediction["embeddings"]?["values"]?.arrayValue ?? []).compactMap(\.doubleValue)))
        }
        return EmbeddingResponse(data: data, model: target.model, usage: .init(promptTokens: tokens, totalTokens: tokens))
    }

    /// `{base}/v1/projects/{project}/locations/{location}/publishers/{publisher}/models/{model}:{method}`.
    static func url(_ target: ProviderTarget, publisher: String, method: String) throws(UpstreamFailure) -> String {
        guard let project = target.params["vertex_project"]?.stringValue, !project.isEmpty else {
            throw UpstreamFailure(.badRequest, message: "Vertex AI deployment '\(target.model)' has no vertex_project (or VERTEXAI_PROJECT)", provider: target.provider)
        }
        let location = target.params["vertex_location"]?.stringValue ?? "us-central1"
        var base = target.apiBase
        if base.isEmpty { base = location == "global" ? "https://aiplatform.googleapis.com" : "https://\(location)-aiplatform.googleapis.com" }
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/v1") { base.removeLast(3) }
        return "\(base)/v1/projects/\(project)/locations/\(location)/publishers/\(publisher)/models/\(target.model):\(method)"
    }

    func headers(_ target: ProviderTarget) -> HeaderFields { UpstreamRequest.jsonHeaders(target) }
}
