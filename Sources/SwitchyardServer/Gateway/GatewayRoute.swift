/// The endpoints the gateway serves, matched from a path.
enum GatewayRoute: Equatable {
    case liveness
    case readiness
    case health
    case models
    case model(String)
    /// The model from an Azure-style path (`/openai/deployments/{model}/…`), when there is one.
    case chat(pathModel: String?)
    case embeddings(pathModel: String?)
    /// Anthropic's Messages API (`/v1/messages`) and its token count.
    case messages
    case countTokens

    var methods: [String] {
        switch self {
        case .liveness, .readiness, .health, .models, .model: return ["GET"]
        case .chat, .embeddings, .messages, .countTokens: return ["POST"]
        }
    }

    /// Whose error shape the route's callers expect.
    var dialect: ErrorDialect {
        switch self {
        case .messages, .countTokens: return .anthropic
        default: return .openAI
        }
    }

    /// Liveness and readiness answer without a key (load balancers probe them).
    var requiresAuth: Bool {
        switch self {
        case .liveness, .readiness: return false
        default: return true
        }
    }

    static func match(_ path: String) -> GatewayRoute? {
        switch path {
        case "/health/liveliness", "/health/liveness": return .liveness
        case "/health/readiness": return .readiness
        case "/health": return .health
        case "/v1/models", "/models": return .models
        case "/v1/chat/completions", "/chat/completions": return .chat(pathModel: nil)
        case "/v1/embeddings", "/embeddings": return .embeddings(pathModel: nil)
        case "/v1/messages", "/messages", "/anthropic/v1/messages": return .messages
        case "/v1/messages/count_tokens", "/messages/count_tokens", "/anthropic/v1/messages/count_tokens": return .countTokens
        default: break
        }
        for prefix in ["/v1/models/", "/models/"] where path.hasPrefix(prefix) && path.count > prefix.count {
            return .model(String(path.dropFirst(prefix.count)).removingPercentEncodingLoosely)
        }
        // Azure-style `/openai/deployments/{name}/…` and legacy `/engines/{name}/…`.
        for prefix in ["/openai/deployments/", "/engines/", "/v1/engines/"] where path.hasPrefix(prefix) {
            let rest = path.dropFirst(prefix.count)
            if rest.hasSuffix("/chat/completions") {
                let name = rest.dropLast("/chat/completions".count)
                if !name.isEmpty { return .chat(pathModel: String(name).removingPercentEncodingLoosely) }
            }
            if rest.hasSuffix("/embeddings") {
                let name = rest.dropLast("/embeddings".count)
                if !name.isEmpty { return .embeddings(pathModel: String(name).removingPercentEncodingLoosely) }
            }
        }
        return nil
    }
}
