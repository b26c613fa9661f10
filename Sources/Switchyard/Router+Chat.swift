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

    /// One attempt with a canonical request: the adapter translates it and its answer. The
    /// translations are out of line, so this async frame holds only what crosses the `await`.
    func callChat(_ request: ChatRequest, _ attempt: PlannedAttempt) async throws -> AttemptResult<ChatResponse> {
        let deployment = attempt.deployment
        let upstream = try Self.chatRequest(request, for: deployment)
        let (answer, headers) = try await exchange(upstream, deployment: deployment, timeout: attempt.timeout)
        return try Self.chatAnswer(answer, headers: headers, from: deployment)
    }

    @inline(never)
    static func chatRequest(_ request: ChatRequest, for deployment: RoutedDeployment) throws -> UpstreamRequest {
        try deployment.provider.adapter.chatRequest(request, target: deployment.provider.target)
    }

    @inline(never)
    static func chatAnswer(_ answer: UpstreamAnswer, headers: HeaderFields, from deployment: RoutedDeployment) throws -> AttemptResult<ChatResponse> {
        guard answer.isSuccess else { throw deployment.provider.adapter.failure(answer, target: deployment.provider.target) }
        let response = try deployment.provider.adapter.chatResponse(answer, target: deployment.provider.target)
        return AttemptResult(value: response, upstreamHeaders: headers, usage: response.usage)
    }
}
