import Foundation
import Switchyard
import SwitchyardCore
import Yams

/// What loading a config produced: the config when it has no errors, and every issue.
public struct ConfigLoadResult: Sendable {
    public var config: GatewayConfig?
    public var issues: [ConfigIssue]

    public init(config: GatewayConfig?, issues: [ConfigIssue]) {
        self.config = config
        self.issues = issues
    }
}

/// Loads LiteLLM's `config.yaml` as it is: `model_list`, `router_settings`, `litellm_settings`,
/// `general_settings`, `environment_variables`, `include`, with `os.environ/NAME` resolved
/// anywhere. Pure: the environment and any file reading are passed in.
public enum ConfigLoader {
    /// - Parameters:
    ///   - yaml: the file's text.
    ///   - environment: the process environment.
    ///   - readFile: reads a file named by `include` (relative paths are the caller's business).
    public static func load(
        yaml: String, environment: [String: String], readFile: ((String) throws -> String)? = nil
    ) -> ConfigLoadResult {
        let sink = IssueSink()
        guard var root = parse(yaml, path: "", sink: sink) else { return ConfigLoadResult(config: nil, issues: sink.issues) }
        guard root.objectValue != nil else {
            sink.add(.init(.error, "", "the config must be a mapping with model_list, router_settings, …"))
            return ConfigLoadResult(config: nil, issues: sink.issues)
        }
        root = mergeIncludes(root, readFile: readFile, sink: sink)

        // environment_variables are exported first, so os.environ/ can see them.
        var env = environment
        if let variables = root["environment_variables"]?.objectValue {
            for (name, value) in variables.sorted(by: { $0.key < $1.key }) {
                let resolved = resolveReferences(value, path: "environment_variables.\(name)", environment: environment, sink: sink)
                if !resolved.isNull { env[name] = resolved.canonicalScalar }
            }
        }
        let resolved = resolveReferences(root, path: "", environment: env, sink: sink)
        let reader = ConfigReader(resolved, path: "", issues: sink)
        for key in reader.keys where !ConfigKeys.topLevel.contains(key) {
            if ConfigKeys.topLevelNotYet.contains(key) {
                reader.warning(key, "not implemented yet in Switchyard; ignored")
            } else {
                reader.warning(key, "unknown key; ignored")
            }
        }

        var router = RouterSettings()
        var server = ServerSettings()
        var defaultDropParams = false
        if let litellm = reader.child("litellm_settings") {
            applyLiteLLMSettings(litellm, to: &router, server: &server, dropParams: &defaultDropParams)
        }
        if let settings = reader.child("router_settings") {
            applyRouterSettings(settings, to: &router)
        }
        if let general = reader.child("general_settings") {
            applyGeneralSettings(general, to: &server, router: &router)
        }
        if server.masterKey == nil, let key = env["LITELLM_MASTER_KEY"] ?? env["SWITCHYARD_MASTER_KEY"], !key.isEmpty {
            server.masterKey = key
        }

        var deployments: [Deployment] = []
        if let list = reader.child("model_list") {
            if list.value.arrayValue == nil { list.error(nil, "expected a list of deployments, found \(list.value.kindName)") }
            for item in list.items {
                deployments.append(contentsOf: readDeployments(item, defaultDropParams: defaultDropParams))
            }
        }
        if deployments.isEmpty && !sink.issues.hasErrors {
            sink.add(.init(.error, "model_list", "no deployments: add at least one entry with model_name and litellm_params.model"))
        }
        validateReferences(router: router, deployments: deployments, sink: sink)
        let issues = sink.issues
        guard !issues.hasErrors else { return ConfigLoadResult(config: nil, issues: issues) }
        return ConfigLoadResult(config: GatewayConfig(modelList: deployments, router: router, server: server, environment: env), issues: issues)
    }

    // MARK: YAML

