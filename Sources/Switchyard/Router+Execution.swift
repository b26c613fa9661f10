import Logging
import SwitchyardCore
import SwitchyardProviders

/// One successful attempt's value and what the router learns from it.
struct AttemptResult<Value: Sendable>: Sendable {
    var value: Value
    var upstreamHeaders: HeaderFields
    var usage: Usage?
    var timeToFirstToken: Double?
}

extension Router {
    /// Runs the planner's decisions until an attempt succeeds or the planner gives up.
    func route<Value: Sendable>(
        model: String, options: RequestOptions, streaming: Bool,
        call: (PlannedAttempt) async throws -> AttemptResult<Value>
    ) async throws -> RoutedResponse<Value> {
        let start = clock.now()
        var planner = AttemptPlanner(model: model, configuration: planning, options: options, streaming: streaming, startedAt: start)
        var random = SystemRandomNumberGenerator()
        while true {
            try Task.checkCancellation()
            switch planner.next(now: clock.now(), health: health, random: &random) {
            case .fail(let error):
                logger.debug("request failed", metadata: ["model": "\(model)", "error": "\(error.kind.rawValue)", "attempts": "\(planner.attempts.count)"])
                throw error
            case .wait(let seconds):
                try await clock.sleep(seconds)
            case .send(let attempt):
                let deployment = attempt.deployment
                let begun = clock.now()
                health.begin(deployment.id)
                do {
                    if let problem = deployment.provider.problem { throw problem }
                    let result = try await call(attempt)
                    let now = clock.now()
                    health.recordSuccess(
                        deployment.id, now: now, seconds: now - begun, completionTokens: result.usage?.completionTokens,
                        timeToFirstToken: result.timeToFirstToken, ending: true)
                    planner.recordSuccess(deployment: deployment, duration: now - begun)
                    let metadata = RoutingMetadata(
                        requestedModel: model, modelGroup: attempt.group, deploymentID: deployment.id,
                        deploymentModel: deployment.deployment.params.model, provider: deployment.provider.target.provider,
                        apiBase: deployment.reportedAPIBase, attempts: planner.attempts,
                        retries: planner.retriesInCurrentGroup, fallbacks: planner.fallbackDepth, latency: now - start,
                        usage: result.usage, upstreamHeaders: result.upstreamHeaders)
                    return RoutedResponse(value: result.value, metadata: metadata)
                } catch {
                    health.end(deployment.id)
                    if Task.isCancelled { throw CancellationError() }
                    let failure = Self.failure(from: error, deployment: deployment)
                    let now = clock.now()
                    let cooldown = health.recordFailure(
                        failure, deployment: deployment, groupSize: table.resolve(attempt.group)?.members.count ?? 1,
                        hasFallbacks: hasFallbacks(attempt.group), callerSetTimeout: attempt.timeoutFromCaller && failure.kind == .timeout,
                        settings: settings, now: now)
                    logger.debug(
                        "attempt failed",
                        metadata: [
                            "model_group": "\(attempt.group)", "deployment": "\(deployment.id)",
                            "failure": "\(failure.kind.rawValue)", "status": "\(failure.status ?? 0)",
                            "cooldown_s": "\(cooldown ?? 0)",
                        ])
                    planner.recordFailure(failure, deployment: deployment, duration: now - begun, now: now, health: health, random: &random)
                }
            }
        }
    }

    /// A stream that broke after its first chunk went to the caller: too late to fail over,
    /// but the deployment's failure counts toward its cooldown like any other.
    func recordBreak(_ failure: UpstreamFailure, deployment: RoutedDeployment, group: String) {
        health.recordFailure(
            failure, deployment: deployment, groupSize: table.resolve(group)?.members.count ?? 1,
            hasFallbacks: hasFallbacks(group), callerSetTimeout: false, settings: settings, now: clock.now())
    }

    /// Any error of an attempt as an `UpstreamFailure`.
    static func failure(from error: any Error, deployment: RoutedDeployment) -> UpstreamFailure {
        switch error {
        case let failure as UpstreamFailure: return failure
        case let transport as TransportError:
            return UpstreamFailure(transport, provider: deployment.provider.target.provider, apiBase: deployment.apiBase)
        default:
            return UpstreamFailure(.connection, message: "\(error)", provider: deployment.provider.target.provider)
        }
    }

    func hasFallbacks(_ group: String) -> Bool {
        !(settings.fallbacks[group] ?? settings.fallbacks["*"] ?? settings.defaultFallbacks).isEmpty
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String((value * 1000).rounded() / 1000)
    }

    /// Sends through the transport and reads a complete answer (capped), as an `UpstreamAnswer`.
    /// The transport bounds the whole exchange by `timeout`; running past it is this
    /// deployment's timeout failure.
    func exchange(_ request: UpstreamRequest, deployment: RoutedDeployment, timeout: Double) async throws -> (UpstreamAnswer, HeaderFields) {
        let target = deployment.provider.target
        do {
            let response = try await transport(for: deployment).execute(request, deadline: timeout)
            let body = try await response.body.collect(upTo: settings.maxResponseBytes)
            return (UpstreamAnswer(status: response.status, headers: response.headers, body: body, receivedAt: clock.wallTime()), response.headers)
        } catch {
            switch error {
            case .cancelled: throw CancellationError()
            case .timedOut:
                throw UpstreamFailure(
                    .timeout, status: 408,
                    message: "Deployment \(deployment.id.prefix(12)) (\(deployment.deployment.params.model)) did not answer within \(Self.seconds(timeout)) s",
                    provider: target.provider)
            default:
                throw UpstreamFailure(error, provider: target.provider, apiBase: target.apiBase)
            }
        }
    }
}
