/// One message of a conversation, in OpenAI's Chat Completions shape. The same type is used in
/// requests and as `choices[].message` in responses.
public struct ChatMessage: Sendable, Hashable {
    public var role: Role
    /// A string or an array of parts; `nil` is written as `null` (an assistant turn with tool calls).
    public var content: MessageContent?
    public var name: String?
    public var toolCalls: [ToolCall]?
    public var toolCallID: String?
    public var refusal: String?
    /// Reasoning text some providers return beside the answer (DeepSeek, Anthropic thinking).
    public var reasoningContent: String?
    /// Deprecated `function_call` of the legacy functions API.
    public var functionCall: FunctionCall?
    public var audio: JSONValue?
    public var annotations: [JSONValue]?
    /// Members this type does not model (`cache_control`, provider extensions), forwarded as they came.
    public var extra: [String: JSONValue]

    public init(
        role: Role, content: MessageContent? = nil, name: String? = nil, toolCalls: [ToolCall]? = nil,
        toolCallID: String? = nil, refusal: String? = nil, reasoningContent: String? = nil,
        functionCall: FunctionCall? = nil, audio: JSONValue? = nil, annotations: [JSONValue]? = nil,
        extra: [String: JSONValue] = [:]
    ) {
        self.role = role
        self.content = content
        self.name = name
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
        self.refusal = refusal
        self.reasoningContent = reasoningContent
        self.functionCall = functionCall
        self.audio = audio
        self.annotations = annotations
        self.extra = extra
    }

    public static func system(_ text: String) -> ChatMessage { .init(role: .system, content: .text(text)) }
    public static func developer(_ text: String) -> ChatMessage { .init(role: .developer, content: .text(text)) }
    public static func user(_ text: String) -> ChatMessage { .init(role: .user, content: .text(text)) }
    public static func user(_ parts: [ContentPart]) -> ChatMessage { .init(role: .user, content: .parts(parts)) }
    public static func assistant(_ text: String) -> ChatMessage { .init(role: .assistant, content: .text(text)) }
    public static func assistant(toolCalls: [ToolCall]) -> ChatMessage {
        .init(role: .assistant, content: nil, toolCalls: toolCalls)
    }
    public static func tool(callID: String, _ text: String) -> ChatMessage {
        .init(role: .tool, content: .text(text), toolCallID: callID)
    }

    /// The text of the content: the string, or the text parts joined.
    public var textContent: String? { content?.text }
}

extension ChatMessage {
    /// A message role. Open-ended so a new role passes through; the known ones are constants.
    public struct Role: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral,
        CustomStringConvertible
    {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { self.rawValue = value }
        public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }
        public var description: String { rawValue }

        public static let system: Role = "system"
        public static let developer: Role = "developer"
        public static let user: Role = "user"
        public static let assistant: Role = "assistant"
        public static let tool: Role = "tool"
        public static let function: Role = "function"
    }
}

extension ChatMessage: Codable {
    /// One pass over the members the message has, as `ChatRequest` reads its own.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        var role: Role?
        extra = [:]
        for member in decoder.memberNames(c) {
            let key = AnyCodingKey(member)
            func read<T: Decodable>(_ type: T.Type) throws -> T? { try c.decodeIfPresent(type, forKey: key) }
            switch member {
            case "role": role = try c.decode(Role.self, forKey: key)
            case "content": content = try read(MessageContent.self)
            case "name": name = try read(String.self)
            case "tool_calls": toolCalls = try read([ToolCall].self)
            case "tool_call_id": toolCallID = try read(String.self)
            case "refusal": refusal = try read(String.self)
            case "reasoning_content": reasoningContent = try read(String.self)
            case "function_call": functionCall = try read(FunctionCall.self)
            case "audio": audio = try read(JSONValue.self)
            case "annotations": annotations = try read([JSONValue].self)
            default: extra[member] = try c.decode(JSONValue.self, forKey: key)
            }
        }
        self.role = try role ?? c.required(Role.self, "role")
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encodeExtra(extra)
        try c.encode(role, forKey: "role")
        if let content { try c.encode(content, forKey: "content") } else { try c.encodeNil(forKey: "content") }
        try c.put(name, "name")
        try c.put(toolCalls, "tool_calls")
        try c.put(toolCallID, "tool_call_id")
        try c.put(refusal, "refusal")
        try c.put(reasoningContent, "reasoning_content")
        try c.put(functionCall, "function_call")
        try c.put(audio, "audio")
        try c.put(annotations, "annotations")
    }
}

/// Message content: OpenAI accepts a plain string or an array of typed parts.
public enum MessageContent: Sendable, Hashable, Codable, ExpressibleByStringLiteral {
    case text(String)
    case parts([ContentPart])

    public init(stringLiteral value: String) { self = .text(value) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .text(text)
        } else {
            self = .parts(try container.decode([ContentPart].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .parts(let parts): try container.encode(parts)
        }
    }

    /// The string, or the text of every text part joined (nil when there is no text at all).
    public var text: String? {
        switch self {
        case .text(let text): return text
        case .parts(let parts):
            let texts = parts.compactMap { $0.type == .text ? $0.text : nil }
            return texts.isEmpty ? nil : texts.joined()
        }
    }
}
