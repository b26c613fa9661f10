import SwitchyardCore
import SwitchyardProviders

/// A deployment ready to call: its config, its id, and its resolved provider.
final class RoutedDeployment: Sendable {
    let deployment: Deployment
    let id: String
    let provider: ResolvedProvider
    /// How chat bodies go to this deployment as they came, when its adapter forwards them.
    let rawForwarding: Forwarding?
    /// The API base without its query string (which may carry a key), as answers report it.
    let reportedAPIBase: String

    init(_ deployment: Deployment, environment: [String: String]) {
        self.deployment = deployment
        self.id = deployment.id
        let provider = ProviderResolver.resolve(deployment.params.endpoint, environment: environment)
        self.provider = provider
        self.rawForwarding = (provider.adapter as? any RawChatForwarding).map {
            Forwarding(adapter: $0, envelope: $0.rawChatEnvelope(target: provider.target))
        }
        let apiBase = provider.target.apiBase
        self.reportedAPIBase = apiBase.firstIndex(of: "?").map { String(apiBase[..<$0]) } ?? apiBase
    }

    /// A forwarding adapter (cast once, not per request) and the URL and header fields of every
    /// chat request forwarded to this deployment (made once, not per request).
    struct Forwarding: Sendable {
        let adapter: any RawChatForwarding
        let envelope: UpstreamRequest
    }

    var group: String { deployment.modelName }
    var apiBase: String { provider.target.apiBase }
}

/// A model name resolved to the deployments that can serve it.
struct ResolvedGroup: Sendable {
    /// The group name reported back (after alias resolution; the requested name for wildcards).
    let name: String
    let members: [RoutedDeployment]
}

/// The router's deployments, indexed for LiteLLM's resolution order: deployment id, alias,
/// group name, `litellm_params.model`, wildcard groups (`openai/*`, `*`). A class: every
/// request's planner reads it, and as a struct each read copied (retained) all its fields.
final class ModelTable: Sendable {
    let deployments: [RoutedDeployment]
    /// Each lookup's members, built once: resolving a name hands out a shared array.
    private let groups: [String: [RoutedDeployment]]
    private let byID: [String: Int]
    private let byParamModel: [String: [RoutedDeployment]]
    private let wildcards: [(pattern: String, indices: [Int])]
    let aliases: [String: String]
    let environment: [String: String]
    /// Group names in first-seen order (for listing models).
    let groupNames: [String]

    init(_ list: [Deployment], aliases: [String: String], environment: [String: String]) {
        deployments = list.map { RoutedDeployment($0, environment: environment) }
        var groups: [String: [Int]] = [:]
        var byID: [String: Int] = [:]
        var byParamModel: [String: [Int]] = [:]
        var wildcardIndex: [String: [Int]] = [:]
        var names: [String] = []
        for (index, routed) in deployments.enumerated() {
            let name = routed.group
            if groups[name] == nil { names.append(name) }
            groups[name, default: []].append(index)
            if byID[routed.id] == nil { byID[routed.id] = index }
            byParamModel[routed.deployment.params.model, default: []].append(index)
            if name.contains("*") { wildcardIndex[name, default: []].append(index) }
        }
        let all = deployments
        self.groups = groups.mapValues { $0.map { all[$0] } }
        self.byID = byID
        self.byParamModel = byParamModel.mapValues { $0.map { all[$0] } }
        // More specific patterns (longer literal part) first; the catch-all `*` last.
        self.wildcards = wildcardIndex.map { ($0.key, $0.value) }.sorted { $0.pattern.count > $1.pattern.count }
        self.aliases = aliases
        self.environment = environment
        self.groupNames = names
    }

    /// Resolves what a client sent as `model`.
    func resolve(_ model: String) -> ResolvedGroup? {
        let group = groups[model]
        if group == nil, let index = byID[model] {
            return ResolvedGroup(name: deployments[index].group, members: [deployments[index]])
        }
        let name = aliases[model] ?? model
        if let members = name == model ? group : groups[name], !name.utf8.contains(UInt8(ascii: "*")) {
            return ResolvedGroup(name: name, members: members)
        }
        if let members = byParamModel[name], let first = members.first { return ResolvedGroup(name: first.group, members: members) }
        for (pattern, indices) in wildcards {
            guard let captured = Self.match(pattern: pattern, name) else { continue }
            let derived = indices.map { index -> RoutedDeployment in
                var deployment = deployments[index].deployment
                deployment.params.model = Self.substitute(deployment.params.model, captured: captured, requested: name)
                deployment.modelName = name
                return RoutedDeployment(deployment, environment: environment)
            }
            return ResolvedGroup(name: name, members: derived)
        }
        return nil
    }

    /// The text `*` stands for when `pattern` matches `name` (one `*` per pattern), else nil.
    static func match(pattern: String, _ name: String) -> String? {
        guard let star = pattern.firstIndex(of: "*") else { return pattern == name ? "" : nil }
        let prefix = pattern[..<star]
        let suffix = pattern[pattern.index(after: star)...]
        guard name.count >= prefix.count + suffix.count, name.hasPrefix(prefix), name.hasSuffix(suffix) else { return nil }
        return String(name.dropFirst(prefix.count).dropLast(suffix.count))
    }

    /// `openai/*` with `gpt-4o` → `openai/gpt-4o`; a deployment model without `*` (a catch-all
    /// group pointing at one provider) takes the requested name as its model.
    static func substitute(_ model: String, captured: String, requested: String) -> String {
        if model.contains("*") { return model.replacingFirst("*", with: captured) }
        if model.hasSuffix("/") { return model + requested }
        return model
    }
}

extension String {
    func replacingFirst(_ target: Character, with replacement: String) -> String {
        guard let position = firstIndex(of: target) else { return self }
        return String(self[..<position]) + replacement + String(self[index(after: position)...])
    }
}
