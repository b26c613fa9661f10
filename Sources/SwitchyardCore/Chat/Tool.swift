/// A tool the model may call. `type` is `function` for function tools; other tool types
/// (`custom`, provider built-ins) keep their payload in `extra`.
public struct Tool: Sendable, Hashable {
    public var type: String
    public var function: FunctionDefinition?
    public var extra: [String: JSONValue]

    public init(type: String = "function", function: FunctionDefinition?, extra: [String: JSONValue] = [:]) {
        self.type = type
        self.function = function
        self.extra = extra
    }

    public static func function(
        name: String, description: String? = nil, parameters: JSONValue? = nil, strict: Bool? = nil
    ) -> Tool {
        Tool(function: .init(name: name, description: description, parameters: parameters, strict: strict))
    }
}

extension Tool: Codable {
    static let knownKeys: Set<String> = ["type", "function"]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        type = try c.required(String.self, "type")
        function = try c.optional(FunctionDefinition.self, "function")
        extra = try decoder.decodeExtra(known: Self.knownKeys)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encodeExtra(extra)
        try c.encode(type, forKey: "type")
        try c.put(function, "function")
    }
}

/// A function's declaration: its name, description and JSON-schema parameters.
public struct FunctionDefinition: Sendable, Hashable {
    public var name: String
    public var description: String?
    public var parameters: JSONValue?
    public var strict: Bool?
    public var extra: [String: JSONValue]

    public init(
        name: String, description: String? = nil, parameters: JSONValue? = nil, strict: Bool? = nil,
        extra: [String: JSONValue] = [:]
    ) {
        self.name = name
        self.description = description
        self.parameters = parameters
        self.strict = strict
        self.extra = extra
    }
}

extension FunctionDefinition: Codable {
    static let knownKeys: Set<String> = ["name", "description", "parameters", "strict"]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        name = try c.required(String.self, "name")
        description = try c.optional(String.self, "description")
        parameters = try c.optional(JSONValue.self, "parameters")
        strict = try c.optional(Bool.self, "strict")
        extra = try decoder.decodeExtra(known: Self.knownKeys)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encodeExtra(extra)
        try c.encode(name, forKey: "name")
        try c.put(description, "description")
        try c.put(parameters, "parameters")
        try c.put(strict, "strict")
    }
}

/// A call the model made. In a full message every member is set; in a stream delta only `index`
/// is sure, the rest arrive piecemeal (the arguments in fragments).
public struct ToolCall: Sendable, Hashable {
    public var index: Int?
    public var id: String?
    public var type: String?
    public var function: FunctionCall?
    public var extra: [String: JSONValue]

    public init(
        index: Int? = nil, id: String?, type: String? = "function", function: FunctionCall?,
        extra: [String: JSONValue] = [:]
    ) {
        self.index = index
        self.id = id
        self.type = type
        self.function = function
        self.extra = extra
    }

    public static func function(id: String, name: String, arguments: String) -> ToolCall {
        ToolCall(id: id, function: .init(name: name, arguments: arguments))
    }
}

extension ToolCall: Codable {
    static let knownKeys: Set<String> = ["index", "id", "type", "function"]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        index = try c.optional(Int.self, "index")
        id = try c.optional(String.self, "id")
        type = try c.optional(String.self, "type")
        function = try c.optional(FunctionCall.self, "function")
        extra = try decoder.decodeExtra(known: Self.knownKeys)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encodeExtra(extra)
        try c.put(index, "index")
        try c.put(id, "id")
        try c.put(type, "type")
        try c.put(function, "function")
    }
}

/// The function part of a tool call (and the legacy `function_call`): name and JSON arguments text.
public struct FunctionCall: Sendable, Hashable {
    public var name: String?
    public var arguments: String?
    /// Members this type does not model (provider extensions such as a thought signature).
    public var extra: [String: JSONValue]

    public init(name: String?, arguments: String?) {
        self.init(name: name, arguments: arguments, extra: [:])
    }

    public init(name: String?, arguments: String?, extra: [String: JSONValue]) {
        self.name = name
        self.arguments = arguments
        self.extra = extra
    }
}

extension FunctionCall: Codable {
    static let knownKeys: Set<String> = ["name", "arguments"]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        name = try c.optional(String.self, "name")
        arguments = try c.optional(String.self, "arguments")
        extra = try decoder.decodeExtra(known: Self.knownKeys)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encodeExtra(extra)
        try c.put(name, "name")
        try c.put(arguments, "arguments")
    }
}

/// `tool_choice`: a mode string, a named function, or another documented form kept as JSON.
public enum ToolChoice: Sendable, Hashable, Codable {
    case none
    case auto
    case required
    case function(name: String)
    /// `allowed_tools`, `custom` and any future form, forwarded unchanged.
    case other(JSONValue)

    public init(from decoder: any Decoder) throws {
        let value = try JSONValue(from: decoder)
        switch value {
        case .string("none"): self = .none
        case .string("auto"): self = .auto
        case .string("required"): self = .required
        case .object(let members)
        where members["type"] == .string("function") && members.count == 2:
            if let name = members["function"]?["name"]?.stringValue, members["function"]?.objectValue?.count == 1 {
                self = .function(name: name)
            } else {
                self = .other(value)
            }
        default: self = .other(value)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .none: try JSONValue.string("none").encode(to: encoder)
        case .auto: try JSONValue.string("auto").encode(to: encoder)
        case .required: try JSONValue.string("required").encode(to: encoder)
        case .function(let name):
            try JSONValue.object(["type": "function", "function": ["name": .string(name)]]).encode(to: encoder)
        case .other(let value): try value.encode(to: encoder)
        }
    }
}
