import Switchyard
import SwitchyardConfig

/// `GET /health`: calls every deployment once (a one-token chat, or an embedding for
/// `mode: embedding`) and reports which answered. `?model=` limits it to one group.
enum HealthEndpoint {
    struct Endpoint: Encodable, Sendable {
        let model: String
        let modelName: String
        let modelID: String
        let apiBase: String?
        let error: String?
        enum CodingKeys: String, CodingKey {
            case model, error
            case modelName = "model_name"
            case modelID = "model_id"
            case apiBase = "api_base"
        }
    }

    struct Report: Encodable {
        let healthyEndpoints: [Endpoint]
        let unhealthyEndpoints: [Endpoint]
        let healthyCount: Int
        let unhealthyCount: Int
        enum CodingKeys: String, CodingKey {
            case healthyEndpoints = "healthy_endpoints"
            case unhealthyEndpoints = "unhealthy_endpoints"
            case healthyCount = "healthy_count"
            case unhealthyCount = "unhealthy_count"
        }
    }

    @inline(never)  // its own frame, not part of `Gateway.dispatch`'s
    static func probe(router: Router, config: GatewayConfig, group: String?) async -> GatewayResponse {
        let targets = router.deployments.filter { entry in
            !entry.deployment.modelName.contains("*") && (group == nil || entry.deployment.modelName == group)
        }
        let timeout = config.server.healthCheckTimeout
        let results = await withTaskGroup(of: (Int, Endpoint).self) { group in
            for (index, entry) in targets.enumerated() {
                group.addTask {
                    let error = await check(entry.id, deployment: entry.deployment, router: router, timeout: timeout)
                    return (index, Endpoint(
                        model: entry.deployment.params.model, modelName: entry.deployment.modelName, modelID: entry.id,
                        apiBase: entry.deployment.params.apiBase, error: error))
                }
            }
            var collected: [(Int, Endpoint)] = []
            for await result in group { collected.append(result) }
            return collected.sorted { $0.0 < $1.0 }.map(\.1)
        }
        let healthy = results.filter { $0.error == nil }
        let unhealthy = results.filter { $0.error != nil }
        return .json(200, encoding: Report(healthyEndpoints: healthy, unhealthyEndpoints: unhealthy, healthyCount: healthy.count, unhealthyCount: unhealthy.count))
    }

    /// nil when the deployment answered; else why not.
    static func check(_ id: String, deployment: Deployment, router: Router, timeout: Double) async -> String? {
        var options = RequestOptions(numRetries: 0, timeout: timeout, disableFallbacks: true)
        options.totalTimeout = timeout
        do {
            if deployment.modelInfo.mode == "embedding" {
                _ = try await router.embedding(EmbeddingRequest(model: id, input: .text("test from switchyard")), options: options)
            } else {
                var request = ChatRequest(model: id, messages: [.user("test from switchyard")])
                request.maxTokens = 1
                _ = try await router.completion(request, options: options)
            }
            return nil
        } catch let error as GatewayError {
            return error.failure?.message ?? error.message
        } catch {
            return "\(error)"
        }
    }
}
