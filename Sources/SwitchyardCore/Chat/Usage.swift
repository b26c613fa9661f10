/// Token usage of one completion. `promptTokens` includes cached tokens, as OpenAI counts them.
public struct Usage: Sendable, Hashable {
    public var promptTokens: Int
    public var completionTokens: Int
    public var totalTokens: Int
    public var promptTokensDetails: PromptTokensDetails?
    public var completionTokensDetails: CompletionTokensDetails?
    public var extra: [String: JSONValue]

    public init(
        promptTokens: Int, completionTokens: Int, totalTokens: Int? = nil,
        promptTokensDetails: PromptTokensDetails? = nil, completionTokensDetails: CompletionTokensDetails? = nil,
        extra: [String: JSONValue] = [:]
    ) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.totalTokens = totalTokens ?? promptTokens + completionTokens
        self.promptTokensDetails = promptTokensDetails
        self.completionTokensDetails = completionTokensDetails
        self.extra = extra
    }

    public struct PromptTokensDetails: Sendable, Hashable {
        public var cachedTokens: Int?
        public var audioTokens: Int?
        /// Anthropic-style prompt-cache writes, when a provider reports them.
        public var cacheCreationTokens: Int?
        public var extra: [String: JSONValue]
        public init(cachedTokens: Int? = nil, audioTokens: Int? = nil, cacheCreationTokens: Int? = nil, extra: [String: JSONValue] = [:]) {
            self.cachedTokens = cachedTokens
            self.audioTokens = audioTokens
            self.cacheCreationTokens = cacheCreationTokens
            self.extra = extra
        }
    }

    public struct CompletionTokensDetails: Sendable, Hashable {
        public var reasoningTokens: Int?
        public var audioTokens: Int?
        public var acceptedPredictionTokens: Int?
        public var rejectedPredictionTokens: Int?
        public var extra: [String: JSONValue]
        public init(
            reasoningTokens: Int? = nil, audioTokens: Int? = nil, acceptedPredictionTokens: Int? = nil,
            rejectedPredictionTokens: Int? = nil, extra: [String: JSONValue] = [:]
        ) {
            self.reasoningTokens = reasoningTokens
            self.audioTokens = audioTokens
            self.acceptedPredictionTokens = acceptedPredictionTokens
            self.rejectedPredictionTokens = rejectedPredictionTokens
            self.extra = extra
        }
    }
}

extension Usage: Codable {
    static let knownKeys: Set<String> = [
        "prompt_tokens", "completion_tokens", "total_tokens", "prompt_tokens_details", "completion_tokens_details",
    ]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        promptTokens = try c.optional(Int.self, "prompt_tokens") ?? 0
        completionTokens = try c.optional(Int.self, "completion_tokens") ?? 0
        totalTokens = try c.optional(Int.self, "total_tokens") ?? promptTokens + completionTokens
        promptTokensDetails = try c.optional(PromptTokensDetails.self, "prompt_tokens_details")
        completionTokensDetails = try c.optional(CompletionTokensDetails.self, "completion_tokens_details")
        extra = try decoder.decodeExtra(known: Self.knownKeys)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encodeExtra(extra)
        try c.encode(promptTokens, forKey: "prompt_tokens")
        try c.encode(completionTokens, forKey: "completion_tokens")
        try c.encode(totalTokens, forKey: "total_tokens")
        try c.put(promptTokensDetails, "prompt_tokens_details")
        try c.put(completionTokensDetails, "completion_tokens_details")
    }
}

extension Usage.PromptTokensDetails: Codable {
    static let knownKeys: Set<String> = ["cached_tokens", "audio_tokens", "cache_creation_tokens"]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        cachedTokens = try c.optional(Int.self, "cached_tokens")
        audioTokens = try c.optional(Int.self, "audio_tokens")
        cacheCreationTokens = try c.optional(Int.self, "cache_creation_tokens")
        extra = try decoder.decodeExtra(known: Self.knownKeys)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encodeExtra(extra)
        try c.put(cachedTokens, "cached_tokens")
        try c.put(audioTokens, "audio_tokens")
        try c.put(cacheCreationTokens, "cache_creation_tokens")
    }
}

extension Usage.CompletionTokensDetails: Codable {
    static let knownKeys: Set<String> = [
        "reasoning_tokens", "audio_tokens", "accepted_prediction_tokens", "rejected_prediction_tokens",
    ]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        reasoningTokens = try c.optional(Int.self, "reasoning_tokens")
        audioTokens = try c.optional(Int.self, "audio_tokens")
        acceptedPredictionTokens = try c.optional(Int.self, "accepted_prediction_tokens")
        rejectedPredictionTokens = try c.optional(Int.self, "rejected_prediction_tokens")
        extra = try decoder.decodeExtra(known: Self.knownKeys)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encodeExtra(extra)
        try c.put(reasoningTokens, "reasoning_tokens")
        try c.put(audioTokens, "audio_tokens")
        try c.put(acceptedPredictionTokens, "accepted_prediction_tokens")
        try c.put(rejectedPredictionTokens, "rejected_prediction_tokens")
    }
}
