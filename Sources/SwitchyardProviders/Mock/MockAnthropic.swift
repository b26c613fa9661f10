import SwitchyardCore

/// The mock upstream's Anthropic Messages API (`POST /v1/messages`), as strict as the real one
/// where a wrong translation would show: it wants `x-api-key` and `anthropic-version`, refuses
/// members the API does not have (an OpenAI-shaped body fails), a missing `max_tokens`, a
/// `system` role inside `messages`, a `tool_result` without `tool_use_id` or without the
/// `tool_use` it answers, and answers in Anthropic's shapes: message, event stream, errors.
extension MockResponder {
    /// The top-level members of a Messages request.
    static let anthropicMembers: Set<String> = [
        "model", "messages", "max_tokens", "system", "metadata", "stop_sequences", "stream", "temperature", "top_p", "top_k",
        "tools", "tool_choice", "thinking", "service_tier", "container", "mcp_servers", "context_management",
    ]

    func anthropicMessages(headers: HeaderFields, body: [UInt8], directive: MockDirective, directiveText: String, now: Double) -> MockReply {
        guard let key = headers["x-api-key"], !key.isEmpty else {
            return anthropicError(401, "authentication_error", "x-api-key header is required")
        }
        guard headers["anthropic-version"] != nil else {
            return anthropicError(400, "invalid_request_error", "anthropic-version: header is required")
        }
        guard let json = try? JSONCoding.decode(JSONValue.self, from: body), let object = json.objectValue else {
            return anthropicError(400, "invalid_request_error", "The request body is not valid JSON.")
        }
        if let extra = object.keys.sorted().first(where: { !Self.anthropicMembers.contains($0) }) {
            return anthropicError(400, "invalid_request_error", "\(extra): Extra inputs are not permitted")
        }
        if let problem = Self.toolPairingProblem(object["messages"]?.arrayValue ?? []) {
            return anthropicError(400, "invalid_request_error", problem)
        }
        let request: ChatRequest
        do {
            request = try MessagesRequest.chatRequest(body)
        } catch {
            return anthropicError(400, "invalid_request_error", error.message)
        }
        guard request.messages.contains(where: { $0.role != .system }) else {
            return anthropicError(400, "invalid_request_error", "messages: at least one message is required")
        }
        if directive.contextWindow {
            return anthropicError(400, "invalid_request_error", "prompt is too long: 210000 tokens > 200000 maximum", delay: baseLatency + directive.latency)
        }
        if let fault = fault(directive, directiveText: directiveText) { return Self.anthropicShaped(fault) }
        let latency = baseLatency + directive.latency
        let number = nextNumber()
        let id = "msg_mock_\(number)"
        let content = Self.echo(of: request)
        let toolCall = Self.forcedToolCall(request, number: number).map { call in
            ToolCall(id: "toolu_mock_\(number)", function: call.function)
        }
        let usage = Self.usage(request: request, content: content)
        if request.isStreaming {
            let chunks = MockStream.chunks(
                id: id, created: Int(now), model: request.model, content: content, toolCall: toolCall, usage: usage, includeUsage: true)
            var encoder = MessagesStreamEncoder()
            var events = chunks.map { encoder.encode($0) }.filter { !$0.isEmpty }
            events.append(encoder.finish())
            events.insert(MessagesStreamEncoder.event("ping", ["type": "ping"]), at: min(1, events.count))
            if let dieAfter = directive.dieAfter {
                return .stream(headers: Self.sseHeaders, events: Array(events.prefix(2 + dieAfter)), delay: latency, interval: directive.chunkDelay, complete: false)
            }
            return .stream(headers: Self.sseHeaders, events: events, delay: latency, interval: directive.chunkDelay, complete: true)
        }
        let message: ChatMessage = toolCall.map { .assistant(toolCalls: [$0]) } ?? .assistant(content)
        let response = ChatResponse(
            id: id, created: Int(now), model: request.model,
            choices: [.init(index: 0, message: message, finishReason: toolCall == nil ? "stop" : "tool_calls")], usage: usage)
        let bytes = (try? JSONCoding.encode(MessagesResponse.message(response))) ?? []
        return .answer(status: 200, headers: Self.jsonHeaders, body: bytes, delay: latency, truncateAt: directive.dieAfter.map { min($0, bytes.count / 2) })
    }

    /// The API's rule: every `tool_use` is answered by a `tool_result` in the next user turn,
    /// and every `tool_result` answers a `tool_use` of the assistant turn just before it.
    static func toolPairingProblem(_ turns: [JSONValue]) -> String? {
        for (index, turn) in turns.enumerated() {
            let blocks = turn["content"]?.arrayValue ?? []
            for (position, block) in blocks.enumerated() where block["type"]?.stringValue == "tool_result" {
                guard let id = block["tool_use_id"]?.stringValue else {
                    return "messages.\(index).content.\(position).tool_result.tool_use_id: Field required"
                }
                let previous = index > 0 ? turns[index - 1]["content"]?.arrayValue ?? [] : []
                if !previous.contains(where: { $0["type"]?.stringValue == "tool_use" && $0["id"]?.stringValue == id }) {
                    return "messages.\(index).content.\(position): unexpected `tool_use_id` found in `tool_result` blocks: \(id). Each `tool_result` block must have a corresponding `tool_use` block in the previous message."
                }
            }
            guard turn["role"]?.stringValue == "assistant", index + 1 < turns.count else { continue }
            let answered = Set((turns[index + 1]["content"]?.arrayValue ?? []).compactMap { $0["type"]?.stringValue == "tool_result" ? $0["tool_use_id"]?.stringValue : nil })
            for block in blocks where block["type"]?.stringValue == "tool_use" {
                if let id = block["id"]?.stringValue, !answered.contains(id) {
                    return "messages.\(index + 1): `tool_use` ids were found without `tool_result` blocks immediately after: \(id). Each `tool_use` block must have a corresponding `tool_result` block in the next message."
                }
            }
        }
        return nil
    }

    func anthropicError(_ status: Int, _ type: String, _ message: String, delay: Double = 0) -> MockReply {
        let body: JSONValue = ["type": "error", "error": ["type": .string(type), "message": .string(message)]]
        return .answer(status: status, headers: Self.jsonHeaders, body: (try? JSONCoding.encode(body)) ?? [], delay: delay, truncateAt: nil)
    }

    /// A fault reply (OpenAI-shaped) re-rendered as Anthropic's error for its status.
    static func anthropicShaped(_ reply: MockReply) -> MockReply {
        guard case .answer(let status, let headers, let body, let delay, let truncateAt) = reply, status >= 400 else { return reply }
        let message = (try? JSONCoding.decode(JSONValue.self, from: body))?["error"]?["message"]?.stringValue ?? "mock upstream error"
        let type: String
        switch status {
        case 401: type = "authentication_error"
        case 403: type = "permission_error"
        case 404: type = "not_found_error"
        case 413: type = "request_too_large"
        case 429: type = "rate_limit_error"
        case 529, 503: type = "overloaded_error"
        case 400..<500: type = "invalid_request_error"
        default: type = "api_error"
        }
        let anthropic: JSONValue = ["type": "error", "error": ["type": .string(type), "message": .string(message)]]
        return .answer(status: status, headers: headers, body: (try? JSONCoding.encode(anthropic)) ?? body, delay: delay, truncateAt: truncateAt)
    }
}
