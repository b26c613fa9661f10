/// A Chat Completions request: OpenAI's `POST /v1/chat/completions` body, every documented
/// parameter typed, anything else kept in `extra` and forwarded.
public struct ChatRequest: Sendable, Hashable {
    public var model: String
    public var messages: [ChatMessage]

    // Sampling
    public var temperature: Double?
    public var topP: Double?
    public var n: Int?
    public var stop: StopSequences?
    public var maxTokens: Int?
    public var maxCompletionTokens: Int?
    public var presencePenalty: Double?
    public var frequencyPenalty: Double?
    public var logitBias: [String: Double]?
    public var seed: Int?
    public var logprobs: Bool?
    public var topLogprobs: Int?
    public var reasoningEffort: String?
    public var verbosity: String?

    // Output shape and tools
    public var responseFormat: ResponseFormat?
    public var tools: [Tool]?
    public var toolChoice: ToolChoice?
    public var parallelToolCalls: Bool?
    public var modalities: [String]?
    public var audio: JSONValue?
    public var prediction: JSONValue?
    public var webSearchOptions: JSONValue?
    /// Deprecated functions API.
    public var functions: [JSONValue]?
    public var functionCall: JSONValue?

    // Streaming
    public var stream: Bool?
    public var streamOptions: StreamOptions?

    // Bookkeeping
    public var user: String?
    public var safetyIdentifier: String?
    public var promptCacheKey: String?
    public var promptCacheRetention: String?
    public var serviceTier: String?
    public var store: Bool?
    public var metadata: JSONValue?

    /// Members not modelled above, forwarded to the upstream as they came.
    public var extra: [String: JSONValue]

    public init(model: String, messages: [ChatMessage], extra: [String: JSONValue] = [:]) {
        self.model = model
        self.messages = messages
        self.extra = extra
    }

    public var isStreaming: Bool { stream ?? false }

    /// Body members that steer the gateway itself (LiteLLM's names). They are read by the router
    /// and never sent to a provider.
    public static let gatewayControlKeys: Set<String> = [
        "fallbacks", "context_window_fallbacks", "content_policy_fallbacks", "disable_fallbacks",
        "num_retries", "timeout", "request_timeout", "stream_timeout", "max_retries",
        "mock_response", "mock_testing_fallbacks", "mock_testing_context_fallbacks",
        "mock_testing_content_policy_fallbacks", "mock_testing_rate_limit_error", "mock_timeout", "mock_delay",
        "tags", "caching", "cache", "guardrails", "litellm_metadata", "litellm_logging_obj", "api_key", "api_base",
        "base_url", "api_version", "custom_llm_provider", "include_fallback_errors",
    ]

    /// The request as a provider should see it: the gateway's control members removed, and
    /// `metadata` only when `store` is set (LiteLLM treats `metadata` as its own otherwise).
    public var forUpstream: ChatRequest {
        var copy = self
        if !extra.isEmpty { copy.extra = extra.filter { !Self.gatewayControlKeys.contains($0.key) } }
        if store != true { copy.metadata = nil }
        return copy
    }
}

extension ChatRequest: Codable {
    static let knownKeys: Set<String> = [
        "model", "messages", "temperature", "top_p", "n", "stop", "max_tokens", "max_completion_tokens",
        "presence_penalty", "frequency_penalty", "logit_bias", "seed", "logprobs", "top_logprobs",
        "reasoning_effort", "verbosity", "response_format", "tools", "tool_choice", "parallel_tool_calls",
        "modalities", "audio", "prediction", "web_search_options", "functions", "function_call", "stream",
        "stream_options", "user", "safety_identifier", "prompt_cache_key", "prompt_cache_retention",
        "service_tier", "store", "metadata",
    ]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        model = try c.required(String.self, "model")
        messages = try c.required([ChatMessage].self, "messages")
        temperature = try c.optional(Double.self, "temperature")
        topP = try c.optional(Double.self, "top_p")
        n = try c.optional(Int.self, "n")
        stop = try c.optional(StopSequences.self, "stop")
        maxTokens = try c.optional(Int.self, "max_tokens")
        maxCompletionTokens = try c.optional(Int.self, "max_completion_tokens")
        presencePenalty = try c.optional(Double.self, "presence_penalty")
        frequencyPenalty = try c.optional(Double.self, "frequency_penalty")
        logitBias = try c.optional([String: Double].self, "logit_bias")
        seed = try c.optional(Int.self, "seed")
        logprobs = try c.optional(Bool.self, "logprobs")
        topLogprobs = try c.optional(Int.self, "top_logprobs")
        reasoningEffort = try c.optional(String.self, "reasoning_effort")
        verbosity = try c.optional(String.self, "verbosity")
        responseFormat = try c.optional(ResponseFormat.self, "response_format")
        tools = try c.optional([Tool].self, "tools")
        toolChoice = try c.optional(ToolChoice.self, "tool_choice")
        parallelToolCalls = try c.optional(Bool.self, "parallel_tool_calls")
        modalities = try c.optional([String].self, "modalities")
        audio = try c.optional(JSONValue.self, "audio")
        prediction = try c.optional(JSONValue.self, "prediction")
        webSearchOptions = try c.optional(JSONValue.self, "web_search_options")
        functions = try c.optional([JSONValue].self, "functions")
        functionCall = try c.optional(JSONValue.self, "function_call")
        stream = try c.optional(Bool.self, "stream")
        streamOptions = try c.optional(StreamOptions.self, "stream_options")
        user = try c.optional(String.self, "user")
        safetyIdentifier = try c.optional(String.self, "safety_identifier")
        promptCacheKey = try c.optional(String.self, "prompt_cache_key")
        promptCacheRetention = try c.optional(String.self, "prompt_cache_retention")
        serviceTier = try c.optional(String.self, "service_tier")
        store = try c.optional(Bool.self, "store")
        metadata = try c.optional(JSONValue.self, "metadata")
        extra = try decoder.decodeExtra(known: Self.knownKeys)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encodeExtra(extra)
        try c.encode(model, forKey: "model")
        try c.encode(messages, forKey: "messages")
        try c.put(temperature, "temperature")
        try c.put(topP, "top_p")
        try c.put(n, "n")
        try c.put(stop, "stop")
        try c.put(maxTokens, "max_tokens")
        try c.put(maxCompletionTokens, "max_completion_tokens")
        try c.put(presencePenalty, "presence_penalty")
        try c.put(frequencyPenalty, "frequency_penalty")
        try c.put(logitBias, "logit_bias")
        try c.put(seed, "seed")
        try c.put(logprobs, "logprobs")
        try c.put(topLogprobs, "top_logprobs")
        try c.put(reasoningEffort, "reasoning_effort")
        try c.put(verbosity, "verbosity")
        try c.put(responseFormat, "response_format")
        try c.put(tools, "tools")
        try c.put(toolChoice, "tool_choice")
        try c.put(parallelToolCalls, "parallel_tool_calls")
        try c.put(modalities, "modalities")
        try c.put(audio, "audio")
        try c.put(prediction, "prediction")
        try c.put(webSearchOptions, "web_search_options")
        try c.put(functions, "functions")
        try c.put(functionCall, "function_call")
        try c.put(stream, "stream")
        try c.put(streamOptions, "stream_options")
        try c.put(user, "user")
        try c.put(safetyIdentifier, "safety_identifier")
        try c.put(promptCacheKey, "prompt_cache_key")
        try c.put(promptCacheRetention, "prompt_cache_retention")
        try c.put(serviceTier, "service_tier")
        try c.put(store, "store")
        try c.put(metadata, "metadata")
    }
}
