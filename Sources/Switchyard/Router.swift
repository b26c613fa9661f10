import Foundation
import Logging
import SwitchyardCore
import SwitchyardProviders

/// Answers chat and embedding requests from whichever deployment of a model group can serve
/// them: weighted load balancing, retries, cooldowns, timeouts and fallbacks, with LiteLLM's
/// semantics. The same type serves the library and the proxy.
///
/// ```swift
/// let router = try Router(
///     modelList: [.init(modelName: "gpt-4o", params: .init(model: "gpt-4o", apiKey: key))],
///     fallbacks: ["gpt-4o": ["claude-3"]], numRetries: 1)
/// let response = try await router.completion(model: "gpt-4o", messages: [.user("Hello")])
/// ```
public final class Router: Sendable {
    public let settings: RouterSettings
    /// Problems that will fail every request to a deployment (missing key, unsupported
    /// provider), one line each: the deployments still load so fallbacks can route around them.
    public let warnings: [String]
    let table: ModelTable
    /// The table and settings as every request's planner holds them.
    let planning: AttemptPlanner.Configuration
    let transport: any Transport
    let health = DeploymentHealth()
    let clock: any RouterClock
    let logger: Logger
    /// Enforces the stream timeout of every open stream with one timer.
    let stallWatch: StallWatch
    /// Service-account access tokens (Vertex AI), cached until shortly before they expire.
    let googleTokens: GoogleAccessTokens

    /// A router over `modelList` with LiteLLM's defaults, `fallbacks` and `numRetries`.
    public convenience init(
        modelList: [Deployment], fallbacks: [String: [String]] = [:], numRetries: Int = 2,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        var settings = RouterSettings()
        settings.fallbacks = fallbacks
        settings.numRetries = numRetries
        try self.init(modelList: modelList, settings: settings, environment: environment)
    }

    /// A router with every setting explicit.
    /// - Parameters:
    ///   - transport: carries requests to providers; defaults to `PooledHTTPTransport.shared` (keep-alive pools on NIO).
    ///     `mock://` deployments are always answered in process.
    ///   - environment: where `OPENAI_API_KEY` and the like are read from.
    /// - Throws: `GatewayError` (`.configuration`) for a model list that cannot work: an empty
    ///   list, a deployment without a model name or model, a negative or non-finite weight, a
    ///   negative retry count.
    public init(
        modelList: [Deployment], settings: RouterSettings, transport: (any Transport)? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        clock: any RouterClock = SystemRouterClock(), logger: Logger = Logger(label: "switchyard.router")
    ) throws {
        try Self.validate(modelList, settings: settings)
        self.settings = settings
        self.clock = clock
        self.stallWatch = StallWatch(clock: clock)
        self.googleTokens = GoogleAccessTokens(clock: clock)
        self.logger = logger
        self.table = ModelTable(modelList, aliases: settings.modelGroupAlias, environment: environment)
        self.planning = AttemptPlanner.Configuration(table: table, settings: settings)
        self.transport = SchemeRoutingTransport(
            network: transport ?? PooledHTTPTransport.shared,
            mock: InProcessMockTransport(responder: MockResponder(), clock: clock))
        self.warnings = table.deployments.compactMap { routed in
            routed.provider.problem.map { "model_list '\(routed.group)' (\(routed.deployment.params.model)): \($0.message)" }
        }
    }

    /// The model groups, in the order the model list first names them.
    public var modelGroups: [String] { table.groupNames }

    /// Every deployment with its id.
    public var deployments: [(id: String, deployment: Deployment)] { table.deployments.map { ($0.id, $0.deployment) } }

    /// Whether `model` names something this router can route (group, alias, id or wildcard).
    public func canRoute(_ model: String) -> Bool { table.resolve(model) != nil }

    /// Deployments cooling down now, with seconds left.
    public func cooldowns() -> [String: Double] { health.cooldowns(now: clock.now()) }

    static func validate(_ list: [Deployment], settings: RouterSettings) throws {
        guard !list.isEmpty else { throw GatewayError(.configuration, "The model list is empty: give the router at least one deployment.") }
        for (index, deployment) in list.enumerated() {
            if deployment.modelName.isEmpty {
                throw GatewayError(.configuration, "model_list[\(index)].model_name: missing")
            }
            if deployment.params.model.isEmpty {
                throw GatewayError(.configuration, "model_list[\(index)].litellm_params.model: missing")
            }
            if let weight = deployment.params.weight {
                // A weight of infinity or NaN would break the weighted draw (a random number in 0..<∞ traps).
                guard weight.isFinite else {
                    throw GatewayError(.configuration, "model_list[\(index)].litellm_params.weight: must be a finite number")
                }
                if weight < 0 {
                    throw GatewayError(.configuration, "model_list[\(index)].litellm_params.weight: must not be negative")
                }
            }
        }
        if settings.numRetries < 0 { throw GatewayError(.configuration, "router_settings.num_retries: must not be negative") }
        if settings.maxFallbacks < 0 { throw GatewayError(.configuration, "router_settings.max_fallbacks: must not be negative") }
    }
}

extension Router {
    /// The transport for a deployment: the shared one, behind a token step for deployments
    /// that authenticate with a service account.
    func transport(for deployment: RoutedDeployment) -> any Transport {
        switch deployment.provider.auth {
        case .googleServiceAccount(let credentials)?:
            return GoogleAuthTransport(base: transport, credentials: credentials, tokens: googleTokens)
        case nil:
            return transport
        }
    }
}
