import SwitchyardCore

/// The canonical chat request as an Anthropic Messages body (the `anthropic/` provider):
/// system and developer messages → `system`; turns of one role merged; images (base64 or URL)
/// and PDFs as blocks; assistant tool calls → `tool_use`, tool messages → `tool_result` in a
/// user turn; `max_tokens` filled from the model's output limit when absent; `stop` →
/// `stop_sequences`; tools → `input_schema`; `tool_choice` and `parallel_tool_calls`;
/// `response_format` json_schema / json_object as a `json_tool_call` tool, forced unless
/// thinking is on (LiteLLM's way); `user` → `metadata.user_id` unless it is an email or phone;
/// `reasoning_effort` / `thinking` → a thinking budget; `cache_control` passed through.
/// OpenAI-only parameters Anthropic has no counterpart for (`n`, penalties, `logit_bias`,
/// `seed`, `logprobs`, …) are not sent: the API refuses unknown members.
public enum AnthropicRequest {
    /// The tool that carries a JSON-schema answer.
    public static let jsonToolName = "json_tool_call"

    public static func body(_ request: ChatRequest) throws(UpstreamFailure) -> JSONValue {
        var system: [JSONValue] = []
        var turns: [(role: String, blocks: [JSONValue])] = []
        func append(_ role: String, _ blocks: [JSONValue]) {
            guard !blocks.isEmpty else { return }
            if let last = turns.last, last.role == role {
                turns[turns.count - 1].blocks += blocks
            } else {
                turns.append((role, blocks))
            }
        }
        for message in request.messages {
            switch message.role {
            case .system, .developer:
                system += try blocks(message.content, cache: message.extra["cache_control"])
            case .assistant:
                var out: [JSONValue] = []
                if let thinking = message.extra["thinking_blocks"]?.arrayValue {
                    out += thinking
                } else if let reasoning = message.reasoningContent, !reasoning.isEmpty, let signature = message.extra["reasoning_signature"]?.stringValue {
                    out.append(["type": "thinking", "thinking": .string(reasoning), "signature": .string(signature)])
                }
                out += try blocks(message.content, cache: message.extra["cache_control"]).filter { $0["text"]?.stringValue?.isEmpty != true }
                for call in message.toolCalls ?? [] {
                    let input = call.function?.arguments.flatMap { try? JSONCoding.decode(JSONValue.self, from: Array($0.utf8)) }
                    out.append([
                        "type": "tool_use", "id": .string(call.id ?? "toolu_\(turns.count)"), "name": .string(call.function?.name ?? ""),
                        "input": input?.objectValue != nil ? (input ?? .object([:])) : .object([:]),
                    ])
                }
                append("assistant", out)
            case .tool:
                var result: [String: JSONValue] = [
                    "type": "tool_result", "tool_use_id": .string(message.toolCallID ?? ""),
                    "content": .string(message.content?.text ?? ""),
                ]
                if let cache = message.extra["cache_control"] { result["cache_control"] = cache }
                append("user", [.object(result)])
            default:
                append("user", try blocks(message.content, cache: message.extra["cache_control"]))
            }
        }

        var body: [String: JSONValue] = [
            "model": .string(request.model),
            "messages": .array(turns.map { turn in
                // A lone text block without extras goes as a plain string, as clients write it.
                if turn.blocks.count == 1, turn.blocks[0]["type"] == "text", turn.blocks[0].objectValue?.count == 2, let text = turn.blocks[0]["text"] {
                    return ["role": .string(turn.role), "content": text]
                }
                return ["role": .string(turn.role), "content": .array(turn.blocks)]
            }),
        ]
        if !system.isEmpty {
            let plain = system.allSatisfy { $0.objectValue?.count == 2 }
            body["system"] = plain ? .string(system.compactMap { $0["text"]?.stringValue }.joined(separator: "\n")) : .array(system)
        }
        var maxTokens = request.maxCompletionTokens ?? request.maxTokens ?? AnthropicModels.defaultMaxTokens(request.model)
        if let value = request.temperature { body["temperature"] = .double(value) }
        if let value = request.topP { body["top_p"] = .double(value) }
        if let value = request.extra["top_k"], !value.isNull { body["top_k"] = value }
        if let stop = request.stop { body["stop_sequences"] = .array(stop.values.map(JSONValue.string)) }
        // Anthropic refuses personal data as a user id: an email address or a phone number is not sent (LiteLLM's rule).
        if let user = request.user, isUsableUserID(user) { body["metadata"] = ["user_id": .string(user)] }
        if request.isStreaming { body["stream"] = true }

        if let thinking = request.extra["thinking"], thinking.objectValue != nil {
            body["thinking"] = thinking
        } else if let effort = request.reasoningEffort, effort != "none", effort != "minimal" {
            let budget = effort == "low" ? 1024 : effort == "medium" ? 2048 : 4096
            body["thinking"] = ["type": "enabled", "budget_tokens": .int(budget)]
        }
        let thinkingOn = body["thinking"]?["type"].map { $0 != "disabled" } ?? false

        var tools: [JSONValue] = (request.tools ?? []).compactMap { tool in
            guard let function = tool.function else { return nil }
            var out: [String: JSONValue] = [
                "name": .string(function.name), "input_schema": function.parameters ?? ["type": "object", "properties": .object([:])],
            ]
            if let description = function.description { out["description"] = .string(description) }
            if let cache = tool.extra["cache_control"] { out["cache_control"] = cache }
            return .object(out)
        }
        var choice: [String: JSONValue]?
        switch request.toolChoice {
        case .auto?: choice = ["type": "auto"]
        case .none?: choice = ["type": "none"]
        case .required?: choice = ["type": "any"]
        case .function(let name)?: choice = ["type": "tool", "name": .string(name)]
        default: break
        }
        if let format = request.responseFormat, format.type == "json_schema" || format.type == "json_object" {
            // json_object (or a schema-less json_schema) asks for any JSON object.
            let schema = format.jsonSchema?.schema ?? ["type": "object", "properties": .object([:]), "additionalProperties": true]
            tools.append(["name": .string(jsonToolName), "description": "Answer with JSON that fits the schema.", "input_schema": schema])
            // Anthropic refuses a forced tool while thinking is on: the JSON tool is then offered, not forced.
            if !thinkingOn { choice = ["type": "tool", "name": .string(jsonToolName)] }
        }
        // `none` has no disable_parallel_tool_use member.
        if request.parallelToolCalls == false, !tools.isEmpty, choice?["type"] != "none" {
            var value = choice ?? ["type": "auto"]
            value["disable_parallel_tool_use"] = true
            choice = value
        }
        if !tools.isEmpty { body["tools"] = .array(tools) }
        if let choice, !tools.isEmpty || choice["type"] == "none" { body["tool_choice"] = .object(choice) }

        if let budget = body["thinking"]?["budget_tokens"]?.intValue, maxTokens <= budget {
            // Anthropic wants room for the answer beyond the thinking budget.
            maxTokens = budget + 1024
        }
        body["max_tokens"] = .int(maxTokens)
        return .object(body)
    }

