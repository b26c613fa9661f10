import SwitchyardCore

/// An Anthropic Messages API request (`POST /v1/messages`, as Claude Code and the `anthropic`
/// SDK send it) turned into the canonical chat request, so any deployment can answer it.
/// `system` becomes the first message; content blocks become parts, tool calls and tool
/// messages; `thinking` becomes a reasoning budget; `cache_control` rides along on the parts.
public enum MessagesRequest {
    /// Decodes and translates; a body that is not a valid Messages request is a 400 naming the member.
    /// - Parameter requireMaxTokens: false for `count_tokens`, whose body has no `max_tokens`.
    public static func chatRequest(_ body: [UInt8], requireMaxTokens: Bool = true) throws(GatewayError) -> ChatRequest {
        let json: JSONValue
        do {
            json = try JSONCoding.decode(JSONValue.self, from: body)
        } catch {
            throw GatewayError(.invalidRequest, "The request body is not valid JSON.")
        }
        guard let object = json.objectValue else { throw GatewayError(.invalidRequest, "The request body must be a JSON object.") }
        guard let model = object["model"]?.stringValue, !model.isEmpty else {
            throw GatewayError(.invalidRequest, "model: field required", param: "model")
        }
        let maxTokens = object["max_tokens"]?.intValue
        if requireMaxTokens && maxTokens == nil {
            throw GatewayError(.invalidRequest, "max_tokens: field required (an integer)", param: "max_tokens")
        }
        guard let turns = object["messages"]?.arrayValue else {
            throw GatewayError(.invalidRequest, "messages: field required (an array)", param: "messages")
        }
        var messages: [ChatMessage] = []
        if let system = object["system"], !system.isNull {
            messages.append(ChatMessage(role: .system, content: try content(system, at: "system")))
        }
        for (index, turn) in turns.enumerated() {
            messages += try translate(turn, at: "messages[\(index)]")
        }
        var request = ChatRequest(model: model, messages: messages)
        request.maxTokens = maxTokens
        request.temperature = object["temperature"]?.doubleValue
        request.topP = object["top_p"]?.doubleValue
        if let topK = object["top_k"], !topK.isNull { request.extra["top_k"] = topK }
        if let stops = object["stop_sequences"]?.arrayValue {
            request.stop = .many(stops.compactMap(\.stringValue))
        }
        request.stream = object["stream"]?.boolValue
        if request.stream == true { request.streamOptions = .init(includeUsage: true) }
        if let user = object["metadata"]?["user_id"]?.stringValue { request.user = user }
        if let tools = object["tools"]?.arrayValue {
            var translated: [Tool] = []
            for (index, value) in tools.enumerated() { translated.append(try tool(value, at: "tools[\(index)]")) }
            request.tools = translated
        }
        if let choice = object["tool_choice"]?.objectValue {
            switch choice["type"]?.stringValue {
            case "auto": request.toolChoice = .auto
            case "any": request.toolChoice = .required
            case "none": request.toolChoice = ToolChoice.none
            case "tool":
                guard let name = choice["name"]?.stringValue else {
                    throw GatewayError(.invalidRequest, "tool_choice.name: field required for type tool", param: "tool_choice")
                }
                request.toolChoice = .function(name: name)
            default:
                throw GatewayError(.invalidRequest, "tool_choice.type: must be auto, any, tool or none", param: "tool_choice")
            }
            if choice["disable_parallel_tool_use"]?.boolValue == true { request.parallelToolCalls = false }
        }
        if let thinking = object["thinking"]?.objectValue, thinking["type"]?.stringValue == "enabled" {
            // Kept whole for Anthropic deployments; an effort for the others.
            request.extra["thinking"] = .object(thinking)
            let budget = thinking["budget_tokens"]?.intValue ?? 0
            request.reasoningEffort = budget >= 4096 ? "high" : budget >= 2048 ? "medium" : "low"
        }
        return request
    }

    /// One Anthropic turn: a user turn's `tool_result` blocks become `tool` messages (before the
    /// rest of the turn); an assistant turn's `tool_use` blocks become tool calls and its
    /// `thinking` blocks its reasoning.
    static func translate(_ turn: JSONValue, at path: String) throws(GatewayError) -> [ChatMessage] {
        guard let role = turn["role"]?.stringValue, role == "user" || role == "assistant" else {
            throw GatewayError(.invalidRequest, "\(path).role: must be user or assistant", param: "messages")
        }
        guard let body = turn["content"] else { throw GatewayError(.invalidRequest, "\(path).content: field required", param: "messages") }
        guard let blocks = body.arrayValue else {
            guard let text = body.stringValue else {
                throw GatewayError(.invalidRequest, "\(path).content: must be a string or an array of blocks", param: "messages")
            }
            return [ChatMessage(role: role == "user" ? .user : .assistant, content: .text(text))]
        }
        if role == "assistant" { return [try assistant(blocks, at: path)] }
        var results: [ChatMessage] = []
        var parts: [ContentPart] = []
        for (index, block) in blocks.enumerated() {
            if block["type"]?.stringValue == "tool_result" {
                guard let id = block["tool_use_id"]?.stringValue else {
                    throw GatewayError(.invalidRequest, "\(path).content[\(index)].tool_use_id: field required", param: "messages")
                }
                var text = try toolResultText(block["content"], at: "\(path).content[\(index)].content")
                if block["is_error"]?.boolValue == true && !text.isEmpty { text = "Error: " + text }
                var message = ChatMessage(role: .tool, content: .text(text))
                message.toolCallID = id
                results.append(message)
            } else {
                parts.append(try part(block, at: "\(path).content[\(index)]"))
            }
        }
        if !parts.isEmpty { results.append(ChatMessage(role: .user, content: simplified(parts))) }
        return results
    }

