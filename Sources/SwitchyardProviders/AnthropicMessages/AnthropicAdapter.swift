import SwitchyardCore

/// Anthropic's Messages API (`anthropic/` models; `claude-*` names are inferred):
/// `POST {api_base}/v1/messages` with `x-api-key` and `anthropic-version`; `anthropic-beta`
/// comes from the deployment's headers.
public struct AnthropicAdapter: ProviderAdapter {
    public static let defaultBase = "https://api.anthropic.com"
    public static let version = "2023-06-01"

    public init() {}

    public func chatRequest(_ request: ChatRequest, target: ProviderTarget) throws(UpstreamFailure) -> UpstreamRequest {
        let body = try AnthropicRequest.body(request, model: target.model, provider: target.provider)
        return UpstreamRequest(url: Self.messagesURL(target), headers: headers(target), body: body)
    }

    public func chatResponse(_ answer: UpstreamAnswer, target: ProviderTarget) throws(UpstreamFailure) -> ChatResponse {
        guard let message = AnthropicAnswer.message(answer.body) else {
            throw UpstreamFailure(.connection, status: answer.status, message: "Anthropic sent an answer that is not a message", provider: target.provider)
        }
        return AnthropicAnswer.response(message, model: target.model, created: Int(answer.receivedAt))
    }

    public func chatStreamDecoder(target: ProviderTarget) -> any ChatStreamDecoder {
        AnthropicStreamDecoder(model: target.model, provider: target.provider)
    }

    /// `{"type":"error","error":{"type","message"}}`: overloaded (529) is a server failure
    /// (retried, cools down), rate limits keep their Retry-After, "prompt is too long" is a
    /// context-window failure so `context_window_fallbacks` apply.
    public func failure(_ answer: UpstreamAnswer, target: ProviderTarget) -> UpstreamFailure {
        var failure = UpstreamFailureClassifier.classify(answer, provider: target.provider)
        if let json = try? JSONCoding.decode(JSONValue.self, from: answer.body), let type = json["error"]?["type"]?.stringValue {
            failure.message = json["error"]?["message"]?.stringValue ?? failure.message
            if type == "overloaded_error" { failure.kind = .server }
            if failure.message.lowercased().contains("prompt is too long") { failure.kind = .contextWindowExceeded }
        }
        return failure
    }

    /// The status an in-stream error type stands for.
    public static func status(forErrorType type: String) -> Int {
        switch type {
        case "invalid_request_error": return 400
        case "authentication_error": return 401
        case "permission_error": return 403
        case "not_found_error": return 404
        case "request_too_large": return 413
        case "rate_limit_error": return 429
        case "overloaded_error": return 529
        default: return 500
        }
    }

    /// `{api_base}/v1/messages`, whether the base ends at the host, at `/v1` or at `/v1/messages`;
    /// Anthropic's own base when the target has none.
    public static func messagesURL(_ target: ProviderTarget) -> String {
        var base = target.apiBase.isEmpty ? defaultBase : target.apiBase
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/v1/messages") { return base }
        if base.hasSuffix("/v1") { return base + "/messages" }
        return base + "/v1/messages"
    }

    public func headers(_ target: ProviderTarget) -> HeaderFields {
        var fields = HeaderFields()
        fields.fields.reserveCapacity(2)
        fields.add("anthropic-version", Self.version)
        if let key = target.apiKey { fields.add("x-api-key", key) }
        return UpstreamRequest.jsonHeaders(target, adding: fields)
    }
}
