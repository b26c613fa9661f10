import SwitchyardCore
import SwitchyardProviders

extension Router {
    /// Embeddings of `input` from the group `model`.
    @concurrent public func embedding(model: String, input: [String]) async throws -> RoutedResponse<EmbeddingResponse> {
        try await embedding(EmbeddingRequest(model: model, input: .texts(input)))
    }

    /// Embeddings for a full request (`encoding_format`, `dimensions`, token input, …).
    @concurrent public func embedding(_ request: EmbeddingRequest, options: RequestOptions = .init()) async throws -> RoutedResponse<EmbeddingResponse> {
        let options = options.merging(body: request.extra)
        return try await route(model: request.model, options: options, streaming: false) { attempt in
            let deployment = attempt.deployment
            let provider = deployment.provider
            guard let adapter = provider.adapter as? any EmbeddingsAdapter else {
                throw UpstreamFailure(
                    .badRequest, message: "The provider '\(provider.target.provider)' of deployment '\(deployment.group)' cannot embed.",
                    provider: provider.target.provider)
            }
            let upstream = try adapter.embeddingRequest(request, target: provider.target)
            let (answer, headers) = try await self.exchange(upstream, deployment: deployment, timeout: attempt.timeout)
            guard answer.isSuccess else { throw adapter.failure(answer, target: provider.target) }
            let response = try adapter.embeddingResponse(answer, target: provider.target)
            let usage = response.usage.map { Usage(promptTokens: $0.promptTokens, completionTokens: 0, totalTokens: $0.totalTokens) }
            return AttemptResult(value: response, upstreamHeaders: headers, usage: usage)
        }
    }
}
