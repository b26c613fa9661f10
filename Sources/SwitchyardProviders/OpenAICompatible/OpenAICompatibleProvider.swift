/// An OpenAI-dialect provider that differs from OpenAI only in data: where it lives, where its
/// key is, and which parameters it takes. One row of `OpenAICompatibleProvider.table`.
public struct OpenAICompatibleProvider: Sendable {
    /// The LiteLLM prefix, e.g. `groq`.
    public var prefix: String
    /// nil when `api_base` is required (`hosted_vllm`).
    public var defaultBaseURL: String?
    /// Environment variables that hold the key, first found wins.
    public var apiKeyEnvironment: [String]
    /// Environment variables that may hold the base URL.
    public var apiBaseEnvironment: [String]
    /// false for local servers that take no key.
    public var requiresAPIKey: Bool
    /// The name the provider wants for the output-token cap.
    public var maxTokensField: MaxTokensField
    /// OpenAI request parameters this provider rejects: dropped with `drop_params`, else a 400.
    public var unsupportedParameters: Set<String>
    /// OpenAI request parameters the provider takes under another name (mistral: `seed` is sent as
    /// `random_seed`). A request that also sets the new name keeps that value and loses the other.
    public var renamedParameters: [String: String]
    /// `tool_choice` strings the provider spells differently (mistral: `required` is sent as `any`).
    /// Other values, and `tool_choice` objects, go as they came.
    public var toolChoiceValues: [String: String]
    /// The only `tool_choice` strings the provider takes, when it takes only some (deepinfra: `auto`
    /// and `none`). Any other value, string or object, is dropped with `drop_params`, else a 400,
    /// as for `unsupportedParameters`. nil: no restriction.
    public var acceptedToolChoices: Set<String>?
    /// Parameters the provider accepts from callers but which are never sent to it: removed
    /// silently, whatever `drop_params` says (xai: `web_search_options`).
    public var ignoredParameters: Set<String>
    /// Put in front of the chat request's model name, unless the name already starts with the
    /// prefix's first path segment (fireworks_ai: `llama-v3p1-8b-instruct` is sent as
    /// `accounts/fireworks/models/llama-v3p1-8b-instruct`; `accounts/me/models/x` as it is).
    public var modelPrefix: String?
    public var notes: String

    public init(
        prefix: String, defaultBaseURL: String?, apiKeyEnvironment: [String], apiBaseEnvironment: [String] = [],
        requiresAPIKey: Bool = true, maxTokensField: MaxTokensField = .maxCompletionTokens,
        unsupportedParameters: Set<String> = [], renamedParameters: [String: String] = [:],
        toolChoiceValues: [String: String] = [:], acceptedToolChoices: Set<String>? = nil,
        ignoredParameters: Set<String> = [], modelPrefix: String? = nil, notes: String = ""
    ) {
        self.prefix = prefix
        self.defaultBaseURL = defaultBaseURL
        self.apiKeyEnvironment = apiKeyEnvironment
        self.apiBaseEnvironment = apiBaseEnvironment
        self.requiresAPIKey = requiresAPIKey
        self.maxTokensField = maxTokensField
        self.unsupportedParameters = unsupportedParameters
        self.renamedParameters = renamedParameters
        self.toolChoiceValues = toolChoiceValues
        self.acceptedToolChoices = acceptedToolChoices
        self.ignoredParameters = ignoredParameters
        self.modelPrefix = modelPrefix
        self.notes = notes
    }

    /// The model name as the provider wants it in a chat request (see `modelPrefix`).
    public func upstreamModel(_ model: String) -> String {
        guard let modelPrefix, !modelPrefix.isEmpty else { return model }
        let segment = modelPrefix.split(separator: "/", maxSplits: 1).first.map { "\($0)/" } ?? modelPrefix
        return model.hasPrefix(segment) ? model : modelPrefix + model
    }

    /// The row for `prefix`, if there is one.
    public static func named(_ prefix: String) -> OpenAICompatibleProvider? { byPrefix[prefix] }

    static let byPrefix: [String: OpenAICompatibleProvider] = Dictionary(
        table.map { ($0.prefix, $0) }, uniquingKeysWith: { first, _ in first })
}

public enum MaxTokensField: Sendable {
    case maxTokens, maxCompletionTokens
}
