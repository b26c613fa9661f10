import Switchyard

/// A loaded `config.yaml`: the deployments, the router's settings, the server's settings, and
/// the environment the values were resolved against.
public struct GatewayConfig: Sendable {
    public var modelList: [Deployment]
    public var router: RouterSettings
    public var server: ServerSettings
    /// The process environment plus `environment_variables`, as used for `os.environ/` and
    /// for the providers' default keys.
    public var environment: [String: String]

    public init(modelList: [Deployment], router: RouterSettings = .init(), server: ServerSettings = .init(), environment: [String: String] = [:]) {
        self.modelList = modelList
        self.router = router
        self.server = server
        self.environment = environment
    }

    /// The router this config describes.
    public func makeRouter() throws -> Router {
        try Router(modelList: modelList, settings: router, environment: environment)
    }
}

/// The proxy's own settings (LiteLLM's `general_settings` and a few `litellm_settings`).
public struct ServerSettings: Sendable, Hashable {
    /// The admin key callers must present; nil leaves the gateway open.
    public var masterKey: String?
    /// Largest request body accepted (`max_request_size_mb`).
    public var maxRequestBytes: Int = 32 << 20
    /// One JSON object per log line (`litellm_settings.json_logs`).
    public var jsonLogs: Bool = false
    /// Seconds a `/health` probe of one deployment may take.
    public var healthCheckTimeout: Double = 30

    public init(masterKey: String? = nil) {
        self.masterKey = masterKey
    }
}
