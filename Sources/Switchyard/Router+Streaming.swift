import SwitchyardCore
import SwitchyardProviders

extension Router {
    /// A streamed chat completion from the group `model`.
    @concurrent public func streamCompletion(model: String, messages: [ChatMessage]) async throws -> ChatStream {
        try await streamCompletion(ChatRequest(model: model, messages: messages))
    }

    /// A streamed chat completion for a full request. Returns when the first chunk with content
    /// has arrived: until then failures are retried and fallen back like any other.
    @concurrent public func streamCompletion(_ request: ChatRequest, options: RequestOptions = .init()) async throws -> ChatStream {
        var request = request
        request.stream = true
        let options = options.merging(body: request.extra)
        let finalRequest = request
        let routed = try await route(model: request.model, options: options, streaming: true) { attempt in
            let provider = attempt.deployment.provider
            let upstream = try provider.adapter.chatRequest(finalRequest, target: provider.target)
            let decoder = ChunkItems(decoder: provider.adapter.chatStreamDecoder(target: provider.target), created: Int(self.clock.wallTime()))
            return try await self.openStream(upstream, decoder: decoder, attempt, deadline: attempt.exchangeDeadline)
        }
        return ChatStream(metadata: routed.metadata, first: routed.value.first, session: routed.value.session)
    }

    struct PrimedStream<Item: Sendable>: Sendable {
        let first: [Item]
        let session: StreamSession<Item>
    }

    /// Starts the stream and waits for its first item with content (or its end); a failure
    /// before that is this attempt's failure.
    func openStream<Decoder: StreamItemDecoding>(
        _ upstream: UpstreamRequest, decoder: Decoder, _ attempt: PlannedAttempt, deadline: Double
    ) async throws -> AttemptResult<PrimedStream<Decoder.Item>> {
        let started = clock.now()
        let session = StreamSession<Decoder.Item>.start(
            upstream, deployment: attempt.deployment, decoder: decoder, transport: transport(for: attempt.deployment), timeout: attempt.streamTimeout,
            deadline: deadline, clock: clock, watch: stallWatch,
            onBreak: { [deployment = attempt.deployment, group = attempt.group] failure in
                self.recordBreak(failure, deployment: deployment, group: group)
            })
        var first: [Decoder.Item] = []
        var headers = HeaderFields()
        while let event = await session.next() {
            switch event {
            case .failure(let failure):
                throw failure
            case .head(let fields):
                headers = fields
            case .items(let items):
                first.append(contentsOf: items)
                if items.contains(where: Decoder.isContent) {
                    return AttemptResult(
                        value: PrimedStream(first: first, session: session), upstreamHeaders: headers, usage: nil,
                        timeToFirstToken: clock.now() - started)
                }
            }
        }
        try Task.checkCancellation()
        // The stream ended cleanly before any content (an empty completion).
        return AttemptResult(value: PrimedStream(first: first, session: session), upstreamHeaders: headers, usage: nil, timeToFirstToken: nil)
    }
}