    private static func assistant(_ blocks: [JSONValue], at path: String) throws(GatewayError) -> ChatMessage {
        var message = ChatMessage(role: .assistant, content: nil)
        var parts: [ContentPart] = []
        var calls: [ToolCall] = []
        var reasoning = ""
        var thinkingBlocks: [JSONValue] = []
        for (index, block) in blocks.enumerated() {
            switch block["type"]?.stringValue {
            case "tool_use":
                guard let id = block["id"]?.stringValue, let name = block["name"]?.stringValue else {
                    throw GatewayError(.invalidRequest, "\(path).content[\(index)]: tool_use needs id and name", param: "messages")
                }
                let input = block["input"] ?? .object([:])
                let arguments = (try? JSONCoding.encode(input)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
                calls.append(ToolCall(id: id, type: "function", function: FunctionCall(name: name, arguments: arguments)))
            case "thinking":
                reasoning += block["thinking"]?.stringValue ?? ""
                thinkingBlocks.append(block)
            case "redacted_thinking":
                thinkingBlocks.append(block)
            default:
                parts.append(try part(block, at: "\(path).content[\(index)]"))
            }
        }
        if !parts.isEmpty { message.content = simplified(parts) }
        if !calls.isEmpty { message.toolCalls = calls }
        if !reasoning.isEmpty { message.reasoningContent = reasoning }
        if !thinkingBlocks.isEmpty { message.extra["thinking_blocks"] = .array(thinkingBlocks) }
        return message
    }

    /// A content block as a part: text, image (base64 or URL), document (PDF), anything else kept whole.
    static func part(_ block: JSONValue, at path: String) throws(GatewayError) -> ContentPart {
        var extra: [String: JSONValue] = [:]
        if let cache = block["cache_control"], !cache.isNull { extra["cache_control"] = cache }
        switch block["type"]?.stringValue {
        case "text":
            guard let text = block["text"]?.stringValue else {
                throw GatewayError(.invalidRequest, "\(path).text: field required", param: "messages")
            }
            return ContentPart(type: .text, text: text, extra: extra)
        case "image":
            guard let url = sourceURL(block["source"]) else {
                throw GatewayError(.invalidRequest, "\(path).source: needs type base64 (media_type, data) or url", param: "messages")
            }
            return ContentPart(type: .imageURL, imageURL: .init(url: url), extra: extra)
        case "document":
            guard let url = sourceURL(block["source"]) else {
                throw GatewayError(.invalidRequest, "\(path).source: needs type base64 (media_type, data) or url", param: "messages")
            }
            var file = ContentPart.File()
            file.fileData = url
            return ContentPart(type: .file, file: file, extra: extra)
        case let type?:
            var whole = block.objectValue ?? [:]
            whole["type"] = nil
            return ContentPart(type: .init(rawValue: type), extra: whole)
        case nil:
            throw GatewayError(.invalidRequest, "\(path).type: field required", param: "messages")
        }
    }

    /// A `source` as a URL: base64 data becomes a data URL.
    static func sourceURL(_ source: JSONValue?) -> String? {
        switch source?["type"]?.stringValue {
        case "base64":
            guard let media = source?["media_type"]?.stringValue, let data = source?["data"]?.stringValue else { return nil }
            return "data:\(media);base64,\(data)"
        case "url":
            return source?["url"]?.stringValue
        default:
            return nil
        }
    }

    static func toolResultText(_ content: JSONValue?, at path: String) throws(GatewayError) -> String {
        guard let content, !content.isNull else { return "" }
        if let text = content.stringValue { return text }
        guard let blocks = content.arrayValue else {
            throw GatewayError(.invalidRequest, "\(path): must be a string or an array of blocks", param: "messages")
        }
        return blocks.compactMap { $0["type"]?.stringValue == "text" ? $0["text"]?.stringValue : nil }.joined(separator: "\n")
    }

    /// `system` or a content value as message content.
    static func content(_ value: JSONValue, at path: String) throws(GatewayError) -> MessageContent {
        if let text = value.stringValue { return .text(text) }
        guard let blocks = value.arrayValue else {
            throw GatewayError(.invalidRequest, "\(path): must be a string or an array of text blocks", param: path)
        }
        var parts: [ContentPart] = []
        for (index, block) in blocks.enumerated() { parts.append(try part(block, at: "\(path)[\(index)]")) }
        return simplified(parts)
    }

    /// Plain text when the parts are one text without extras; parts otherwise.
    static func simplified(_ parts: [ContentPart]) -> MessageContent {
        if parts.count == 1, parts[0].type == .text, parts[0].extra.isEmpty, let text = parts[0].text { return .text(text) }
        return .parts(parts)
    }

    static func tool(_ value: JSONValue, at path: String) throws(GatewayError) -> Tool {
        guard let name = value["name"]?.stringValue else { throw GatewayError(.invalidRequest, "\(path).name: field required", param: "tools") }
        var function = FunctionDefinition(name: name)
        function.description = value["description"]?.stringValue
        function.parameters = value["input_schema"]
        var tool = Tool(type: "function", function: function)
        if let cache = value["cache_control"], !cache.isNull { tool.extra["cache_control"] = cache }
        return tool
    }
}
