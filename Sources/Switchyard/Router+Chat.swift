import SwitchyardCore
import SwitchyardProviders

extension Router {
    /// A chat completion from the group `model`.
    @concurrent public func completion(model: String, messages: [ChatMessage]) async throws -> RoutedResponse<ChatResponse> {
        try await completion(ChatRequest(model: model, messages: messages))
    }

    /// A chat completion for a full request (every OpenAI parameter). LiteLLM's routing members
    /// in the body (`num_retries`, `timeout`, `fallbacks`, …) are honoured and not forwarded.
    /// - Throws: `GatewayError`: `.unknownModel`, `.noDeploymentAvailable`, `.upstream` (with
    ///   every attempt), `.deadlineExceeded`; or `CancellationError`.
    @concurrent public func completion(_ request: ChatRequest, options: RequestOptions = .init()) async throws -> RoutedResponse<ChatResponse> {
        var request = request
        request.stream = nil
        request.streamOptions = nil
        let options = options.merging(body: request.extra)
        let finalRequest = request
        return try await route(model: request.model, options: options, streaming: false) { attempt in
            try await self.callChat(finalRequest, attempt)
        }
    }

    func callChat(_ request: ChatRequest, _ attempt: PlannedAttempt) async throws -> AttemptResult<ChatResponse> {
        let deployment = attempt.deployment
        let provider = deployment.provider
        let upstream = try provider.adapter.chatRequest(request, target: provider.target)
        let (answer, headers) = try await exchange(upstream, deployment: deployment, timeout: attempt.timeout)
        guard answer.isSuccess else { throw provider.adapter.failure(answer, target: provider.target) }
        let response = try provider.adapter.chatResponse(answer, target: provider.target)
        return AttemptResult(value: response, upstreamHeaders: headers, usage: response.usage)
    }
}
