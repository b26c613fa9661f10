import SwitchyardCore

/// `streamGenerateContent?alt=sse`: each SSE `data:` event is a whole `GenerateContentResponse`
/// holding the next piece of text, whole function calls, and (at the end) the finish reason
/// and usage. There is no end marker: the stream is complete when the connection ends after a
/// finish reason. Every chunk carries one id; tool calls are numbered across the stream.
struct GeminiStreamDecoder: ChatStreamDecoder {
    private var parser = ServerSentEventParser()
    private var id: String?
    private var created: Int
    private let model: String
    private var sentRole = false
    private var toolCount = 0
    private var finished = false
    private var lastUsage: Usage?
    private var usageSent = false
    let provider: String
    var isComplete: Bool { false }

    init(model: String, provider: String, created: Int) {
        self.model = model
        self.provider = provider
        self.created = created
    }

    mutating func decode(_ bytes: [UInt8]) throws(UpstreamFailure) -> [ChatChunk] {
        return try chunks(parser.events(bytes, provider: provider))
    }

    mutating func finish() throws(UpstreamFailure) -> [ChatChunk] {
        var out = try chunks(parser.finish())
        guard finished else {
            throw UpstreamFailure(.connection, message: "\(provider) closed the stream before it finished", provider: provider)
        }
        if let usage = lastUsage, !usageSent {
            usageSent = true
            out.append(ChatChunk(id: id ?? "gemini", created: created, model: model, choices: [], usage: usage))
        }
        return out
    }

    private mutating func chunks(_ events: [ServerSentEvent]) throws(UpstreamFailure) -> [ChatChunk] {
        var out: [ChatChunk] = []
        for event in events where !event.data.isEmpty {
            guard let json = try? JSONCoding.decode(JSONValue.self, from: Array(event.data.utf8)) else {
                throw UpstreamFailure(.connection, message: "\(provider) sent an unreadable stream event: \(event.data.prefix(200))", provider: provider)
            }
            if let error = json["error"], !error.isNull {
                let status = error["code"]?.intValue ?? 500
                let message = error["message"]?.stringValue ?? "stream error"
                throw UpstreamFailure(
                    UpstreamFailureClassifier.kind(status: status, message: message, code: error["status"]?.stringValue),
                    status: status, message: message, provider: provider)
            }
            let response = try GeminiResponse(json, provider: provider)
            if id == nil { id = response.id.map { "chatcmpl-" + $0 } ?? "chatcmpl-gemini-\(created)" }
            if let usage = response.usage { lastUsage = usage }
            var choices: [ChatChunk.Choice] = []
            for candidate in response.candidates {
                var delta = ChatChunk.Delta()
                if !sentRole {
                    delta.role = .assistant
                }
                if !candidate.text.isEmpty { delta.content = candidate.text }
                if !candidate.reasoning.isEmpty { delta.reasoningContent = candidate.reasoning }
                if !candidate.calls.isEmpty {
                    delta.toolCalls = GeminiResponse.toolCalls(candidate.calls, firstIndex: toolCount, idPrefix: id ?? "gemini")
                    toolCount += candidate.calls.count
                }
                if candidate.finishReason != nil { finished = true }
                choices.append(.init(index: candidate.index, delta: delta, finishReason: candidate.finishReason))
            }
            if !choices.isEmpty {
                sentRole = true
                out.append(ChatChunk(id: id ?? "gemini", created: created, model: response.model ?? model, choices: choices))
            }
        }
        return out
    }
}
