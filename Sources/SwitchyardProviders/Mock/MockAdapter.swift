import SwitchyardCore

/// The `mock/` provider: OpenAI's dialect sent to an in-process mock upstream (`mock://` URLs,
/// answered by `MockResponder` without a network), or to `switchyard mock-upstream` when the
/// deployment sets an `api_base`. The deployment's `mock_response`, `mock_fault` and
/// `mock_delay` (seconds) params become the request's `mock_response` and fault directive.
public struct MockAdapter: EmbeddingsAdapter {
    let openAI = OpenAIAdapter()

    public init() {}

    /// The base URL of the in-process mock upstream.
    public static let inProcessBase = "mock://switchyard/v1"

    public func chatRequest(_ request: ChatRequest, target: ProviderTarget) throws(UpstreamFailure) -> UpstreamRequest {
        var upstream = try openAI.chatRequest(request, target: target)
        if let mockResponse = target.params["mock_response"] ?? request.extra["mock_response"], mockResponse.stringValue != nil {
            var withMock = request.forUpstream
            withMock.model = target.model
            withMock.extra["mock_response"] = mockResponse
            upstream.body = try openAI.encodeBody(withMock, target: target)
        }
        addDirective(to: &upstream, target: target)
        return upstream
    }

    public func chatResponse(_ answer: UpstreamAnswer, target: ProviderTarget) throws(UpstreamFailure) -> ChatResponse {
        try openAI.chatResponse(answer, target: target)
    }

    public func chatStreamDecoder(target: ProviderTarget) -> any ChatStreamDecoder {
        openAI.chatStreamDecoder(target: target)
    }

    public func failure(_ answer: UpstreamAnswer, target: ProviderTarget) -> UpstreamFailure {
        openAI.failure(answer, target: target)
    }

    public func embeddingRequest(_ request: EmbeddingRequest, target: ProviderTarget) throws(UpstreamFailure) -> UpstreamRequest {
        var upstream = try openAI.embeddingRequest(request, target: target)
        addDirective(to: &upstream, target: target)
        return upstream
    }

    public func embeddingResponse(_ answer: UpstreamAnswer, target: ProviderTarget) throws(UpstreamFailure) -> EmbeddingResponse {
        try openAI.embeddingResponse(answer, target: target)
    }

    func addDirective(to request: inout UpstreamRequest, target: ProviderTarget) {
        var tokens: [String] = []
        if let fault = target.params["mock_fault"]?.stringValue, !fault.isEmpty { tokens.append(fault) }
        if let delay = target.params["mock_delay"]?.doubleValue, delay > 0, delay.isFinite { tokens.append("latency_ms=\(Int(min(delay, 86_400) * 1000))") }
        if target.params["mock_timeout"]?.boolValue == true { tokens.append("hang") }
        if !tokens.isEmpty { request.headers.add(MockResponder.directiveHeader, tokens.joined(separator: ";")) }
    }
}
