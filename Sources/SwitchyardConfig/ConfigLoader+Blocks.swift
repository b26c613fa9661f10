import Switchyard
import SwitchyardCore

extension ConfigLoader {
    /// One `model_list` entry. A list of organizations expands into one deployment per
    /// organization, as LiteLLM does.
    static func readDeployments(_ entry: ConfigReader, defaultDropParams: Bool) -> [Deployment] {
        guard let deployment = readDeployment(entry, defaultDropParams: defaultDropParams) else { return [] }
        guard let organizations = entry.child("litellm_params")?.value["organization"]?.arrayValue else { return [deployment] }
        return organizations.enumerated().compactMap { index, organization in
            guard let name = organization.stringValue else {
                entry.error("litellm_params.organization[\(index)]", "expected a string, found \(organization.kindName)")
                return nil
            }
            var copy = deployment
            copy.params.organization = name
            if let id = copy.modelInfo.id { copy.modelInfo.id = "\(id)-\(index)" }
            return copy
        }
    }

    static func readDeployment(_ entry: ConfigReader, defaultDropParams: Bool) -> Deployment? {
        guard entry.value.objectValue != nil else {
            entry.error(nil, "expected a deployment mapping, found \(entry.value.kindName)")
            return nil
        }
        for key in entry.keys where !ConfigKeys.deploymentEntry.contains(key) { entry.warning(key, "unknown key; ignored") }
        let name = entry.string("model_name")
        if name == nil || name?.isEmpty == true { entry.error("model_name", "missing") }
        guard let params = entry.child("litellm_params") else {
            entry.error("litellm_params", "missing")
            return nil
        }
        guard params.value.objectValue != nil else {
            params.error(nil, "expected a mapping, found \(params.value.kindName)")
            return nil
        }
        let model = params.string("model")
        if model == nil || model?.isEmpty == true { params.error("model", "missing") }

        var extra: [String: JSONValue] = [:]
        for key in params.keys where !ConfigKeys.litellmParams.contains(key) { extra[key] = params.value[key] }
        var headers = params.stringMap("extra_headers") ?? [:]
        headers.merge(params.stringMap("headers") ?? [:]) { first, _ in first }
        var mockResponse: String?
        if let mock = params.value["mock_response"] {
            if let text = mock.stringValue { mockResponse = text } else { extra["mock_response"] = mock }
        }
        let deploymentParams = Deployment.Params(
            model: model ?? "", apiKey: params.string("api_key"), apiBase: params.string("api_base") ?? params.string("base_url"),
            apiVersion: params.string("api_version"),
            organization: params.value["organization"]?.arrayValue == nil ? params.string("organization") : nil,
            customLLMProvider: params.string("custom_llm_provider"), rpm: params.int("rpm") ?? entry.int("rpm"),
            tpm: params.int("tpm") ?? entry.int("tpm"),
            weight: params.double("weight"), order: params.int("order"),
            timeout: params.double("timeout") ?? params.double("request_timeout"), streamTimeout: params.double("stream_timeout"),
            maxParallelRequests: params.int("max_parallel_requests"), numRetries: params.int("num_retries"),
            cooldownTime: params.double("cooldown_time"), tags: params.strings("tags"), headers: headers.isEmpty ? nil : headers,
            dropParams: params.bool("drop_params") ?? (defaultDropParams ? true : nil), mockResponse: mockResponse, extra: extra)
        if let weight = deploymentParams.weight {
            if !weight.isFinite { params.error("weight", "must be a finite number") } else if weight < 0 { params.error("weight", "must not be negative") }
        }
        if let order = deploymentParams.order, order < 0 { params.error("order", "must not be negative") }

        var info = Deployment.ModelInfo()
        if let modelInfo = entry.child("model_info") {
            if modelInfo.value.objectValue == nil {
                modelInfo.error(nil, "expected a mapping, found \(modelInfo.value.kindName)")
            } else {
                let known: Set<String> = ["id", "base_model", "mode", "max_input_tokens", "max_output_tokens", "allowed_fails", "cooldown_time"]
                info = Deployment.ModelInfo(
                    id: modelInfo.string("id"), baseModel: modelInfo.string("base_model"), mode: modelInfo.string("mode"),
                    maxInputTokens: modelInfo.int("max_input_tokens"), maxOutputTokens: modelInfo.int("max_output_tokens"),
                    allowedFails: modelInfo.int("allowed_fails"), cooldownTime: modelInfo.double("cooldown_time"),
                    extra: (modelInfo.value.objectValue ?? [:]).filter { !known.contains($0.key) })
            }
        }
        guard let name, !name.isEmpty, let model, !model.isEmpty else { return nil }
        return Deployment(modelName: name, params: deploymentParams, modelInfo: info)
    }

