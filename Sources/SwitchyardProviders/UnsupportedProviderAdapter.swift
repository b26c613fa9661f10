import SwitchyardCore

/// Stands in for a provider this build cannot call (yet): every request fails with a clear
/// 400-class failure naming the provider, so a config that lists it still loads and routing
/// falls back past it.
public struct UnsupportedProviderAdapter: ProviderAdapter {
    public let reason: String

    public init(reason: String) {
        self.reason = reason
    }

    public func chatRequest(_ request: ChatRequest, target: ProviderTarget) throws(UpstreamFailure) -> UpstreamRequest {
        throw UpstreamFailure(.badRequest, message: reason, provider: target.provider)
    }

    public func chatResponse(_ answer: UpstreamAnswer, target: ProviderTarget) throws(UpstreamFailure) -> ChatResponse {
        throw UpstreamFailure(.badRequest, message: reason, provider: target.provider)
    }

    public func chatStreamDecoder(target: ProviderTarget) -> any ChatStreamDecoder {
        OpenAIStreamDecoder(provider: target.provider)
    }

    public func failure(_ answer: UpstreamAnswer, target: ProviderTarget) -> UpstreamFailure {
        UpstreamFailure(.badRequest, message: reason, provider: target.provider)
    }
}
