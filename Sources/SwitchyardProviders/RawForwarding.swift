import SwitchyardCore

/// An adapter whose upstream speaks OpenAI's dialect can forward the client's body as it came
/// (model replaced, gateway members removed) and hand back the upstream's bytes: no decoding
/// and re-encoding of what passes through unchanged.
public protocol RawChatForwarding: ProviderAdapter {
    func rawChatRequest(_ request: RawChatRequest, target: ProviderTarget) throws(UpstreamFailure) -> UpstreamRequest
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
    public func rawChatRequest(_ request: RawChatRequest, target: ProviderTarget) throws(UpstreamFailure) -> UpstreamRequest {
        UpstreamRequest(url: target.url("/chat/completions"), headers: headers(for: target), body: try forwardBody(request, target: target))
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
    public func rawChatRequest(_ request: RawChatRequest, target: ProviderTarget) throws(UpstreamFailure) -> UpstreamRequest {
        UpstreamRequest(url: url(target, operation: "chat/completions"), headers: headers(for: target), body: try openAI.forwardBody(request, target: target))
    }
}

extension MockAdapter: RawChatForwarding {
    public func rawChatRequest(_ request: RawChatRequest, target: ProviderTarget) throws(UpstreamFailure) -> UpstreamRequest {
        var add: [(String, [UInt8])] = []
        if let mock = target.params["mock_response"]?.stringValue ?? request.controlMembers["mock_response"]?.stringValue {
            add.append(("mock_response", JSONStrings.quoted(mock)))
        }
        var upstream = UpstreamRequest(url: target.url("/chat/completions"), headers: openAI.headers(for: target), body: try openAI.forwardBody(request, target: target, add: add))
        addDirective(to: &upstream, target: target)
        return upstream
    }
}
