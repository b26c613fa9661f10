import SwitchyardCore

/// What the parameter quirks need to know of a chat request, decoded (`ChatRequest`) or as the
/// client's bytes (`RawChatRequest`), so that one function works them out for both paths.
protocol ChatParameterReading {
    /// Whether the request sets the parameter `name` (to something other than null).
    func sets(_ name: String) -> Bool
    /// `tool_choice` when it is a string.
    var toolChoiceText: String? { get }
}

extension ChatRequest: ChatParameterReading {
    func sets(_ name: String) -> Bool { hasParameter(name) }

    var toolChoiceText: String? {
        switch toolChoice {
        case ToolChoice.none?: return "none"
        case ToolChoice.auto?: return "auto"
        case ToolChoice.required?: return "required"
        case .other(.string(let text))?: return text
        default: return nil
        }
    }
}

extension RawChatRequest: ChatParameterReading {
    func sets(_ name: String) -> Bool { has(name) }
    var toolChoiceText: String? { scan.string("tool_choice") }
}

/// What a provider's parameter quirks do to one request's body: members removed, renamed, or given
/// another value (its JSON bytes). Applied to the bytes, on the forwarding path to the client's
/// body (`RawChatRequest.forwardBody`), on the decoded path to the encoded request
/// (`JSONObjectScan.edited`), so both send the same thing.
struct ParameterEdits {
    var drop: Set<String> = []
    var rename: [String: String] = [:]
    var replace: [String: [UInt8]] = [:]

    var isEmpty: Bool { drop.isEmpty && rename.isEmpty && replace.isEmpty }

    /// `name` goes as `newName`, unless the request sets `newName` too: then that one stays and
    /// `name` goes.
    mutating func rename(_ name: String, to newName: String, in request: some ChatParameterReading) {
        if request.sets(newName) { drop.insert(name) } else { rename[name] = newName }
    }

    /// This body with the edits applied (the body itself when there are none).
    func applied(to body: [UInt8]) -> [UInt8] {
        guard !isEmpty, let scan = JSONObjectScan(body) else { return body }
        return scan.edited(drop: drop, rename: rename, replace: replace)
    }
}

extension OpenAIAdapter {
    /// The provider's parameter quirks for this request, the one place they are worked out: the
    /// output-cap name, renamed parameters, `tool_choice` spellings and restrictions, parameters
    /// never sent, and parameters it rejects (dropped under `drop_params`, else a 400 naming them).
    /// Reads only the members a quirk of this provider is about.
    func parameterEdits(_ request: some ChatParameterReading, target: ProviderTarget) throws(UpstreamFailure) -> ParameterEdits {
        var edits = ParameterEdits()
        guard let compatible else {
            // These models reject `max_tokens` outright, so it is renamed, or dropped when the
            // request also sets `max_completion_tokens` (which then wins).
            if Self.isReasoningModel(target.model), request.sets("max_tokens") {
                edits.rename("max_tokens", to: "max_completion_tokens", in: request)
            }
            return edits
        }
        if compatible.maxTokensField == .maxTokens, request.sets("max_completion_tokens") {
            edits.rename("max_completion_tokens", to: "max_tokens", in: request)
        }
        for (name, newName) in compatible.renamedParameters where request.sets(name) {
            edits.rename(name, to: newName, in: request)
        }
        for name in compatible.ignoredParameters where request.sets(name) {
            edits.drop.insert(name)
        }
        var rejected = compatible.unsupportedParameters.sorted().filter { request.sets($0) }
        if (compatible.acceptedToolChoices != nil || !compatible.toolChoiceValues.isEmpty) && !rejected.contains("tool_choice")
            && request.sets("tool_choice")
        {
            let text = request.toolChoiceText
            if let accepted = compatible.acceptedToolChoices, !(text.map(accepted.contains) ?? false) {
                rejected.append("tool_choice")
            } else if let text, let value = compatible.toolChoiceValues[text] {
                edits.replace["tool_choice"] = JSONStrings.quoted(value)
            }
        }
        if !rejected.isEmpty && !target.dropParams {
            var message = "\(compatible.prefix) does not support the parameter(s) \(rejected.joined(separator: ", "))"
            if rejected.contains("tool_choice"), let accepted = compatible.acceptedToolChoices,
                !compatible.unsupportedParameters.contains("tool_choice")
            {
                let value = request.toolChoiceText.map { "\"\($0)\"" } ?? "an object"
                message += " (tool_choice \(value); it takes only \(accepted.sorted().joined(separator: ", ")))"
            }
            throw UpstreamFailure(
                .badRequest,
                message: message + ". Remove them, or set drop_params: true to drop them for this provider.",
                provider: compatible.prefix)
        }
        edits.drop.formUnion(rejected)
        return edits
    }

    /// The model name sent upstream for a chat request.
    func upstreamModel(_ target: ProviderTarget) -> String {
        compatible?.upstreamModel(target.model) ?? target.model
    }

    /// The encoded chat request for this provider: the target's model, its quirks applied.
    func chatBody(_ request: ChatRequest, target: ProviderTarget) throws(UpstreamFailure) -> [UInt8] {
        var upstream = request.forUpstream
        upstream.model = upstreamModel(target)
        let edits = try parameterEdits(upstream, target: target)
        return edits.applied(to: try encodeBody(upstream, target: target))
    }
}
