import SwitchyardCore
import SwitchyardProviders

/// What a stream's reader task reports.
enum StreamEvent<Item: Sendable>: Sendable {
    /// The response head arrived (2xx): its headers.
    case head(HeaderFields)
    case items([Item])
    case failure(UpstreamFailure)
}

/// Turns the bytes of one streamed answer into items (canonical chunks, or forwarded frames).
protocol StreamItemDecoding: Sendable {
    associatedtype Item: Sendable
    var isComplete: Bool { get }
    mutating func decodeItems(_ bytes: [UInt8]) throws(UpstreamFailure) -> [Item]
    mutating func finishItems() throws(UpstreamFailure) -> [Item]
    /// Whether the item is the first real content (until then the attempt may still fail over).
    static func isContent(_ item: Item) -> Bool
}

/// A provider's chunk decoder, yielding canonical chunks. A translating decoder leaves
/// `created` at 0; the chunks get the stream's start (LiteLLM stamps its chunks likewise).
struct ChunkItems: StreamItemDecoding {
    var decoder: any ChatStreamDecoder
    let created: Int
    var isComplete: Bool { decoder.isComplete }
    mutating func decodeItems(_ bytes: [UInt8]) throws(UpstreamFailure) -> [ChatChunk] { stamped(try decoder.decode(bytes)) }
    mutating func finishItems() throws(UpstreamFailure) -> [ChatChunk] { stamped(try decoder.finish()) }
    static func isContent(_ chunk: ChatChunk) -> Bool { chunk.countsAsContent }

    private func stamped(_ chunks: [ChatChunk]) -> [ChatChunk] {
        var chunks = chunks
        for index in chunks.indices where chunks[index].created == 0 { chunks[index].created = created }
        return chunks
    }
}

/// An OpenAI-dialect stream forwarded as frames, not decoded.
struct PassthroughItems: StreamItemDecoding {
    var decoder: OpenAIPassthroughDecoder
    var isComplete: Bool { decoder.isComplete }
    mutating func decodeItems(_ bytes: [UInt8]) throws(UpstreamFailure) -> [RawStreamFrame] { try decoder.decode(bytes) }
    mutating func finishItems() throws(UpstreamFailure) -> [RawStreamFrame] { try decoder.finish() }
    static func isContent(_ frame: RawStreamFrame) -> Bool { frame.hasContent }
}

/// A translated stream written out as OpenAI frames: the events of one read as one frame, with
/// the stream's start as their `created`.
struct EncodedChunkFrames: StreamItemDecoding {
    var decoder: any ChatStreamDecoder
    let created: Int
    var isComplete: Bool { decoder.isComplete }
    mutating func decodeItems(_ bytes: [UInt8]) throws(UpstreamFailure) -> [RawStreamFrame] {
        var frames = ChunkFrameWriter(created: created)
        try decoder.decode(bytes, into: &frames)
        return frames.frame.map { [$0] } ?? []
    }
    mutating func finishItems() throws(UpstreamFailure) -> [RawStreamFrame] {
        var frames = ChunkFrameWriter(created: created)
        try decoder.finish(into: &frames)
        return frames.frame.map { [$0] } ?? []
    }
    static func isContent(_ frame: RawStreamFrame) -> Bool { frame.hasContent }
}

/// One streamed upstream call, read by a task of its own: it sends the request and turns the
/// body into items with the adapter's decoder, while the router's `StallWatch` enforces the
/// stream timeout twice: until the first byte, and between chunks. The events arrive through a
/// bounded `StreamPipe` (at most `bufferedEvents` undelivered: a slow consumer holds the reader,
/// and so the upstream, back); cancelling the consumer, or dropping every copy of the session,
/// cancels the reader, which cancels the upstream request, and so does a stall (after its
/// failure is reported).
struct StreamSession<Item: Sendable>: Sendable {
    /// Undelivered events (each one read of the body, decoded) before the reader waits.
    static var bufferedEvents: Int { 16 }

    private let pipe: StreamPipe<StreamEvent<Item>>
    private let lifetime: StreamPipe<StreamEvent<Item>>.Lifetime
    /// Told when the stream breaks after it was handed to the caller (the deployment's health
    /// counts it, as LiteLLM's failure callback does).
    let onBreak: @Sendable (UpstreamFailure) -> Void

    /// The next event; nil once the stream has ended.
    func next() async -> StreamEvent<Item>? { await pipe.next() }

    static func start<Decoder: StreamItemDecoding>(
        _ request: UpstreamRequest, deployment: RoutedDeployment, decoder: Decoder, transport: any Transport, timeout: Double,
        deadline: Double, clock: any RouterClock, watch: StallWatch, onBreak: @escaping @Sendable (UpstreamFailure) -> Void = { _ in }
    ) -> StreamSession<Item> where Decoder.Item == Item {
        let pipe = StreamPipe<StreamEvent<Item>>(limit: bufferedEvents)
        // The closures hold the deployment (one reference), not a copy of its provider (a
        // retain for each reference the provider holds).
        let entry = StallWatch.Entry(now: clock.now(), limit: timeout) { firstByte in
            let what = firstByte ? "sent no first byte" : "stalled between chunks"
            pipe.sendNow(.failure(UpstreamFailure(
                .timeout, status: 408,
                message: "Deployment \(deployment.id.prefix(12)) (\(deployment.deployment.params.model)) \(what) for more than \(Router.seconds(timeout)) s (stream_timeout)",
                provider: deployment.provider.target.provider)))
            pipe.finish()  // which cancels the reader
        }
        let task = Task(executorPreference: EventLoopTaskExecutor.forCurrentLoop()) {
            defer { watch.remove(entry) }
            do {
                try await read(request, deployment: deployment, decoder: decoder, transport: transport, entry: entry, clock: clock, into: pipe, deadline: deadline)
            } catch let failure as UpstreamFailure {
                await pipe.send(.failure(failure))
            } catch let error as TransportError where error != .cancelled {
                await pipe.send(.failure(UpstreamFailure(error, provider: deployment.provider.target.provider, apiBase: deployment.provider.target.apiBase)))
            } catch {
                if !Task.isCancelled {
                    await pipe.send(.failure(UpstreamFailure(.connection, message: "\(error)", provider: deployment.provider.target.provider)))
                }
            }
            pipe.finish()
        }
        pipe.onTermination { task.cancel() }
        watch.add(entry)
        return StreamSession(pipe: pipe, lifetime: .init(pipe), onBreak: onBreak)
    }

    private static func read<Decoder: StreamItemDecoding>(
        _ request: UpstreamRequest, deployment: RoutedDeployment, decoder: Decoder, transport: any Transport,
        entry: StallWatch.Entry, clock: any RouterClock, into pipe: StreamPipe<StreamEvent<Item>>, deadline: Double
    ) async throws where Decoder.Item == Item {
        let response = try await transport.execute(request, deadline: deadline)
        guard (200..<300).contains(response.status) else {
            let body = (try? await response.body.collect(upTo: 1 << 20)) ?? []
            throw deployment.provider.adapter.failure(
                UpstreamAnswer(status: response.status, headers: response.headers, body: body, receivedAt: clock.wallTime()),
                target: deployment.provider.target)
        }
        guard await pipe.send(.head(response.headers)) else { return }
        var decoder = decoder
        for try await bytes in response.body {
            entry.touch(clock.now())
            let items = try decoder.decodeItems(bytes)
            if !items.isEmpty, !(await pipe.send(.items(items))) { return }
            if decoder.isComplete { return }
        }
        let tail = try decoder.finishItems()
        if !tail.isEmpty { await pipe.send(.items(tail)) }
    }
}
