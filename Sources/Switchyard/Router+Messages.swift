import SwitchyardCore
import SwitchyardProviders

/// Anthropic's Messages API over any deployment: to an Anthropic deployment the client's body
/// goes natively and the answer comes back as the upstream's bytes; every other deployment gets
/// the canonical translation, and its answer is written in Anthropic's shape.
extension Router {
    /// A Messages request; answers Anthropic message bytes.
    @concurrent public func messages(_ call: MessagesCall, options: RequestOptions = .init()) async throws -> RoutedResponse<[UInt8]> {
        let options = options.merging(body: call.chat.extra)
        return try await route(model: call.model, options: options, streaming: false) { attempt in
            let deployment = attempt.deployment
            let provider = deployment.provider
            guard let anthropic = provider.adapter as? AnthropicAdapter else {
                var request = call.chat.forUpstream
                request.stream = nil
                request.streamOptions = nil
                let result = try await self.callChat(request, attempt)
                let bytes = (try? JSONCoding.encode(MessagesResponse.message(result.value))) ?? []
                return AttemptResult(value: bytes, upstreamHeaders: result.upstreamHeaders, usage: result.usage)
            }
            let upstream = try anthropic.nativeRequest(call, target: provider.target)
            let (answer, headers) = try await self.exchange(upstream, deployment: deployment, timeout: attempt.timeout)
            guard answer.isSuccess else { throw anthropic.failure(answer, target: provider.target) }
            guard let message = AnthropicAnswer.message(answer.body) else {
                throw UpstreamFailure(
                    .connection, status: answer.status, message: "\(provider.target.provider) sent an answer that is not a message",
                    provider: provider.target.provider)
            }
            return AttemptResult(value: answer.body, upstreamHeaders: headers, usage: AnthropicAnswer.usage(message.object("usage")))
        }
    }

    /// A streamed Messages request; yields Anthropic SSE events. Returns once the first event
    /// with content has arrived (failures before it fail over).
    @concurrent public func streamMessages(_ call: MessagesCall, options: RequestOptions = .init()) async throws -> RawChatStream {
        let options = options.merging(body: call.chat.extra)
        let routed = try await route(model: call.model, options: options, streaming: true) { attempt in
            let provider = attempt.deployment.provider
            if let anthropic = provider.adapter as? AnthropicAdapter {
                let upstream = try anthropic.nativeRequest(call, target: provider.target)
                let decoder = AnthropicPassthroughItems(decoder: AnthropicPassthroughDecoder(provider: provider.target.provider))
                return try await self.openStream(upstream, decoder: decoder, attempt, deadline: attempt.exchangeDeadline)
            }
            var request = call.chat.forUpstream
            request.stream = true
            request.streamOptions = StreamOptions(includeUsage: true)
            let upstream = try provider.adapter.chatRequest(request, target: provider.target)
            let decoder = AnthropicEncodedFrames(chunks: ChunkItems(decoder: provider.adapter.chatStreamDecoder(target: provider.target), created: Int(self.clock.wallTime())))
            return try await self.openStream(upstream, decoder: decoder, attempt, deadline: attempt.exchangeDeadline)
        }
        return RawChatStream(metadata: routed.metadata, first: routed.value.first, session: routed.value.session)
    }
}

/// An Anthropic stream passed through.
struct AnthropicPassthroughItems: StreamItemDecoding {
    var decoder: AnthropicPassthroughDecoder
    var isComplete: Bool { decoder.isComplete }
    mutating func decodeItems(_ bytes: [UInt8]) throws(UpstreamFailure) -> [RawStreamFrame] { try decoder.decode(bytes) }
    mutating func finishItems() throws(UpstreamFailure) -> [RawStreamFrame] { try decoder.finish() }
    static func isContent(_ frame: RawStreamFrame) -> Bool { frame.hasContent }
}

/// A translated stream (canonical chunks) written as Anthropic events; the closing events
/// follow the upstream's end.
struct AnthropicEncodedFrames: StreamItemDecoding {
    var chunks: ChunkItems
    var encoder = MessagesStreamEncoder()
    var isComplete: Bool { chunks.isComplete }

    init(chunks: ChunkItems) { self.chunks = chunks }

    mutating func decodeItems(_ bytes: [UInt8]) throws(UpstreamFailure) -> [RawStreamFrame] {
        var frames = encode(try chunks.decodeItems(bytes))
        // The session stops reading at the end marker without asking for the tail: close here.
        if chunks.isComplete { frames.append(closing()) }
        return frames
    }

    mutating func finishItems() throws(UpstreamFailure) -> [RawStreamFrame] {
        var frames = encode(try chunks.finishItems())
        let last = encoder.finish()
        if !last.isEmpty { frames.append(RawStreamFrame(bytes: last, hasContent: true, usage: nil, isFinal: true)) }
        return frames
    }

    private mutating func closing() -> RawStreamFrame {
        RawStreamFrame(bytes: encoder.finish(), hasContent: true, usage: nil, isFinal: true)
    }

    private mutating func encode(_ items: [ChatChunk]) -> [RawStreamFrame] {
        items.compactMap { chunk in
            let bytes = encoder.encode(chunk)
            guard !bytes.isEmpty || chunk.usage != nil else { return nil }
            return RawStreamFrame(bytes: bytes, hasContent: ChunkItems.isContent(chunk), usage: chunk.usage, isFinal: false)
        }
    }

    static func isContent(_ frame: RawStreamFrame) -> Bool { frame.hasContent }
}