    static func parse(_ text: String, path: String, sink: IssueSink) -> JSONValue? {
        let loaded: Any?
        do {
            loaded = try Yams.load(yaml: text)
        } catch {
            sink.add(.init(.error, path, "not valid YAML: \(error)"))
            return nil
        }
        guard let loaded else {
            sink.add(.init(.error, path, "the config is empty"))
            return nil
        }
        return json(from: loaded)
    }

    static func json(from value: Any) -> JSONValue {
        switch value {
        case let flag as Bool: return .bool(flag)
        case let number as Int: return .int(number)
        case let number as Double: return .double(number)
        case let text as String: return .string(text)
        case let date as Date: return .string(yamlDate(date))
        case let list as [Any]: return .array(list.map(json(from:)))
        case let map as [String: Any]: return .object(map.mapValues(json(from:)))
        case let map as [AnyHashable: Any]:
            return .object(Dictionary(map.map { ("\($0.key)", json(from: $0.value)) }, uniquingKeysWith: { first, _ in first }))
        default:
            if "\(type(of: value))".contains("Null") { return .null }
            return .string("\(value)")
        }
    }

    /// An unquoted YAML timestamp (`api_version: 2024-02-01`) as the text it was written as:
    /// the date alone at midnight UTC, else ISO 8601.
    static func yamlDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond], from: date)
        func pad(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let day = "\(pad(parts.year, 4))-\(pad(parts.month, 2))-\(pad(parts.day, 2))"
        if parts.hour == 0 && parts.minute == 0 && parts.second == 0 && (parts.nanosecond ?? 0) == 0 { return day }
        return "\(day)T\(pad(parts.hour, 2)):\(pad(parts.minute, 2)):\(pad(parts.second, 2))Z"
    }

    /// `include: [a.yaml, b.yaml]`: model lists appended, other blocks merged (the main file wins).
    static func mergeIncludes(_ root: JSONValue, readFile: ((String) throws -> String)?, sink: IssueSink) -> JSONValue {
        guard var members = root.objectValue, let include = members["include"] else { return root }
        let files = include.arrayValue?.compactMap(\.stringValue) ?? include.stringValue.map { [$0] } ?? []
        for (index, file) in files.enumerated() {
            let path = "include[\(index)]"
            guard let readFile else {
                sink.add(.init(.error, path, "cannot read included file '\(file)' here"))
                continue
            }
            let text: String
            do {
                text = try readFile(file)
            } catch {
                sink.add(.init(.error, path, "cannot read '\(file)': \(error)"))
                continue
            }
            guard let included = parse(text, path: path, sink: sink)?.objectValue else { continue }
            for (key, value) in included {
                switch (members[key], value) {
                case (.array(let mine)?, .array(let theirs)) where key == "model_list":
                    members[key] = .array(mine + theirs)
                case (.object(let mine)?, .object(let theirs)):
                    members[key] = .object(theirs.merging(mine) { _, main in main })
                case (nil, _):
                    members[key] = value
                default:
                    break
                }
            }
        }
        return .object(members)
    }

    /// Replaces every `os.environ/NAME` string with the variable's value (a warning and null when unset).
    static func resolveReferences(_ value: JSONValue, path: String, environment: [String: String], sink: IssueSink) -> JSONValue {
        switch value {
        case .string(let text) where text.hasPrefix("os.environ/"):
            let name = String(text.dropFirst("os.environ/".count))
            if let resolved = environment[name] { return .string(resolved) }
            sink.add(.init(.warning, path, "environment variable \(name) is not set"))
            return .null
        case .array(let items):
            return .array(items.enumerated().map { resolveReferences($1, path: "\(path)[\($0)]", environment: environment, sink: sink) })
        case .object(let members):
            var result: [String: JSONValue] = [:]
            for (key, member) in members {
                result[key] = resolveReferences(member, path: path.isEmpty ? key : "\(path).\(key)", environment: environment, sink: sink)
            }
            return .object(result)
        default:
            return value
        }
    }
}
