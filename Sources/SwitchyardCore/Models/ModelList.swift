/// `GET /v1/models`: `{"object":"list","data":[…]}`.
public struct ModelList: Sendable, Hashable, Codable {
    public var object: String
    public var data: [ModelCard]
    public init(object: String = "list", data: [ModelCard]) {
        self.object = object
        self.data = data
    }
}

/// One model of the list, and the body of `GET /v1/models/{id}`.
public struct ModelCard: Sendable, Hashable {
    public var id: String
    public var object: String
    public var created: Int
    public var ownedBy: String
    public var extra: [String: JSONValue]

    public init(id: String, object: String = "model", created: Int, ownedBy: String, extra: [String: JSONValue] = [:]) {
        self.id = id
        self.object = object
        self.created = created
        self.ownedBy = ownedBy
        self.extra = extra
    }
}

extension ModelCard: Codable {
    static let knownKeys: Set<String> = ["id", "object", "created", "owned_by"]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        id = try c.required(String.self, "id")
        object = try c.optional(String.self, "object") ?? "model"
        created = try c.optional(Int.self, "created") ?? 0
        ownedBy = try c.optional(String.self, "owned_by") ?? ""
        extra = try decoder.decodeExtra(known: Self.knownKeys)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encodeExtra(extra)
        try c.encode(id, forKey: "id")
        try c.encode(object, forKey: "object")
        try c.encode(created, forKey: "created")
        try c.encode(ownedBy, forKey: "owned_by")
    }
}
