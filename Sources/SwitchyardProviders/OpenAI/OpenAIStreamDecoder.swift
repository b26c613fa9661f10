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
        return try chunks(from: parser.events(bytes, provider: provider))
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
        let status = error["code"]?.intValue ?? error["status"]?.intValue ?? impliedStatus(error, message: message)
        let kind = UpstreamFailureClassifier.kind(status: status, message: message, code: code)
        return UpstreamFailure(kind, status: status, message: message, provider: provider)
    }

    /// The HTTP status an in-stream error stands for when it carries none: the stream itself was
    /// a 200, so only the error's `type`, `code` and text tell a rate limit or a too-long prompt
    /// from a server fault (OpenAI sends `rate_limit_exceeded`, `context_length_exceeded`, … here).
    static func impliedStatus(_ error: JSONValue, message: String) -> Int {
        let names = [error["type"]?.stringValue, error["code"]?.stringValue].compactMap { $0?.lowercased() }
        func named(_ candidates: Set<String>) -> Bool { names.contains(where: candidates.contains) }
        if named(["rate_limit_exceeded", "insufficient_quota", "rate_limit_error", "tokens", "requests"]) { return 429 }
        if named(["authentication_error", "invalid_api_key"]) { return 401 }
        if named(["permission_error"]) { return 403 }
        if named(["not_found_error", "model_not_found"]) { return 404 }
        if named(["invalid_request_error", "context_length_exceeded", "content_policy_violation", "content_filter"]) {
            return 400
        }
        let text = (message + " " + names.joined(separator: " ")).lowercased()
        let markers = UpstreamFailureClassifier.contextWindowMarkers + UpstreamFailureClassifier.contentPolicyMarkers
        return markers.contains(where: text.contains) ? 400 : 500
    }
}
