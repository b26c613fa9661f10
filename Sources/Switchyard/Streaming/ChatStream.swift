import SwitchyardCore

/// A streamed chat completion: the chunks, in order, as the upstream sends them. Returned only
/// once the first chunk with content has arrived, so every failure before it was retried or
/// fallen back; a failure after it ends the iteration with a `GatewayError`.
public struct ChatStream: AsyncSequence, Sendable {
    public typealias Element = ChatChunk

    /// The deployment that is streaming and the attempts before it.
    public let metadata: RoutingMetadata
    let first: [ChatChunk]
    let session: StreamSession<ChatChunk>

    public func makeAsyncIterator() -> StreamIterator<ChatChunk> {
        StreamIterator(pending: first[...], session: session, metadata: metadata)
    }
}

/// Iterates a routed stream: the items that arrived while routing, then the live ones.
public struct StreamIterator<Item: Sendable>: AsyncIteratorProtocol {
    var pending: ArraySlice<Item>
    let session: StreamSession<Item>
    let metadata: RoutingMetadata
    var finished = false

    public mutating func next() async throws -> Item? {
        if let item = pending.popFirst() { return item }
        guard let batch = try await nextBatch() else { return nil }
        pending = batch.dropFirst()
        return batch.first
    }

    /// Everything that has arrived and not been returned yet, or, when nothing has, the next
    /// non-empty batch; nil at the end. Lets a relay write several events at once.
    public mutating func nextBatch() async throws -> [Item]? {
        while true {
            if !pending.isEmpty {
                defer { pending = [] }
                return Array(pending)
            }
            guard !finished, let event = await session.next() else {
                finished = true
                try Task.checkCancellation()
                return nil
            }
            switch event {
            case .head:
                continue
            case .items(let items):
                pending = items[...]
            case .failure(let failure):
                finished = true
                throw broke(failure)
            }
        }
    }

    /// The error for a stream that broke after it started (its deployment's health told).
    /// Out of line: what it builds would otherwise sit in `nextBatch`'s async frame, which is
    /// allocated for every batch.
    @inline(never)
    private func broke(_ failure: UpstreamFailure) -> GatewayError {
        session.onBreak(failure)
        var attempts = metadata.attempts
        if var last = attempts.popLast() {
            last.failure = failure
            attempts.append(last)
        }
        return GatewayError(
            .upstream, "The stream from \(metadata.modelGroup) broke after it started: \(failure.message)",
            failure: failure, attempts: attempts)
    }
}
