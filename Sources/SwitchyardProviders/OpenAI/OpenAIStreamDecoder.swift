import SwitchyardCore

/// OpenAI's streaming dialect: SSE `data:` events holding `chat.completion.chunk` JSON, ended by
/// `data: [DONE]`. An event holding `{"error":…}` ends the stream with that failure.
public struct OpenAIStreamDecoder: ChatStreamDecoder {
    private var parser = ServerSentEventParser()
    public private(set) var isComplete = false
    private var sawFinishReason = false
    let provider: String

    public init(provider: String) {
        self.provider = provider
    }

    public mutating func decode(_ bytes: [UInt8]) throws(UpstreamFailure) -> [ChatChunk] {
        let events: [ServerSentEvent]
        do {
            events = try parser.parse(bytes)
        } catch {
            throw UpstreamFailure(.connection, message: "\(provider) stream event too large", provider: provider)
        }
        return try chunks(from: events)
    }

    public mutating func finish() throws(UpstreamFailure) -> [ChatChunk] {
        let chunks = try chunks(from: parser.finish())
        if !isComplete && !sawFinishReason {
            throw UpstreamFailure(
                .connection, message: "\(provider) closed the stream before it finished", provider: provider)
        }
        return chunks
    }

    private mutating func chunks(from events: [ServerSentEvent]) throws(UpstreamFailure) -> [ChatChunk] {
        var chunks: [ChatChunk] = []
        chunks.reserveCapacity(events.count)
        for event in events where !isComplete {
            if event.isDone {
                isComplete = true
                break
            }
            if event.data.isEmpty || event.event == "ping" { continue }
            let chunk: ChatChunk
            do {
                chunk = try JSONCoding.decode(ChatChunk.self, from: Array(event.data.utf8))
            } catch {
                throw UpstreamFailure(
                    .connection, message: "\(provider) sent an unreadable stream event: \(event.data.prefix(200))",
                    provider: provider)
            }
            if let error = chunk.extra["error"] {
                throw Self.failure(fromStreamError: error, provider: provider)
            }
            if chunk.choices.contains(where: { $0.finishReason != nil }) { sawFinishReason = true }
            chunks.append(chunk)
        }
        return chunks
    }

    static func failure(fromStreamError error: JSONValue, provider: String) -> UpstreamFailure {
        let message = error["message"]?.stringValue ?? error.stringValue ?? "stream error"
        let code = error["code"]?.stringValue ?? error["type"]?.stringValue
        let status = error["code"]?.intValue ?? error["status"]?.intValue ?? 500
        let kind = UpstreamFailureClassifier.kind(status: status, message: message, code: code)
        return UpstreamFailure(kind, status: status, message: message, provider: provider)
    }
}
