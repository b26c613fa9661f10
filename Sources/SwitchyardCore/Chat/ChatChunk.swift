/// A `chat.completion.chunk`: one event of a streamed completion.
public struct ChatChunk: Sendable, Hashable {
    public var id: String
    public var object: String
    public var created: Int
    public var model: String
    public var choices: [Choice]
    /// Set on the last chunk when `stream_options.include_usage` was asked for (with empty `choices`).
    public var usage: Usage?
    public var systemFingerprint: String?
    public var serviceTier: String?
    public var extra: [String: JSONValue]

    public init(
        id: String, object: String = "chat.completion.chunk", created: Int, model: String, choices: [Choice],
        usage: Usage? = nil, systemFingerprint: String? = nil, serviceTier: String? = nil,
        extra: [String: JSONValue] = [:]
    ) {
        self.id = id
        self.object = object
        self.created = created
        self.model = model
        self.choices = choices
        self.usage = usage
        self.systemFingerprint = systemFingerprint
        self.serviceTier = serviceTier
        self.extra = extra
    }

    public struct Choice: Sendable, Hashable {
        public var index: Int
        public var delta: Delta
        public var finishReason: String?
        public var logprobs: JSONValue?
        public var extra: [String: JSONValue]

        public init(index: Int, delta: Delta, finishReason: String? = nil, logprobs: JSONValue? = nil, extra: [String: JSONValue] = [:]) {
            self.index = index
            self.delta = delta
            self.finishReason = finishReason
            self.logprobs = logprobs
            self.extra = extra
        }
    }

    /// The part of the message this chunk adds.
    public struct Delta: Sendable, Hashable {
        public var role: ChatMessage.Role?
        public var content: String?
        public var toolCalls: [ToolCall]?
        public var refusal: String?
        public var reasoningContent: String?
        public var functionCall: FunctionCall?
        public var extra: [String: JSONValue]

        public init(
            role: ChatMessage.Role? = nil, content: String? = nil, toolCalls: [ToolCall]? = nil, refusal: String? = nil,
            reasoningContent: String? = nil, functionCall: FunctionCall? = nil, extra: [String: JSONValue] = [:]
        ) {
            self.role = role
            self.content = content
            self.toolCalls = toolCalls
            self.refusal = refusal
            self.reasoningContent = reasoningContent
            self.functionCall = functionCall
            self.extra = extra
        }
    }

    /// Content, a finish reason or usage: what ends the wait for a stream's first real chunk
    /// (until then an attempt may still fail over).
    public var countsAsContent: Bool {
        hasContent || usage != nil || choices.contains { $0.finishReason != nil }
    }

    /// True when this chunk carries something a client would show or act on (text, a tool call,
    /// a refusal, reasoning). Role-only and empty chunks are not content.
    public var hasContent: Bool {
        choices.contains { choice in
            let delta = choice.delta
            return !(delta.content ?? "").isEmpty || !(delta.toolCalls ?? []).isEmpty
                || !(delta.refusal ?? "").isEmpty || !(delta.reasoningContent ?? "").isEmpty
                || delta.functionCall != nil
        }
    }
}

extension ChatChunk: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        id = try c.optional(String.self, "id") ?? ""
        object = try c.optional(String.self, "object") ?? "chat.completion.chunk"
        created = try c.optional(Int.self, "created") ?? 0
        model = try c.optional(String.self, "model") ?? ""
        choices = try c.optional([Choice].self, "choices") ?? []
        usage = try c.optional(Usage.self, "usage")
        systemFingerprint = try c.optional(String.self, "system_fingerprint")
        serviceTier = try c.optional(String.self, "service_tier")
        extra = try decoder.decodeExtra(known: ChatResponse.knownKeys)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encodeExtra(extra)
        try c.encode(id, forKey: "id")
        try c.encode(object, forKey: "object")
        try c.encode(created, forKey: "created")
        try c.encode(model, forKey: "model")
        try c.encode(choices, forKey: "choices")
        try c.put(usage, "usage")
        try c.put(systemFingerprint, "system_fingerprint")
        try c.put(serviceTier, "service_tier")
    }
}

extension ChatChunk.Choice: Codable {
    static let knownKeys: Set<String> = ["index", "delta", "finish_reason", "logprobs"]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        index = try c.optional(Int.self, "index") ?? 0
        delta = try c.optional(ChatChunk.Delta.self, "delta") ?? .init()
        finishReason = try c.optional(String.self, "finish_reason")
        logprobs = try c.optional(JSONValue.self, "logprobs")
        extra = try decoder.decodeExtra(known: Self.knownKeys)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encodeExtra(extra)
        try c.encode(index, forKey: "index")
        try c.encode(delta, forKey: "delta")
        if let finishReason { try c.encode(finishReason, forKey: "finish_reason") } else { try c.encodeNil(forKey: "finish_reason") }
        try c.put(logprobs, "logprobs")
    }
}

extension ChatChunk.Delta: Codable {
    static let knownKeys: Set<String> = ["role", "content", "tool_calls", "refusal", "reasoning_content", "function_call"]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        role = try c.optional(ChatMessage.Role.self, "role")
        content = try c.optional(String.self, "content")
        toolCalls = try c.optional([ToolCall].self, "tool_calls")
        refusal = try c.optional(String.self, "refusal")
        reasoningContent = try c.optional(String.self, "reasoning_content")
        functionCall = try c.optional(FunctionCall.self, "function_call")
        extra = try decoder.decodeExtra(known: Self.knownKeys)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encodeExtra(extra)
        try c.put(role, "role")
        try c.put(content, "content")
        try c.put(toolCalls, "tool_calls")
        try c.put(refusal, "refusal")
        try c.put(reasoningContent, "reasoning_content")
        try c.put(functionCall, "function_call")
    }
}
