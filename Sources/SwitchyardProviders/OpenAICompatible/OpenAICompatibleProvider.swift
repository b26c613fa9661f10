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
    public var notes: String

    public init(
        prefix: String, defaultBaseURL: String?, apiKeyEnvironment: [String], apiBaseEnvironment: [String] = [],
        requiresAPIKey: Bool = true, maxTokensField: MaxTokensField = .maxCompletionTokens,
        unsupportedParameters: Set<String> = [], notes: String = ""
    ) {
        self.prefix = prefix
        self.defaultBaseURL = defaultBaseURL
        self.apiKeyEnvironment = apiKeyEnvironment
        self.apiBaseEnvironment = apiBaseEnvironment
        self.requiresAPIKey = requiresAPIKey
        self.maxTokensField = maxTokensField
        self.unsupportedParameters = unsupportedParameters
        self.notes = notes
    }

    /// The row for `prefix`, if there is one.
    public static func named(_ prefix: String) -> OpenAICompatibleProvider? { byPrefix[prefix] }

    static let byPrefix: [String: OpenAICompatibleProvider] = Dictionary(
        table.map { ($0.prefix, $0) }, uniquingKeysWith: { first, _ in first })
}

public enum MaxTokensField: Sendable {
    case maxTokens, maxCompletionTokens
}
