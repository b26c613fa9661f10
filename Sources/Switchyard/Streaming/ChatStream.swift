import SwitchyardCore

/// A streamed chat completion: the chunks, in order, as the upstream sends them. Returned only
/// once the first chunk with content has arrived, so every failure before it was retried or
/// fallen back; a failure after it ends the iteration with a `GatewayError`.
public struct ChatStream: AsyncSequence, Sendable {
    public typealias Element = ChatChunk

    /// The deployment that is streaming and the attempts before it.
    public let metadata: RoutingMetadata
    let first: [ChatChunk]
    let session: StreamSession

    public func makeAsyncIterator() -> Iterator {
        Iterator(pending: first[...], events: session.events.makeAsyncIterator(), metadata: metadata)
    }

    public struct Iterator: AsyncIteratorProtocol {
        var pending: ArraySlice<ChatChunk>
        var events: AsyncStream<StreamEvent>.Iterator
        let metadata: RoutingMetadata
        var finished = false

        public mutating func next() async throws -> ChatChunk? {
            while true {
                if let chunk = pending.popFirst() { return chunk }
                guard !finished, let event = await events.next() else {
                    finished = true
                    try Task.checkCancellation()
                    return nil
                }
                switch event {
                case .chunks(let chunks):
                    pending = chunks[...]
                case .failure(let failure):
                    finished = true
                    var attempts = metadata.attempts
                    if var last = attempts.popLast() {
                        last.failure = failure
                        attempts.append(last)
                    }
                    throw GatewayError(
                        .upstream, "The stream from \(metadata.modelGroup) broke after it started: \(failure.message)",
                        failure: failure, attempts: attempts)
                }
            }
        }
    }
}
