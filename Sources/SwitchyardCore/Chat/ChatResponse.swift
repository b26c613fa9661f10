/// A `chat.completion` object.
public struct ChatResponse: Sendable, Hashable {
    public var id: String
    public var object: String
    public var created: Int
    public var model: String
    public var choices: [Choice]
    public var usage: Usage?
    public var systemFingerprint: String?
    public var serviceTier: String?
    public var extra: [String: JSONValue]

    public init(
        id: String, object: String = "chat.completion", created: Int, model: String, choices: [Choice],
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
        public var message: ChatMessage
        /// `stop`, `length`, `tool_calls`, `content_filter` or `function_call`.
        public var finishReason: String?
        public var logprobs: JSONValue?
        public var extra: [String: JSONValue]

        public init(
            index: Int, message: ChatMessage, finishReason: String?, logprobs: JSONValue? = nil,
            extra: [String: JSONValue] = [:]
        ) {
            self.index = index
            self.message = message
            self.finishReason = finishReason
            self.logprobs = logprobs
            self.extra = extra
        }
    }
}

extension ChatResponse: Codable {
    static let knownKeys: Set<String> = [
        "id", "object", "created", "model", "choices", "usage", "system_fingerprint", "service_tier",
    ]


    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        id = try c.optional(String.self, "id") ?? ""
        object = try c.optional(String.self, "object") ?? "chat.completion"
        created = try c.optional(Int.self, "created") ?? 0
        model = try c.optional(String.self, "model") ?? ""
        choices = try c.required([Choice].self, "choices")
        usage = try c.optional(Usage.self, "usage")
        systemFingerprint = try c.optional(String.self, "system_fingerprint")
        serviceTier = try c.optional(String.self, "service_tier")
        extra = try decoder.decodeExtra(known: Self.knownKeys)
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

extension ChatResponse.Choice: Codable {
    static let knownKeys: Set<String> = ["index", "message", "finish_reason", "logprobs"]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        index = try c.optional(Int.self, "index") ?? 0
        message = try c.required(ChatMessage.self, "message")
        finishReason = try c.optional(String.self, "finish_reason")
        logprobs = try c.optional(JSONValue.self, "logprobs")
        extra = try decoder.decodeExtra(known: Self.knownKeys)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encodeExtra(extra)
        try c.encode(index, forKey: "index")
        try c.encode(message, forKey: "message")
        if let finishReason { try c.encode(finishReason, forKey: "finish_reason") } else { try c.encodeNil(forKey: "finish_reason") }
        try c.put(logprobs, "logprobs")
    }
}
