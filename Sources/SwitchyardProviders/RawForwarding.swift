import SwitchyardCore

/// An adapter whose upstream speaks OpenAI's dialect can forward the client's body as it came
/// (model replaced, gateway members removed) and hand back the upstream's bytes: no decoding
/// and re-encoding of what passes through unchanged.
public protocol RawChatForwarding: ProviderAdapter {
    /// The URL and header fields of every chat request forwarded to `target`, without a body:
    /// they depend on the target only, so the router makes them once per deployment.
    func rawChatEnvelope(target: ProviderTarget) -> UpstreamRequest
    /// The body forwarded for `request`.
    func rawChatBody(_ request: RawChatRequest, target: ProviderTarget) throws(UpstreamFailure) -> [UInt8]
}

extension RawChatForwarding {
    /// The whole forwarded request: the envelope with the body.
    public func rawChatRequest(_ request: RawChatRequest, target: ProviderTarget) throws(UpstreamFailure) -> UpstreamRequest {
        var upstream = rawChatEnvelope(target: target)
        upstream.body = try rawChatBody(request, target: target)
        return upstream
    }
}

/// One SSE event of a forwarded stream, ready to write, with what the router needs to know of it.
public struct RawStreamFrame: Sendable {
    /// `data: …\n\n`.
    public var bytes: [UInt8]
    /// The event carries content (text, a tool call, a refusal, reasoning), a finish reason or usage.
    public var hasContent: Bool
    public var usage: Usage?
    /// The event ends the answer (a finish reason or usage): only `[DONE]` should follow, so a
    /// relay may hold it back a moment to send both at once.
    public var isFinal: Bool

    public init(bytes: [UInt8], hasContent: Bool, usage: Usage?, isFinal: Bool = false) {
        self.bytes = bytes
        self.hasContent = hasContent
        self.usage = usage
        self.isFinal = isFinal
    }
}

extension OpenAIAdapter: RawChatForwarding {
    public func rawChatEnvelope(target: ProviderTarget) -> UpstreamRequest {
        UpstreamRequest(url: target.url("/chat/completions"), headers: headers(for: target), body: [])
    }

    public func rawChatBody(_ request: RawChatRequest, target: ProviderTarget) throws(UpstreamFailure) -> [UInt8] {
        try forwardBody(request, target: target)
    }

    /// The forwarded body with this provider's quirks applied, the same ones a decoded request
    /// gets (`parameterEdits`). A provider without quirks for what the request sets gets the
    /// client's bytes with only the model replaced and the gateway's members removed.
    func forwardBody(_ request: RawChatRequest, target: ProviderTarget, add: [(String, [UInt8])] = []) throws(UpstreamFailure) -> [UInt8] {
        let edits = try parameterEdits(request, target: target)
        return request.forwardBody(model: upstreamModel(target), drop: edits.drop, rename: edits.rename, replace: edits.replace, add: add)
    }
}

extension AzureAdapter: RawChatForwarding {
    public func rawChatEnvelope(target: ProviderTarget) -> UpstreamRequest {
        UpstreamRequest(url: url(target, operation: "chat/completions"), headers: headers(for: target), body: [])
    }

    public func rawChatBody(_ request: RawChatRequest, target: ProviderTarget) throws(UpstreamFailure) -> [UInt8] {
        try openAI.forwardBody(request, target: target)
    }
}

extension MockAdapter: RawChatForwarding {
    public func rawChatEnvelope(target: ProviderTarget) -> UpstreamRequest {
        var upstream = UpstreamRequest(url: target.url("/chat/completions"), headers: openAI.headers(for: target), body: [])
        addDirective(to: &upstream, target: target)
        return upstream
    }

    public func rawChatBody(_ request: RawChatRequest, target: ProviderTarget) throws(UpstreamFailure) -> [UInt8] {
        var add: [(String, [UInt8])] = []
        if let mock = target.params["mock_response"]?.stringValue ?? request.controlMembers["mock_response"]?.stringValue {
            add.append(("mock_response", JSONStrings.quoted(mock)))
        }
        return try openAI.forwardBody(request, target: target, add: add)
    }
}
