import SwitchyardCore

/// Reads typed values out of a JSON tree while recording where each problem is. Lenient the way
/// YAML written by people needs: numbers in strings (`"600"`, or what `os.environ/` gave) are
/// numbers, `"true"` is a bool, an integer is a double.
struct ConfigReader {
    let value: JSONValue
    let path: String
    let issues: IssueSink

    init(_ value: JSONValue, path: String, issues: IssueSink) {
        self.value = value
        self.path = path
        self.issues = issues
    }

    func child(_ key: String) -> ConfigReader? {
        guard let member = value[key], !member.isNull else { return nil }
        return ConfigReader(member, path: join(key), issues: issues)
    }

    func join(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    var keys: [String] { value.objectValue.map { Array($0.keys).sorted() } ?? [] }

    /// Items of a list, each with its path `path[i]`.
    var items: [ConfigReader] {
        (value.arrayValue ?? []).enumerated().map { ConfigReader($1, path: "\(path)[\($0)]", issues: issues) }
    }

    func error(_ key: String?, _ message: String) {
        issues.add(.init(.error, key.map(join) ?? path, message))
    }

    func warning(_ key: String?, _ message: String) {
        issues.add(.init(.warning, key.map(join) ?? path, message))
    }

    func string(_ key: String) -> String? {
        guard let member = value[key], !member.isNull else { return nil }
        switch member {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .double(let number): return String(number)
        case .bool(let flag): return String(flag)
        default:
            error(key, "expected a string, found \(member.kindName)")
            return nil
        }
    }

    func int(_ key: String) -> Int? {
        guard let member = value[key], !member.isNull else { return nil }
        if let number = member.intValue { return number }
        error(key, "expected an integer, found \(member.kindName)\(member.stringValue.map { " '\($0)'" } ?? "")")
        return nil
    }

    func double(_ key: String) -> Double? {
        guard let member = value[key], !member.isNull else { return nil }
        if let number = member.doubleValue { return number }
        error(key, "expected a number, found \(member.kindName)\(member.stringValue.map { " '\($0)'" } ?? "")")
        return nil
    }

    func bool(_ key: String) -> Bool? {
        guard let member = value[key], !member.isNull else { return nil }
        if let flag = member.boolValue { return flag }
        error(key, "expected true or false, found \(member.kindName)")
        return nil
    }

    /// A list of strings; a single string is taken as a list of one.
    func strings(_ key: String) -> [String]? {
        guard let member = value[key], !member.isNull else { return nil }
        if let single = member.stringValue { return [single] }
        guard let items = member.arrayValue else {
            error(key, "expected a list of strings, found \(member.kindName)")
            return nil
        }
        var result: [String] = []
        for (index, item) in items.enumerated() {
            if let text = item.stringValue { result.append(text) } else { error("\(key)[\(index)]", "expected a string, found \(item.kindName)") }
        }
        return result
    }

    func object(_ key: String) -> [String: JSONValue]? {
        guard let member = value[key], !member.isNull else { return nil }
        guard let object = member.objectValue else {
            error(key, "expected a mapping, found \(member.kindName)")
            return nil
        }
        return object
    }

    func stringMap(_ key: String) -> [String: String]? {
        guard let object = object(key) else { return nil }
        var result: [String: String] = [:]
        for (name, item) in object {
            switch item {
            case .string(let text): result[name] = text
            case .int, .double, .bool: result[name] = item.canonicalScalar
            case .null: continue
            default: error("\(key).\(name)", "expected a string, found \(item.kindName)")
            }
        }
        return result
    }

    func intMap(_ key: String) -> [String: Int]? {
        guard let object = object(key) else { return nil }
        var result: [String: Int] = [:]
        for (name, item) in object {
            if let number = item.intValue { result[name] = number } else { error("\(key).\(name)", "expected an integer, found \(item.kindName)") }
        }
        return result
    }
}

/// Collects issues from every reader of one load.
final class IssueSink {
    private(set) var issues: [ConfigIssue] = []
    func add(_ issue: ConfigIssue) { issues.append(issue) }
}

extension JSONValue {
    var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a bool"
        case .int: return "an integer"
        case .double: return "a number"
        case .string: return "a string"
        case .array: return "a list"
        case .object: return "a mapping"
        }
    }

    var canonicalScalar: String {
        switch self {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .double(let number): return number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
        case .bool(let flag): return String(flag)
        default: return ""
        }
    }
}
