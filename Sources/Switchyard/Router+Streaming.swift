import SwitchyardCore
import SwitchyardProviders

extension Router {
    /// A streamed chat completion from the group `model`.
    public func streamCompletion(model: String, messages: [ChatMessage]) async throws -> ChatStream {
        try await streamCompletion(ChatRequest(model: model, messages: messages))
    }

    /// A streamed chat completion for a full request. Returns when the first chunk with content
    /// has arrived: until then failures are retried and fallen back like any other.
    public func streamCompletion(_ request: ChatRequest, options: RequestOptions = .init()) async throws -> ChatStream {
        var request = request
        request.stream = true
        let options = options.merging(body: request.extra)
        let finalRequest = request
        let totalDeadline = options.totalTimeout ?? settings.totalTimeout
        let routed = try await route(model: request.model, options: options, streaming: true) { attempt in
            try await self.openStream(finalRequest, attempt, deadline: totalDeadline ?? 86_400)
        }
        return ChatStream(metadata: routed.metadata, first: routed.value.first, session: routed.value.session)
    }

    struct PrimedStream: Sendable {
        let first: [ChatChunk]
        let session: StreamSession
    }

    /// Starts the stream and waits for its first chunk with content (or its end); a failure
    /// before that is this attempt's failure.
    func openStream(_ request: ChatRequest, _ attempt: PlannedAttempt, deadline: Double) async throws -> AttemptResult<PrimedStream> {
        let deployment = attempt.deployment
        let provider = deployment.provider
        let upstream = try provider.adapter.chatRequest(request, target: provider.target)
        let started = clock.now()
        let session = StreamSession.start(
            upstream, deployment: deployment, transport: transport, timeout: attempt.streamTimeout, deadline: deadline, clock: clock)
        var iterator = session.events.makeAsyncIterator()
        var first: [ChatChunk] = []
        while let event = await iterator.next() {
            switch event {
            case .failure(let failure):
                throw failure
            case .chunks(let chunks):
                first.append(contentsOf: chunks)
                if chunks.contains(where: { $0.hasContent || $0.usage != nil || $0.choices.contains { $0.finishReason != nil } }) {
                    return AttemptResult(
                        value: PrimedStream(first: first, session: session), upstreamHeaders: [:], usage: nil,
                        timeToFirstToken: clock.now() - started)
                }
            }
        }
        try Task.checkCancellation()
        // The stream ended cleanly before any content (an empty completion).
        return AttemptResult(value: PrimedStream(first: first, session: session), upstreamHeaders: [:], usage: nil, timeToFirstToken: nil)
    }
}
