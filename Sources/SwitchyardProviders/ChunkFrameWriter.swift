import SwitchyardCore

/// The OpenAI SSE events of one read of a translated stream, written into one buffer (as the
/// passthrough reader keeps one read as one frame), with what the relay must know of them: any
/// content (until then the attempt may still fail over), the end of the answer, the usage.
/// Chunks whose `created` is 0 (a translating decoder has no clock) get the writer's.
public struct ChunkFrameWriter: Sendable {
    public let created: Int
    public private(set) var bytes: [UInt8] = []
    public private(set) var hasContent = false
    public private(set) var isFinal = false
    public private(set) var usage: Usage?

    public init(created: Int = 0) {
        self.created = created
    }

    /// The events as one frame; nil when nothing was written.
    public var frame: RawStreamFrame? {
        bytes.isEmpty ? nil : RawStreamFrame(bytes: bytes, hasContent: hasContent, usage: usage, isFinal: isFinal)
    }

    public mutating func append(_ chunk: ChatChunk) {
        reserveOnce()
        chunk.appendSSEFrame(to: &bytes, created: chunk.created == 0 && created != 0 ? created : nil)
        hasContent = hasContent || chunk.countsAsContent
        isFinal = isFinal || chunk.usage != nil || chunk.choices.contains { $0.finishReason != nil }
        usage = chunk.usage ?? usage
    }

    /// The event of a chunk of one text delta, its text given as the JSON string literal
    /// (quotes included) the upstream wrote, known valid: copied, not decoded and re-escaped.
    /// `opening` is `ChatChunk.contentEventOpening` for the stream's id, model and `created`.
    public mutating func appendContent(literal: ArraySlice<UInt8>, opening: [UInt8]) {
        reserveOnce()
        ChatChunk.appendContentEvent(literal: literal, opening: opening, to: &bytes)
        hasContent = hasContent || literal.count > 2
    }

    /// Room for a read's usual events at the first one.
    private mutating func reserveOnce() {
        if bytes.capacity == 0 { bytes.reserveCapacity(1024) }
    }
}

extension ChatStreamDecoder {
    /// Each chunk `decode(_:)` gives, written as an event.
    public mutating func decode(_ bytes: [UInt8], into frames: inout ChunkFrameWriter) throws(UpstreamFailure) {
        for chunk in try decode(bytes) { frames.append(chunk) }
    }

    /// Each chunk `finish()` gives, written as an event.
    public mutating func finish(into frames: inout ChunkFrameWriter) throws(UpstreamFailure) {
        for chunk in try finish() { frames.append(chunk) }
    }
}
