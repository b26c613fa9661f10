import SwitchyardCore

/// One upstream API dialect. Pure: no network, no clock, no environment, no globals. It turns
/// a canonical request plus a resolved deployment into an `UpstreamRequest`, decodes answers
/// and stream bytes into canonical values, and classifies failures.
public protocol ProviderAdapter: Sendable {
    /// Builds the HTTP request for one deployment.
    func chatRequest(_ request: ChatRequest, target: ProviderTarget) throws(UpstreamFailure) -> UpstreamRequest
    /// Decodes a 2xx answer.
    func chatResponse(_ answer: UpstreamAnswer, target: ProviderTarget) throws(UpstreamFailure) -> ChatResponse
    /// A fresh incremental decoder for one streamed answer.
    func chatStreamDecoder(target: ProviderTarget) -> any ChatStreamDecoder
    /// Classifies a non-2xx answer.
    func failure(_ answer: UpstreamAnswer, target: ProviderTarget) -> UpstreamFailure
}

/// The ability to embed, a protocol of its own so a provider without it has no stub.
public protocol EmbeddingsAdapter: ProviderAdapter {
    func embeddingRequest(_ request: EmbeddingRequest, target: ProviderTarget) throws(UpstreamFailure) -> UpstreamRequest
    func embeddingResponse(_ answer: UpstreamAnswer, target: ProviderTarget) throws(UpstreamFailure) -> EmbeddingResponse
}

/// Turns the bytes of one streamed answer into chunks, as they arrive.
public protocol ChatStreamDecoder: Sendable {
    /// Consumes bytes; returns the chunks they complete. Throws when the stream carries an error.
    mutating func decode(_ bytes: [UInt8]) throws(UpstreamFailure) -> [ChatChunk]
    /// The stream ended (the connection closed). Throws if it ended before its end marker.
    mutating func finish() throws(UpstreamFailure) -> [ChatChunk]
    /// Consumes bytes; writes the OpenAI events of the chunks they complete. The default writes
    /// each chunk `decode(_:)` gives; a decoder may write some straight from the upstream's bytes.
    mutating func decode(_ bytes: [UInt8], into frames: inout ChunkFrameWriter) throws(UpstreamFailure)
    /// `finish()`, its chunks written as events.
    mutating func finish(into frames: inout ChunkFrameWriter) throws(UpstreamFailure)
    /// The end marker was seen (`[DONE]`, `message_stop`, …); anything after it is ignored.
    var isComplete: Bool { get }
}
