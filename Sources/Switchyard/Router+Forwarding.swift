import SwitchyardCore
import SwitchyardProviders

/// The forwarding fast path, for servers that receive OpenAI-format bodies: when the deployment
/// speaks OpenAI's dialect the body goes upstream as it came (model replaced, gateway members
/// removed) and the answer comes back as the upstream's bytes, read only for what routing and
/// accounting need. Other deployments get the canonical path: decode, translate, encode.
extension Router {
    /// A chat completion for an OpenAI-format body; answers OpenAI-format bytes.
    @concurrent public func completion(raw: RawChatRequest, options: RequestOptions = .init()) async throws -> RoutedResponse<[UInt8]> {
        let options = options.merging(body: raw.controlMembers)
        return try await route(model: raw.model, options: options, streaming: false) { attempt in
            if let forwarding = attempt.deployment.rawForwarding {
                return try await self.forwarded(raw, forwarding, attempt)
            }
            return try await self.translated(raw, attempt)
        }
    }

    /// One attempt at a deployment that speaks OpenAI's dialect: the body goes as it came.
    /// (Each branch is an async function of its own: an async function's frame holds the locals
    /// of every branch it inlines, and a frame past the task allocator's slab is a `malloc`.)
    @inline(never)
    private func forwarded(_ raw: RawChatRequest, _ forwarding: RoutedDeployment.Forwarding, _ attempt: PlannedAttempt) async throws -> AttemptResult<[UInt8]> {
        // The deployment's provider read in place (a class's constant), not copied.
        let deployment = attempt.deployment
        var upstream = forwarding.envelope
        upstream.body = try forwarding.adapter.rawChatBody(raw, target: deployment.provider.target)
        let (answer, headers) = try await exchange(upstream, deployment: deployment, timeout: attempt.timeout)
        guard answer.isSuccess else { throw deployment.provider.adapter.failure(answer, target: deployment.provider.target) }
        return try Self.checkedAnswer(answer, headers: headers, provider: deployment.provider.target.provider)
    }

    /// A forwarded answer checked whole, its two members found in one scan, keeping no others.
    @inline(never)
    private static func checkedAnswer(_ answer: UpstreamAnswer, headers: HeaderFields, provider: String) throws(UpstreamFailure) -> AttemptResult<[UInt8]> {
        guard let (choices, usageValue) = JSONObjectScan.values(("choices", "usage"), in: answer.body),
            let choices, answer.body[choices.lowerBound] == UInt8(ascii: "[")
        else {
            let preview = String(decoding: answer.body.prefix(200), as: UTF8.self)
            throw UpstreamFailure(.connection, status: answer.status, message: "\(provider) sent an unreadable answer: \(preview)", provider: provider)
        }
        var usage: Usage?
        if let usageValue, !JSONObjectScan.isNull(answer.body[usageValue]) { usage = Usage.read(answer.body[usageValue]) }
        return AttemptResult(value: answer.body, upstreamHeaders: headers, usage: usage)
    }

    /// One attempt at a deployment that needs translation: decode, translate, encode.
    @inline(never)
    private func translated(_ raw: RawChatRequest, _ attempt: PlannedAttempt) async throws -> AttemptResult<[UInt8]> {
        Self.encoded(try await callChat(Self.decoded(raw, streaming: false), attempt))
    }

    /// A translated answer as OpenAI's bytes.
    @inline(never)
    private static func encoded(_ result: AttemptResult<ChatResponse>) -> AttemptResult<[UInt8]> {
        let bytes = result.value.directJSON ?? (try? JSONCoding.encode(result.value)) ?? []
        return AttemptResult(value: bytes, upstreamHeaders: result.upstreamHeaders, usage: result.usage)
    }

    /// A streamed chat completion for an OpenAI-format body; yields OpenAI SSE frames. Returns
    /// once the first frame with content has arrived (failures before it fail over).
    @concurrent public func streamCompletion(raw: RawChatRequest, options: RequestOptions = .init()) async throws -> RawChatStream {
        let options = options.merging(body: raw.controlMembers)
        let routed = try await route(model: raw.model, options: options, streaming: true) { attempt in
            if let forwarding = attempt.deployment.rawForwarding {
                return try await self.forwardedStream(raw, forwarding, attempt)
            }
            return try await self.translatedStream(raw, attempt)
        }
        return RawChatStream(metadata: routed.metadata, first: routed.value.first, session: routed.value.session)
    }

    /// A streamed attempt at a deployment that speaks OpenAI's dialect: its events are relayed.
    @inline(never)
    private func forwardedStream(
        _ raw: RawChatRequest, _ forwarding: RoutedDeployment.Forwarding, _ attempt: PlannedAttempt
    ) async throws -> AttemptResult<PrimedStream<RawStreamFrame>> {
        let target = attempt.deployment.provider.target
        var upstream = forwarding.envelope
        upstream.body = try forwarding.adapter.rawChatBody(raw, target: target)
        let decoder = PassthroughItems(decoder: OpenAIPassthroughDecoder(provider: target.provider))
        return try await openStream(upstream, decoder: decoder, attempt, deadline: attempt.exchangeDeadline)
    }

    /// A streamed attempt at a deployment that needs translation: its chunks are encoded as OpenAI's.
    @inline(never)
    private func translatedStream(_ raw: RawChatRequest, _ attempt: PlannedAttempt) async throws -> AttemptResult<PrimedStream<RawStreamFrame>> {
        let deployment = attempt.deployment
        let upstream = try Self.chatRequest(Self.decoded(raw, streaming: true), for: deployment)
        let decoder = EncodedChunkFrames(
            decoder: deployment.provider.adapter.chatStreamDecoder(target: deployment.provider.target), created: Int(clock.wallTime()))
        return try await openStream(upstream, decoder: decoder, attempt, deadline: attempt.exchangeDeadline)
    }

    /// The canonical request for a deployment that needs translation, asking for a stream or not.
    @inline(never)
    static func decoded(_ raw: RawChatRequest, streaming: Bool) throws(UpstreamFailure) -> ChatRequest {
        var request: ChatRequest
        do {
            request = try ChatRequest.decoded(from: raw.scan)
        } catch {
            throw UpstreamFailure(.badRequest, message: "Invalid request: \(JSONCoding.describe(error)).")
        }
        request.model = raw.model
        if streaming {
            request.stream = true
        } else {
            request.stream = nil
            request.streamOptions = nil
        }
        return request
    }
}

/// A forwarded stream: OpenAI SSE frames in order. A failure after the first frame ends the
/// iteration with a `GatewayError`.
public struct RawChatStream: AsyncSequence, Sendable {
    public typealias Element = RawStreamFrame

    public let metadata: RoutingMetadata
    let first: [RawStreamFrame]
    let session: StreamSession<RawStreamFrame>

    public func makeAsyncIterator() -> StreamIterator<RawStreamFrame> {
        StreamIterator(pending: first[...], session: session, metadata: metadata)
    }
}
