/// An embeddings request: OpenAI's `POST /v1/embeddings` body.
public struct EmbeddingRequest: Sendable, Hashable {
    public var model: String
    public var input: EmbeddingInput
    /// `float` (default) or `base64`.
    public var encodingFormat: String?
    public var dimensions: Int?
    public var user: String?
    public var extra: [String: JSONValue]

    public init(
        model: String, input: EmbeddingInput, encodingFormat: String? = nil, dimensions: Int? = nil,
        user: String? = nil, extra: [String: JSONValue] = [:]
    ) {
        self.model = model
        self.input = input
        self.encodingFormat = encodingFormat
        self.dimensions = dimensions
        self.user = user
        self.extra = extra
    }

    public var forUpstream: EmbeddingRequest {
        var copy = self
        if !extra.isEmpty { copy.extra = extra.filter { !ChatRequest.gatewayControlKeys.contains($0.key) } }
        return copy
    }
}

/// What to embed: a string, strings, one token array, or token arrays.
public enum EmbeddingInput: Sendable, Hashable, Codable {
    case text(String)
    case texts([String])
    case tokens([Int])
    case tokenArrays([[Int]])

    /// How many embeddings the answer holds.
    public var count: Int {
        switch self {
        case .text, .tokens: return 1
        case .texts(let texts): return texts.count
        case .tokenArrays(let arrays): return arrays.count
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .text(text)
        } else if let texts = try? container.decode([String].self) {
            self = .texts(texts)
        } else if let tokens = try? container.decode([Int].self) {
            self = .tokens(tokens)
        } else {
            self = .tokenArrays(try container.decode([[Int]].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let value): try container.encode(value)
        case .texts(let value): try container.encode(value)
        case .tokens(let value): try container.encode(value)
        case .tokenArrays(let value): try container.encode(value)
        }
    }
}

extension EmbeddingRequest: Codable {
    static let knownKeys: Set<String> = ["model", "input", "encoding_format", "dimensions", "user"]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        model = try c.required(String.self, "model")
        input = try c.required(EmbeddingInput.self, "input")
        encodingFormat = try c.optional(String.self, "encoding_format")
        dimensions = try c.optional(Int.self, "dimensions")
        user = try c.optional(String.self, "user")
        extra = try decoder.decodeExtra(known: Self.knownKeys)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encodeExtra(extra)
        try c.encode(model, forKey: "model")
        try c.encode(input, forKey: "input")
        try c.put(encodingFormat, "encoding_format")
        try c.put(dimensions, "dimensions")
        try c.put(user, "user")
    }
}
