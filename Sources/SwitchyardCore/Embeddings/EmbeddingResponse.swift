/// An embeddings answer: `{"object":"list","data":[…],"model","usage"}`.
public struct EmbeddingResponse: Sendable, Hashable {
    public var object: String
    public var data: [Embedding]
    public var model: String
    public var usage: EmbeddingUsage?
    public var extra: [String: JSONValue]

    public init(object: String = "list", data: [Embedding], model: String, usage: EmbeddingUsage?, extra: [String: JSONValue] = [:]) {
        self.object = object
        self.data = data
        self.model = model
        self.usage = usage
        self.extra = extra
    }

    public struct Embedding: Sendable, Hashable {
        public var object: String
        public var index: Int
        public var embedding: EmbeddingVector
        public var extra: [String: JSONValue]

        public init(object: String = "embedding", index: Int, embedding: EmbeddingVector, extra: [String: JSONValue] = [:]) {
            self.object = object
            self.index = index
            self.embedding = embedding
            self.extra = extra
        }
    }
}

/// An embedding as numbers, or as base64 of little-endian float32 when `encoding_format: base64`.
public enum EmbeddingVector: Sendable, Hashable, Codable {
    case floats([Double])
    case base64(String)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .base64(text)
        } else {
            self = .floats(try container.decode([Double].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .floats(let values): try container.encode(values)
        case .base64(let text): try container.encode(text)
        }
    }
}

public struct EmbeddingUsage: Sendable, Hashable, Codable {
    public var promptTokens: Int
    public var totalTokens: Int
    public init(promptTokens: Int, totalTokens: Int) {
        self.promptTokens = promptTokens
        self.totalTokens = totalTokens
    }
    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case totalTokens = "total_tokens"
    }
}

extension EmbeddingResponse: Codable {
    static let knownKeys: Set<String> = ["object", "data", "model", "usage"]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        object = try c.optional(String.self, "object") ?? "list"
        data = try c.required([Embedding].self, "data")
        model = try c.optional(String.self, "model") ?? ""
        usage = try c.optional(EmbeddingUsage.self, "usage")
        extra = try decoder.decodeExtra(known: Self.knownKeys)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encodeExtra(extra)
        try c.encode(object, forKey: "object")
        try c.encode(data, forKey: "data")
        try c.encode(model, forKey: "model")
        try c.put(usage, "usage")
    }
}

extension EmbeddingResponse.Embedding: Codable {
    static let knownKeys: Set<String> = ["object", "index", "embedding"]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        object = try c.optional(String.self, "object") ?? "embedding"
        index = try c.optional(Int.self, "index") ?? 0
        embedding = try c.required(EmbeddingVector.self, "embedding")
        extra = try decoder.decodeExtra(known: Self.knownKeys)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encodeExtra(extra)
        try c.encode(object, forKey: "object")
        try c.encode(index, forKey: "index")
        try c.encode(embedding, forKey: "embedding")
    }
}