    /// False for what looks like an email address or a phone number (`+`, digits, spaces,
    /// parentheses and dashes, 7 or more), which Anthropic refuses as `metadata.user_id`.
    static func isUsableUserID(_ user: String) -> Bool {
        let parts = user.split(separator: "@", omittingEmptySubsequences: false)
        if parts.count == 2, !parts[0].isEmpty, !user.contains(" "), let dot = parts[1].lastIndex(of: "."),
            dot != parts[1].startIndex, parts[1][parts[1].index(after: dot)...].count >= 2
        {
            return false
        }
        let body = user.hasPrefix("+") ? user.dropFirst() : Substring(user)
        let phoneCharacters = Set("0123456789 ()-")
        if body.count >= 7, body.allSatisfy(phoneCharacters.contains) { return false }
        return true
    }

    /// Content as Anthropic blocks.
    static func blocks(_ content: MessageContent?, cache: JSONValue?) throws(UpstreamFailure) -> [JSONValue] {
        var out: [JSONValue] = []
        switch content {
        case nil: break
        case .text(let text)?:
            var block: [String: JSONValue] = ["type": "text", "text": .string(text)]
            if let cache { block["cache_control"] = cache }
            out.append(.object(block))
        case .parts(let parts)?:
            for part in parts {
                var block: [String: JSONValue]
                switch part.type {
                case .text:
                    block = ["type": "text", "text": .string(part.text ?? "")]
                case .imageURL:
                    block = ["type": "image", "source": source(part.imageURL?.url ?? "")]
                case .file:
                    guard let data = part.file?.fileData else {
                        throw UpstreamFailure(.badRequest, message: "Anthropic takes files as data (file_data), not by file_id", provider: "anthropic")
                    }
                    block = ["type": "document", "source": source(data, fallbackType: "application/pdf")]
                default:
                    throw UpstreamFailure(.badRequest, message: "Anthropic cannot take a content part of type '\(part.type.rawValue)'", provider: "anthropic")
                }
                if let partCache = part.extra["cache_control"] { block["cache_control"] = partCache }
                out.append(.object(block))
            }
            if let cache, var last = out.last?.objectValue, last["cache_control"] == nil {
                last["cache_control"] = cache
                out[out.count - 1] = .object(last)
            }
        }
        return out
    }

    /// A data URL as a base64 source; any other URL as a URL source (raw base64 as PDF data).
    static func source(_ url: String, fallbackType: String = "image/jpeg") -> JSONValue {
        if url.hasPrefix("data:"), let comma = url.firstIndex(of: ",") {
            let header = url[url.index(url.startIndex, offsetBy: 5)..<comma]
            let media = header.split(separator: ";").first.map(String.init) ?? fallbackType
            return ["type": "base64", "media_type": .string(media), "data": .string(String(url[url.index(after: comma)...]))]
        }
        if url.hasPrefix("http://") || url.hasPrefix("https://") { return ["type": "url", "url": .string(url)] }
        return ["type": "base64", "media_type": .string(fallbackType), "data": .string(url)]
    }
}

/// What the adapter needs to know of Claude models.
public enum AnthropicModels {
    /// `max_tokens` when the request has none: the model family's output limit.
    public static func defaultMaxTokens(_ model: String) -> Int {
        let name = model.lowercased()
        if name.contains("opus-4-1") || name.contains("opus-4-0") || name.contains("opus-4-2") || name == "claude-opus-4" { return 32_000 }
        if name.contains("opus-4") || name.contains("sonnet-4") || name.contains("3-7-sonnet") || name.contains("haiku-4") { return 64_000 }
        if name.contains("3-5") { return 8_192 }
        return 4_096
    }
}
