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
    /// One pass over the members the body has (a request names a handful of the ~35 known
    /// here): a lookup per known member cost a fifth of a translated request's decode.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        var model: String?
        var messages: [ChatMessage]?
        extra = [:]
        for member in decoder.memberNames(c) {
            let key = AnyCodingKey(member)
            func read<T: Decodable>(_ type: T.Type) throws -> T? { try c.decodeIfPresent(type, forKey: key) }
            switch member {
            case "model": model = try c.decode(String.self, forKey: key)
            case "messages": messages = try c.decode([ChatMessage].self, forKey: key)
            case "temperature": temperature = try read(Double.self)
            case "top_p": topP = try read(Double.self)
            case "n": n = try read(Int.self)
            case "stop": stop = try read(StopSequences.self)
            case "max_tokens": maxTokens = try read(Int.self)
            case "max_completion_tokens": maxCompletionTokens = try read(Int.self)
            case "presence_penalty": presencePenalty = try read(Double.self)
            case "frequency_penalty": frequencyPenalty = try read(Double.self)
            case "logit_bias": logitBias = try read([String: Double].self)
            case "seed": seed = try read(Int.self)
            case "logprobs": logprobs = try read(Bool.self)
            case "top_logprobs": topLogprobs = try read(Int.self)
            case "reasoning_effort": reasoningEffort = try read(String.self)
            case "verbosity": verbosity = try read(String.self)
            case "response_format": responseFormat = try read(ResponseFormat.self)
            case "tools": tools = try read([Tool].self)
            case "tool_choice": toolChoice = try read(ToolChoice.self)
            case "parallel_tool_calls": parallelToolCalls = try read(Bool.self)
            case "modalities": modalities = try read([String].self)
            case "audio": audio = try read(JSONValue.self)
            case "prediction": prediction = try read(JSONValue.self)
            case "web_search_options": webSearchOptions = try read(JSONValue.self)
            case "functions": functions = try read([JSONValue].self)
            case "function_call": functionCall = try read(JSONValue.self)
            case "stream": stream = try read(Bool.self)
            case "stream_options": streamOptions = try read(StreamOptions.self)
            case "user": user = try read(String.self)
            case "safety_identifier": safetyIdentifier = try read(String.self)
            case "prompt_cache_key": promptCacheKey = try read(String.self)
            case "prompt_cache_retention": promptCacheRetention = try read(String.self)
            case "service_tier": serviceTier = try read(String.self)
            case "store": store = try read(Bool.self)
            case "metadata": metadata = try read(JSONValue.self)
            default: extra[member] = try c.decode(JSONValue.self, forKey: key)
            }
        }
        // Missing: the lookup throws the decoder's own "not found" error.
        self.model = try model ?? c.required(String.self, "model")
        self.messages = try messages ?? c.required([ChatMessage].self, "messages")
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
