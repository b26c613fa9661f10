import SwitchyardCore

/// OpenAI's own API and every OpenAI-dialect provider (a row of `OpenAICompatibleProvider.table`
/// supplies the differences). Also the wire format of the `mock/` provider.
public struct OpenAIAdapter: EmbeddingsAdapter {
    /// The compatible provider's row; nil for OpenAI itself.
    public var compatible: OpenAICompatibleProvider?

    public init(compatible: OpenAICompatibleProvider? = nil) {
        self.compatible = compatible
    }

    public func chatRequest(_ request: ChatRequest, target: ProviderTarget) throws(UpstreamFailure) -> UpstreamRequest {
        UpstreamRequest(url: target.url("/chat/completions"), headers: headers(for: target), body: try chatBody(request, target: target))
    }

    public func chatResponse(_ answer: UpstreamAnswer, target: ProviderTarget) throws(UpstreamFailure) -> ChatResponse {
        try decodeBody(ChatResponse.self, answer, target: target)
    }

    public func chatStreamDecoder(target: ProviderTarget) -> any ChatStreamDecoder {
        OpenAIStreamDecoder(provider: target.provider)
    }

    public func failure(_ answer: UpstreamAnswer, target: ProviderTarget) -> UpstreamFailure {
        UpstreamFailureClassifier.classify(answer, provider: target.provider)
    }

    public func embeddingRequest(_ request: EmbeddingRequest, target: ProviderTarget) throws(UpstreamFailure) -> UpstreamRequest {
        var upstream = request.forUpstream
        upstream.model = target.model
        return UpstreamRequest(
            url: target.url("/embeddings"), headers: headers(for: target), body: try encodeBody(upstream, target: target))
    }

    public func embeddingResponse(_ answer: UpstreamAnswer, target: ProviderTarget) throws(UpstreamFailure) -> EmbeddingResponse {
        try decodeBody(EmbeddingResponse.self, answer, target: target)
    }

    /// `Authorization: Bearer`, the organization, and the deployment's own headers.
    public func headers(for target: ProviderTarget) -> HeaderFields {
        var headers: HeaderFields = ["Content-Type": "application/json"]
        if let key = target.apiKey, !key.isEmpty { headers.add("Authorization", "Bearer \(key)") }
        if let organization = target.organization { headers.add("OpenAI-Organization", organization) }
        for (name, value) in target.headers.sorted(by: { $0.key < $1.key }) { headers.replace(name, value) }
        return headers
    }

    /// o-series and gpt-5 models take `max_completion_tokens` only.
    static func isReasoningModel(_ model: String) -> Bool {
        // The name after the last `/`, compared as bytes (it runs on every forwarded request).
        let utf8 = model.utf8
        let name = utf8.lastIndex(of: UInt8(ascii: "/")).map { utf8[utf8.index(after: $0)...] } ?? utf8[...]
        return name.starts(with: "o1".utf8) || name.starts(with: "o3".utf8) || name.starts(with: "o4".utf8)
            || name.starts(with: "gpt-5".utf8)
    }

    func encodeBody<T: Encodable>(_ value: T, target: ProviderTarget) throws(UpstreamFailure) -> [UInt8] {
        do {
            return try JSONCoding.encode(value)
        } catch {
            throw UpstreamFailure(.badRequest, message: "could not encode the request: \(error)", provider: target.provider)
        }
    }

    func decodeBody<T: Decodable>(_ type: T.Type, _ answer: UpstreamAnswer, target: ProviderTarget) throws(UpstreamFailure) -> T {
        do {
            return try JSONCoding.decode(type, from: answer.body)
        } catch {
            let preview = String(decoding: answer.body.prefix(200), as: UTF8.self)
            throw UpstreamFailure(
                .connection, status: answer.status,
                message: "\(target.provider) sent an unreadable answer (\(JSONCoding.describe(error))): \(preview)",
                provider: target.provider)
        }
    }
}
