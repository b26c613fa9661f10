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

    /// The body for `model` as JSON text, its members in a fixed order. Vertex names the model
    /// in its URL (`modelInBody` false) and wants `anthropic_version` in the body.
    /// - Throws: `.badRequest` for content Anthropic cannot take, or a number JSON cannot hold.
    public static func body(
        _ request: ChatRequest, model: String, modelInBody: Bool = true, anthropicVersion: String? = nil, provider: String
    ) throws(UpstreamFailure) -> [UInt8] {
        var system: [Block] = []
        var turns: [(role: String, blocks: [Block])] = []
        var capacity = 256
        for index in request.messages.indices {
            let (role, blocks) = try turn(request.messages[index], toolUseNumber: turns.count)
            capacity += request.messages[index].content?.text?.utf8.count ?? 64
            guard let role else {
                system += blocks
                continue
            }
            if let last = turns.last, last.role == role {
                turns[turns.count - 1].blocks += blocks
            } else if !blocks.isEmpty {
                turns.append((role, blocks))
            }
        }

        var thinking: JSONValue?
        if let value = request.extra["thinking"], value.objectValue != nil {
            thinking = value
        } else if let effort = request.reasoningEffort, effort != "none", effort != "minimal" {
            let budget = effort == "low" ? 1024 : effort == "medium" ? 2048 : 4096
            thinking = ["type": "enabled", "budget_tokens": .int(budget)]
        }
        let thinkingOn = thinking?["type"].map { $0 != "disabled" } ?? false
        var maxTokens = request.maxCompletionTokens ?? request.maxTokens ?? AnthropicModels.defaultMaxTokens(model)
        if let budget = thinking?["budget_tokens"]?.intValue, maxTokens <= budget {
            // Anthropic wants room for the answer beyond the thinking budget.
            maxTokens = budget + 1024
        }
        let (tools, choice) = self.tools(request, thinkingOn: thinkingOn)

        var json = JSONWriter(capacity: capacity)
        json.beginObject()
        if modelInBody {
            json.key("model")
            json.string(model)
        }
        if let anthropicVersion {
            json.key("anthropic_version")
            json.string(anthropicVersion)
        }
        json.key("messages")
        json.beginArray()
        for turn in turns {
            json.beginObject()
            json.key("role")
            json.string(turn.role)
            json.key("content")
            // A lone text block without extras goes as a plain string, as clients write it.
            if turn.blocks.count == 1, case .text(let text, cache: nil) = turn.blocks[0] {
                json.string(text)
            } else {
                Block.write(turn.blocks, to: &json)
            }
            json.endObject()
        }
        json.endArray()
        if !system.isEmpty {
            json.key("system")
            if let plain = Block.plainText(system) { json.string(plain) } else { Block.write(system, to: &json) }
        }
        json.key("max_tokens")
        json.int(maxTokens)
        if let value = request.temperature {
            json.key("temperature")
            json.double(value)
        }
        if let value = request.topP {
            json.key("top_p")
            json.double(value)
        }
        if let value = request.extra["top_k"], !value.isNull {
            json.key("top_k")
            json.value(value)
        }
        if let stop = request.stop {
            json.key("stop_sequences")
            json.beginArray()
            for value in stop.values { json.string(value) }
            json.endArray()
        }
        // Anthropic refuses personal data as a user id: an email address or a phone number is not sent (LiteLLM's rule).
        if let user = request.user, isUsableUserID(user) {
            json.key("metadata")
            json.beginObject()
            json.key("user_id")
            json.string(user)
            json.endObject()
        }
        if request.isStreaming {
            json.key("stream")
            json.bool(true)
        }
        if let thinking {
            json.key("thinking")
            json.value(thinking)
        }
        if !tools.isEmpty {
            json.key("tools")
            json.value(.array(tools))
        }
        if let choice, !tools.isEmpty || choice["type"] == "none" {
            json.key("tool_choice")
            json.value(.object(choice))
        }
        json.endObject()
        guard json.isValid else {
            throw UpstreamFailure(.badRequest, message: "The request could not be encoded for \(provider) (a number JSON cannot hold)", provider: provider)
        }
        return json.bytes
    }

    /// One message as blocks for the system prompt (no role) or for a turn of its role: system
    /// and developer messages → `system`; an assistant's thinking, text and tool calls →
    /// `thinking`/`text`/`tool_use` blocks; a tool message → a `tool_result` block for a user
    /// turn; anything else → a user turn.
    private static func turn(_ message: ChatMessage, toolUseNumber: Int) throws(UpstreamFailure) -> (role: String?, blocks: [Block]) {
        switch message.role {
        case .system, .developer:
            return (nil, try blocks(message.content, cache: message.extra["cache_control"]))
        case .assistant:
            var out: [Block] = []
            if let thinking = message.extra["thinking_blocks"]?.arrayValue {
                out += thinking.map(Block.value)
            } else if let reasoning = message.reasoningContent, !reasoning.isEmpty, let signature = message.extra["reasoning_signature"]?.stringValue {
                out.append(.value(["type": "thinking", "thinking": .string(reasoning), "signature": .string(signature)]))
            }
            out += try blocks(message.content, cache: message.extra["cache_control"]).filter { !$0.isEmptyText }
            for call in message.toolCalls ?? [] {
                let input = call.function?.arguments.flatMap { JSONValue.parse(Array($0.utf8)) }
                out.append(
                    .value([
                        "type": "tool_use", "id": .string(call.id ?? "toolu_\(toolUseNumber)"), "name": .string(call.function?.name ?? ""),
                        "input": input?.objectValue != nil ? (input ?? .object([:])) : .object([:]),
                    ]))
            }
            return ("assistant", out)
        case .tool:
            var result: [String: JSONValue] = [
                "type": "tool_result", "tool_use_id": .string(message.toolCallID ?? ""),
                "content": .string(message.content?.text ?? ""),
            ]
            if let cache = message.extra["cache_control"] { result["cache_control"] = cache }
            return ("user", [.value(.object(result))])
        default:
            return ("user", try blocks(message.content, cache: message.extra["cache_control"]))
        }
    }

    /// The request's tools (a JSON-schema answer format as one more) and its tool choice.
    private static func tools(_ request: ChatRequest, thinkingOn: Bool) -> (tools: [JSONValue], choice: [String: JSONValue]?) {
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
        return (tools, choice)
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
    static func blocks(_ content: MessageContent?, cache: JSONValue?) throws(UpstreamFailure) -> [Block] {
        var out: [Block] = []
        switch content {
        case nil: break
        case .text(let text)?:
            out.append(.text(text, cache: cache))
        case .parts(let parts)?:
            for part in parts {
                let partCache = part.extra["cache_control"]
                switch part.type {
                case .text:
                    out.append(.text(part.text ?? "", cache: partCache))
                    continue
                case .imageURL:
                    var block: [String: JSONValue] = ["type": "image", "source": source(part.imageURL?.url ?? "")]
                    if let partCache { block["cache_control"] = partCache }
                    out.append(.value(.object(block)))
                case .file:
                    guard let data = part.file?.fileData else {
                        throw UpstreamFailure(.badRequest, message: "Anthropic takes files as data (file_data), not by file_id", provider: "anthropic")
                    }
                    var block: [String: JSONValue] = ["type": "document", "source": source(data, fallbackType: "application/pdf")]
                    if let partCache { block["cache_control"] = partCache }
                    out.append(.value(.object(block)))
                default:
                    throw UpstreamFailure(.badRequest, message: "Anthropic cannot take a content part of type '\(part.type.rawValue)'", provider: "anthropic")
                }
            }
            if let cache, let last = out.last, let marked = last.cached(cache) { out[out.count - 1] = marked }
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

/// An Anthropic content block: text (nearly every block) kept as its string, any other as the
/// value built for it.
enum Block {
    case text(String, cache: JSONValue?)
    case value(JSONValue)

    var isEmptyText: Bool {
        if case .text(let text, _) = self { return text.isEmpty }
        return false
    }

    /// The block with `cache_control` set to `cache`; nil when it has one already.
    func cached(_ cache: JSONValue) -> Block? {
        switch self {
        case .text(let text, nil): return .text(text, cache: cache)
        case .text: return nil
        case .value(.object(var members)) where members["cache_control"] == nil:
            members["cache_control"] = cache
            return .value(.object(members))
        case .value: return nil
        }
    }

    /// The blocks' texts joined by newlines when all are plain text (no cache control): the
    /// system prompt as a string.
    static func plainText(_ blocks: [Block]) -> String? {
        var texts: [String] = []
        for block in blocks {
            guard case .text(let text, nil) = block else { return nil }
            texts.append(text)
        }
        return texts.joined(separator: "\n")
    }

    static func write(_ blocks: [Block], to json: inout JSONWriter) {
        json.beginArray()
        for block in blocks {
            switch block {
            case .text(let text, let cache):
                json.beginObject()
                json.key("type")
                json.string("text")
                json.key("text")
                json.string(text)
                if let cache {
                    json.key("cache_control")
                    json.value(cache)
                }
                json.endObject()
            case .value(let value):
                json.value(value)
            }
        }
        json.endArray()
    }
}
