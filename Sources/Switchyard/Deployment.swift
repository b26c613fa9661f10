import Crypto
import SwitchyardCore
import SwitchyardProviders

/// One entry of the model list: a public model name (the group) served by one concrete
/// provider endpoint with its credentials. Several deployments with one `modelName` form a
/// group the router balances and fails over across.
public struct Deployment: Sendable, Hashable {
    /// The group name clients send as `model`.
    public var modelName: String
    /// How to call the provider (LiteLLM's `litellm_params`).
    public var params: Params
    /// Router and proxy metadata, never sent upstream (LiteLLM's `model_info`).
    public var modelInfo: ModelInfo

    public init(modelName: String, params: Params, modelInfo: ModelInfo = .init()) {
        self.modelName = modelName
        self.params = params
        self.modelInfo = modelInfo
    }

    /// `model_info.id` when set, else a hash of the group name and every param, so replicas
    /// that load the same config agree on ids.
    public var id: String {
        if let id = modelInfo.id, !id.isEmpty { return id }
        return Self.deterministicID(modelName: modelName, params: params)
    }

    static func deterministicID(modelName: String, params: Params) -> String {
        var hasher = SHA256()
        hasher.update(data: Array(modelName.utf8))
        for (key, value) in params.allValues.sorted(by: { $0.key < $1.key }) {
            hasher.update(data: Array(key.utf8))
            hasher.update(data: Array(value.canonicalText.utf8))
        }
        return hasher.finalize().map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}

extension Deployment {
    /// LiteLLM's `litellm_params`: the provider endpoint plus routing hints. Keys it does not
    /// model stay in `extra` and reach the provider adapter (`mock_response`, `vertex_project`, …).
    public struct Params: Sendable, Hashable {
        /// `provider/model`, or a well-known bare model name.
        public var model: String
        public var apiKey: String?
        public var apiBase: String?
        public var apiVersion: String?
        public var organization: String?
        public var customLLMProvider: String?
        /// Requests per minute this deployment takes: a shuffle weight and a capacity hint.
        public var rpm: Int?
        /// Tokens per minute: a shuffle weight when neither weight nor rpm is set.
        public var tpm: Int?
        public var weight: Double?
        /// Priority tier: the lowest order is used first; higher orders act as fallbacks.
        public var order: Int?
        /// Seconds for a whole non-streamed answer.
        public var timeout: Double?
        /// Seconds to the first byte of a stream, and between its chunks.
        public var streamTimeout: Double?
        public var maxParallelRequests: Int?
        public var numRetries: Int?
        /// Seconds this deployment rests after a failure that cools it down.
        public var cooldownTime: Double?
        public var tags: [String]?
        /// Extra headers sent upstream (`extra_headers` / `headers`).
        public var headers: [String: String]?
        public var dropParams: Bool?
        public var mockResponse: String?
        public var extra: [String: JSONValue]

        public init(
            model: String, apiKey: String? = nil, apiBase: String? = nil, apiVersion: String? = nil,
            organization: String? = nil, customLLMProvider: String? = nil, rpm: Int? = nil, tpm: Int? = nil,
            weight: Double? = nil, order: Int? = nil, timeout: Double? = nil, streamTimeout: Double? = nil,
            maxParallelRequests: Int? = nil, numRetries: Int? = nil, cooldownTime: Double? = nil,
            tags: [String]? = nil, headers: [String: String]? = nil, dropParams: Bool? = nil,
            mockResponse: String? = nil, extra: [String: JSONValue] = [:]
        ) {
            self.model = model
            self.apiKey = apiKey
            self.apiBase = apiBase
            self.apiVersion = apiVersion
            self.organization = organization
            self.customLLMProvider = customLLMProvider
            self.rpm = rpm
            self.tpm = tpm
            self.weight = weight
            self.order = order
            self.timeout = timeout
            self.streamTimeout = streamTimeout
            self.maxParallelRequests = maxParallelRequests
            self.numRetries = numRetries
            self.cooldownTime = cooldownTime
            self.tags = tags
            self.headers = headers
            self.dropParams = dropParams
            self.mockResponse = mockResponse
            self.extra = extra
        }

        /// Every param as JSON, keyed by its LiteLLM name (for ids and adapters).
        var allValues: [String: JSONValue] {
            var values = extra
            func put(_ key: String, _ value: JSONValue?) { if let value { values[key] = value } }
            put("model", .string(model))
            put("api_key", apiKey.map(JSONValue.string))
            put("api_base", apiBase.map(JSONValue.string))
            put("api_version", apiVersion.map(JSONValue.string))
            put("organization", organization.map(JSONValue.string))
            put("custom_llm_provider", customLLMProvider.map(JSONValue.string))
            put("rpm", rpm.map(JSONValue.int))
            put("tpm", tpm.map(JSONValue.int))
            put("weight", weight.map(JSONValue.double))
            put("order", order.map(JSONValue.int))
            put("timeout", timeout.map(JSONValue.double))
            put("stream_timeout", streamTimeout.map(JSONValue.double))
            put("max_parallel_requests", maxParallelRequests.map(JSONValue.int))
            put("num_retries", numRetries.map(JSONValue.int))
            put("cooldown_time", cooldownTime.map(JSONValue.double))
            put("tags", tags.map { .array($0.map(JSONValue.string)) })
            put("extra_headers", headers.map { .object($0.mapValues(JSONValue.string)) })
            put("drop_params", dropParams.map(JSONValue.bool))
            put("mock_response", mockResponse.map(JSONValue.string))
            return values
        }

        /// The endpoint part, for provider resolution.
        var endpoint: EndpointParams {
            var providerParams = extra
            if let mockResponse { providerParams["mock_response"] = .string(mockResponse) }
            return EndpointParams(
                model: model, customLLMProvider: customLLMProvider, apiBase: apiBase, apiKey: apiKey,
                apiVersion: apiVersion, organization: organization, headers: headers ?? [:],
                dropParams: dropParams ?? false, params: providerParams)
        }
    }

    /// LiteLLM's `model_info`: metadata the router reads; never sent upstream.
    public struct ModelInfo: Sendable, Hashable {
        public var id: String?
        /// The price-map entry to use when the deployment name is opaque (Azure).
        public var baseModel: String?
        /// `chat`, `embedding`, `completion`, …
        public var mode: String?
        public var maxInputTokens: Int?
        public var maxOutputTokens: Int?
        /// Failures tolerated before a cooldown (switches this deployment to counting mode).
        public var allowedFails: Int?
        public var cooldownTime: Double?
        public var extra: [String: JSONValue]

        public init(
            id: String? = nil, baseModel: String? = nil, mode: String? = nil, maxInputTokens: Int? = nil,
            maxOutputTokens: Int? = nil, allowedFails: Int? = nil, cooldownTime: Double? = nil,
            extra: [String: JSONValue] = [:]
        ) {
            self.id = id
            self.baseModel = baseModel
            self.mode = mode
            self.maxInputTokens = maxInputTokens
            self.maxOutputTokens = maxOutputTokens
            self.allowedFails = allowedFails
            self.cooldownTime = cooldownTime
            self.extra = extra
        }
    }
}

extension JSONValue {
    /// A stable text form (object keys sorted) for hashing.
    var canonicalText: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .int(let value): return String(value)
        case .double(let value): return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        case .string(let value): return "\"" + value + "\""
        case .array(let values): return "[" + values.map(\.canonicalText).joined(separator: ",") + "]"
        case .object(let members):
            return "{" + members.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value.canonicalText)" }.joined(separator: ",") + "}"
        }
    }
}
