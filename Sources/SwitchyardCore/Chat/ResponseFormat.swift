/// `response_format`: `text`, `json_object`, or `json_schema` with its schema.
public struct ResponseFormat: Sendable, Hashable {
    public var type: String
    public var jsonSchema: JSONSchema?
    public var extra: [String: JSONValue]

    public init(type: String, jsonSchema: JSONSchema? = nil, extra: [String: JSONValue] = [:]) {
        self.type = type
        self.jsonSchema = jsonSchema
        self.extra = extra
    }

    public static let text = ResponseFormat(type: "text")
    public static let jsonObject = ResponseFormat(type: "json_object")
    public static func jsonSchema(name: String, schema: JSONValue, strict: Bool? = nil) -> ResponseFormat {
        ResponseFormat(type: "json_schema", jsonSchema: .init(name: name, schema: schema, strict: strict))
    }

    public struct JSONSchema: Sendable, Hashable {
        public var name: String
        public var description: String?
        public var schema: JSONValue?
        public var strict: Bool?
        public var extra: [String: JSONValue]

        public init(
            name: String, description: String? = nil, schema: JSONValue? = nil, strict: Bool? = nil,
            extra: [String: JSONValue] = [:]
        ) {
            self.name = name
            self.description = description
            self.schema = schema
            self.strict = strict
            self.extra = extra
        }
    }
}

extension ResponseFormat: Codable {
    static let knownKeys: Set<String> = ["type", "json_schema"]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        type = try c.required(String.self, "type")
        jsonSchema = try c.optional(JSONSchema.self, "json_schema")
        extra = try decoder.decodeExtra(known: Self.knownKeys)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encodeExtra(extra)
        try c.encode(type, forKey: "type")
        try c.put(jsonSchema, "json_schema")
    }
}

extension ResponseFormat.JSONSchema: Codable {
    static let knownKeys: Set<String> = ["name", "description", "schema", "strict"]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        name = try c.required(String.self, "name")
        description = try c.optional(String.self, "description")
        schema = try c.optional(JSONValue.self, "schema")
        strict = try c.optional(Bool.self, "strict")
        extra = try decoder.decodeExtra(known: Self.knownKeys)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encodeExtra(extra)
        try c.encode(name, forKey: "name")
        try c.put(description, "description")
        try c.put(schema, "schema")
        try c.put(strict, "strict")
    }
}

/// `stop`: OpenAI takes one string or up to four.
public enum StopSequences: Sendable, Hashable, Codable {
    case single(String)
    case many([String])

    public var values: [String] {
        switch self {
        case .single(let value): return [value]
        case .many(let values): return values
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let single = try? container.decode(String.self) {
            self = .single(single)
        } else {
            self = .many(try container.decode([String].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .single(let value): try container.encode(value)
        case .many(let values): try container.encode(values)
        }
    }
}

/// `stream_options`.
public struct StreamOptions: Sendable, Hashable {
    /// Ask for a last chunk with `usage` and empty `choices`.
    public var includeUsage: Bool?
    public var extra: [String: JSONValue]

    public init(includeUsage: Bool? = nil, extra: [String: JSONValue] = [:]) {
        self.includeUsage = includeUsage
        self.extra = extra
    }
}

extension StreamOptions: Codable {
    static let knownKeys: Set<String> = ["include_usage"]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        includeUsage = try c.optional(Bool.self, "include_usage")
        extra = try decoder.decodeExtra(known: Self.knownKeys)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encodeExtra(extra)
        try c.put(includeUsage, "include_usage")
    }
}
