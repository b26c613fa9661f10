import SwitchyardCore

/// JSON schemas as Gemini's `Schema` accepts them: only the keys it knows survive (it refuses
/// `$schema`, `additionalProperties`, `$ref`, `strict`, `const`, `examples`, …), recursively
/// through `properties`, `items` and `anyOf`; a `type` list with `null` becomes `nullable`.
enum GeminiSchema {
    static var allowed: Set<String> { GeminiSchemaKeys.allowed }

    static func clean(_ schema: JSONValue) -> JSONValue {
        guard var object = schema.objectValue else { return schema }
        object = object.filter { allowed.contains($0.key) }
        if let types = object["type"]?.arrayValue {
            let names = types.compactMap(\.stringValue)
            let nonNull = names.filter { $0 != "null" }
            if nonNull.count < names.count { object["nullable"] = true }
            object["type"] = nonNull.first.map(JSONValue.string) ?? "string"
        }
        if let properties = object["properties"]?.objectValue {
            object["properties"] = .object(properties.mapValues(clean))
        }
        if let items = object["items"] { object["items"] = clean(items) }
        if let anyOf = object["anyOf"]?.arrayValue { object["anyOf"] = .array(anyOf.map(clean)) }
        return .object(object)
    }
}

/// The members of Gemini's `Schema` object (its API reference), shared with the mock upstream.
public enum GeminiSchemaKeys {
    public static let allowed: Set<String> = [
        "type", "format", "title", "description", "nullable", "enum", "maxItems", "minItems", "properties", "required",
        "minProperties", "maxProperties", "minLength", "maxLength", "pattern", "example", "anyOf", "propertyOrdering",
        "default", "items", "minimum", "maximum",
    ]
}
