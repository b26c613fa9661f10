import SwitchyardCore

/// A Messages API request as a client sent it: the body (kept whole for Anthropic deployments,
/// which get it natively: beta features, `cache_control`, thinking and members this gateway does
/// not know all survive) and its canonical translation (for every other deployment).
public struct MessagesCall: Sendable {
    public var model: String
    public var body: [String: JSONValue]
    public var chat: ChatRequest
    /// `anthropic-version` and `anthropic-beta` as the client sent them.
    public var anthropicHeaders: HeaderFields
    public var isStreaming: Bool { chat.isStreaming }

    public init(body bytes: [UInt8], headers: HeaderFields) throws(GatewayError) {
        chat = try MessagesRequest.chatRequest(bytes)
        model = chat.model
        body = (try? JSONCoding.decode(JSONValue.self, from: bytes))?.objectValue ?? [:]
        anthropicHeaders = [:]
        for name in ["anthropic-version", "anthropic-beta"] {
            if let value = headers[name], !value.isEmpty { anthropicHeaders.add(name, value) }
        }
    }
}

extension AnthropicAdapter {
    /// The client's Messages body sent as it came, to this deployment's model; the client's
    /// `anthropic-beta` joins the deployment's, its `anthropic-version` wins.
    public func nativeRequest(_ call: MessagesCall, target: ProviderTarget) throws(UpstreamFailure) -> UpstreamRequest {
        var body = call.body
        body["model"] = .string(target.model)
        var headers = headers(target)
        if let version = call.anthropicHeaders["anthropic-version"] { headers.replace("anthropic-version", version) }
        if let beta = call.anthropicHeaders["anthropic-beta"] {
            let merged = [headers["anthropic-beta"], beta].compactMap { $0 }.joined(separator: ",")
            headers.replace("anthropic-beta", merged)
        }
        guard let bytes = try? JSONCoding.encode(JSONValue.object(body)) else {
            throw UpstreamFailure(.badRequest, message: "The request could not be encoded for Anthropic", provider: target.provider)
        }
        return UpstreamRequest(url: Self.messagesURL(target), headers: headers, body: bytes)
    }
}

/// An Anthropic event stream passed through as it came: each event re-framed, looked at only
/// for content (the attempt succeeds at the first), usage, its end (`message_stop`) and errors.
public struct AnthropicPassthroughDecoder: Sendable {
    private var parser = ServerSentEventParser()
    public private(set) var isComplete = false
    private var startUsage: [String: JSONValue] = [:]
    let provider: String

    public init(provider: String) { self.provider = provider }

    public mutating func decode(_ bytes: [UInt8]) throws(UpstreamFailure) -> [RawStreamFrame] {
        try frames(try parser.events(bytes, provider: provider))
    }

    public mutating func finish() throws(UpstreamFailure) -> [RawStreamFrame] {
        let tail = try frames(parser.finish())
        if !isComplete { throw UpstreamFailure(.connection, message: "\(provider) closed the stream before it finished", provider: provider) }
        return tail
    }

    private mutating func frames(_ events: [ServerSentEvent]) throws(UpstreamFailure) -> [RawStreamFrame] {
        var out: [RawStreamFrame] = []
        for event in events where !isComplete && !event.data.isEmpty {
            guard let json = try? JSONCoding.decode(JSONValue.self, from: Array(event.data.utf8)) else {
                throw UpstreamFailure(.connection, message: "\(provider) sent an unreadable stream event: \(event.data.prefix(200))", provider: provider)
            }
            let type = json["type"]?.stringValue ?? event.event ?? ""
            var usage: Usage?
            switch type {
            case "error":
                let kind = json["error"]?["type"]?.stringValue ?? "api_error"
                let message = json["error"]?["message"]?.stringValue ?? "stream error"
                let status = AnthropicAdapter.status(forErrorType: kind)
                throw UpstreamFailure(UpstreamFailureClassifier.kind(status: status, message: message, code: kind), status: status, message: message, provider: provider)
            case "message_start":
                startUsage = json["message"]?["usage"]?.objectValue ?? [:]
            case "message_delta":
                var merged = startUsage
                for (key, value) in json["usage"]?.objectValue ?? [:] where !value.isNull { merged[key] = value }
                usage = AnthropicAnswer.usage(.object(merged))
            case "message_stop":
                isComplete = true
            default:
                break
            }
            let bytes = Array("event: \(type)\ndata: ".utf8) + Array(event.data.utf8) + [0x0A, 0x0A]
            let content = type == "content_block_start" || type == "content_block_delta" || type == "message_delta" || type == "message_stop"
            out.append(RawStreamFrame(bytes: bytes, hasContent: content, usage: usage, isFinal: type == "message_delta" || type == "message_stop"))
        }
        return out
    }
}