    static func applyLiteLLMSettings(_ block: ConfigReader, to router: inout RouterSettings, server: inout ServerSettings, dropParams: inout Bool) {
        guard block.value.objectValue != nil else { return block.error(nil, "expected a mapping, found \(block.value.kindName)") }
        warnUnknown(block, implemented: ConfigKeys.litellm, notYet: ConfigKeys.litellmNotYet)
        if let value = block.int("num_retries") { router.numRetries = value }
        if let value = block.double("request_timeout") { router.timeout = value }
        if let value = fallbackMap(block, "fallbacks") { router.fallbacks = value }
        if let value = fallbackMap(block, "context_window_fallbacks") { router.contextWindowFallbacks = value }
        if let value = fallbackMap(block, "content_policy_fallbacks") { router.contentPolicyFallbacks = value }
        if let value = block.strings("default_fallbacks") { router.defaultFallbacks = value }
        if let value = block.int("allowed_fails") { router.allowedFails = value }
        if let value = block.int("max_fallbacks") { router.maxFallbacks = value }
        if let value = block.bool("drop_params") { dropParams = value }
        if let value = block.bool("json_logs") { server.jsonLogs = value }
    }

    static func applyRouterSettings(_ block: ConfigReader, to router: inout RouterSettings) {
        guard block.value.objectValue != nil else { return block.error(nil, "expected a mapping, found \(block.value.kindName)") }
        warnUnknown(block, implemented: ConfigKeys.router, notYet: ConfigKeys.routerNotYet)
        if let name = block.string("routing_strategy") {
            if let strategy = RoutingStrategy(rawValue: name) {
                router.routingStrategy = strategy
            } else if ["usage-based-routing", "usage-based-routing-v2", "cost-based-routing", "lar1"].contains(name) {
                block.warning("routing_strategy", "'\(name)' is not implemented yet; using simple-shuffle")
            } else {
                block.error("routing_strategy", "unknown strategy '\(name)'; use one of \(RoutingStrategy.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        if let value = block.int("num_retries") {
            if value < 0 { block.error("num_retries", "must not be negative") } else { router.numRetries = value }
        }
        if let value = block.double("retry_after") { router.retryAfter = value }
        if let value = policy(block, "retry_policy", known: ConfigKeys.retryPolicyKeys) { router.retryPolicy = value }
        if let groups = block.child("model_group_retry_policy") {
            var result: [String: [String: Int]] = [:]
            for group in groups.keys { if let value = policy(groups, group, known: ConfigKeys.retryPolicyKeys) { result[group] = value } }
            router.modelGroupRetryPolicy = result
        }
        if let value = fallbackMap(block, "fallbacks") { router.fallbacks = value }
        if let value = fallbackMap(block, "context_window_fallbacks") { router.contextWindowFallbacks = value }
        if let value = fallbackMap(block, "content_policy_fallbacks") { router.contentPolicyFallbacks = value }
        if let value = block.strings("default_fallbacks") { router.defaultFallbacks = value }
        if let value = block.int("max_fallbacks") { router.maxFallbacks = value }
        if let value = block.double("timeout") ?? block.double("request_timeout") { router.timeout = value }
        if let value = block.double("stream_timeout") { router.streamTimeout = value }
        if let value = block.int("allowed_fails") { router.allowedFails = value }
        if let value = policy(block, "allowed_fails_policy", known: ConfigKeys.allowedFailsPolicyKeys) { router.allowedFailsPolicy = value }
        if let value = block.double("cooldown_time") { router.cooldownTime = value }
        if let value = block.bool("disable_cooldowns") { router.disableCooldowns = value }
        if let aliases = block.child("model_group_alias") {
            var result: [String: String] = [:]
            for alias in aliases.keys {
                switch aliases.value[alias] {
                case .string(let target)?: result[alias] = target
                case .object(let target)?:
                    if let model = target["model"]?.stringValue { result[alias] = model } else { aliases.error(alias, "expected a group name or {model: …}") }
                default: aliases.error(alias, "expected a group name or {model: …}")
                }
            }
            router.modelGroupAlias = result
        }
    }

    static func applyGeneralSettings(_ block: ConfigReader, to server: inout ServerSettings, router: inout RouterSettings) {
        guard block.value.objectValue != nil else { return block.error(nil, "expected a mapping, found \(block.value.kindName)") }
        warnUnknown(block, implemented: ConfigKeys.general, notYet: ConfigKeys.generalNotYet)
        if let key = block.string("master_key"), !key.isEmpty {
            server.masterKey = key
            if !key.hasPrefix("sk-") { block.warning("master_key", "LiteLLM requires master keys to start with 'sk-'; Switchyard accepts it as it is") }
        }
        if let megabytes = block.double("max_request_size_mb") {
            if megabytes <= 0 { block.error("max_request_size_mb", "must be positive") } else { server.maxRequestBytes = Int(min(megabytes, 1_000_000) * 1_048_576) }
        }
        if let megabytes = block.double("max_response_size_mb") {
            if megabytes <= 0 { block.error("max_response_size_mb", "must be positive") } else { router.maxResponseBytes = Int(min(megabytes, 1_000_000) * 1_048_576) }
        }
        if let seconds = block.double("health_check_timeout") { server.healthCheckTimeout = seconds }
    }

    static func warnUnknown(_ block: ConfigReader, implemented: Set<String>, notYet: Set<String>) {
        for key in block.keys where !implemented.contains(key) {
            block.warning(key, notYet.contains(key) ? "not implemented yet in Switchyard; ignored" : "unknown key; ignored")
        }
    }

    /// LiteLLM's fallback lists: `[{"group": ["a", "b"]}, …]` (a single mapping is accepted too);
    /// targets may be names or `{model: name, …}`.
    static func fallbackMap(_ block: ConfigReader, _ key: String) -> [String: [String]]? {
        guard let value = block.value[key], !value.isNull else { return nil }
        let entries: [(path: String, members: [String: JSONValue])]
        switch value {
        case .array(let items):
            var list: [(String, [String: JSONValue])] = []
            for (index, item) in items.enumerated() {
                guard let members = item.objectValue else {
                    block.error("\(key)[\(index)]", "expected a mapping like {group: [fallback, …]}, found \(item.kindName)")
                    continue
                }
                list.append(("\(key)[\(index)]", members))
            }
            entries = list
        case .object(let members):
            entries = [(key, members)]
        default:
            block.error(key, "expected a list like [{group: [fallback, …]}], found \(value.kindName)")
            return nil
        }
        var result: [String: [String]] = [:]
        for (path, members) in entries {
            for (group, targets) in members {
                let names = (targets.arrayValue ?? (targets.stringValue.map { [.string($0)] } ?? [])).compactMap { $0.stringValue ?? $0["model"]?.stringValue }
                if names.isEmpty && !(targets.arrayValue?.isEmpty ?? false) {
                    block.error("\(path.dropFirst(key.count).isEmpty ? key : path).\(group)", "expected a list of group names")
                    continue
                }
                result[group, default: []].append(contentsOf: names)
            }
        }
        return result
    }

    static func policy(_ block: ConfigReader, _ key: String, known: Set<String>) -> [String: Int]? {
        guard let values = block.intMap(key) else { return nil }
        for name in values.keys where !known.contains(name) {
            block.warning("\(key).\(name)", "unknown policy entry; expected one of \(known.sorted().joined(separator: ", "))")
        }
        return values
    }

    /// Fallbacks and aliases that name groups no deployment serves are warnings: the request
    /// that needs them will say so.
    static func validateReferences(router: RouterSettings, deployments: [Deployment], sink: IssueSink) {
        let groups = Set(deployments.map(\.modelName))
        func known(_ name: String) -> Bool {
            groups.contains(name) || groups.contains { $0.contains("*") && wildcardMatches($0, name) }
        }
        for (label, map) in [("fallbacks", router.fallbacks), ("context_window_fallbacks", router.contextWindowFallbacks), ("content_policy_fallbacks", router.contentPolicyFallbacks)] {
            for (group, targets) in map.sorted(by: { $0.key < $1.key }) {
                for target in targets where !known(target) {
                    sink.add(.init(.warning, "router_settings.\(label).\(group)", "fallback '\(target)' is not a model_name in model_list"))
                }
            }
        }
        for target in router.defaultFallbacks where !known(target) {
            sink.add(.init(.warning, "router_settings.default_fallbacks", "'\(target)' is not a model_name in model_list"))
        }
        for (alias, target) in router.modelGroupAlias.sorted(by: { $0.key < $1.key }) where !known(target) {
            sink.add(.init(.warning, "router_settings.model_group_alias.\(alias)", "'\(target)' is not a model_name in model_list"))
        }
    }

    static func wildcardMatches(_ pattern: String, _ name: String) -> Bool {
        guard let star = pattern.firstIndex(of: "*") else { return pattern == name }
        return name.hasPrefix(pattern[..<star]) && name.hasSuffix(pattern[pattern.index(after: star)...])
    }
}
