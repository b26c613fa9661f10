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
    ///
    /// The bookkeeping before and after each attempt is in synchronous functions kept out of
    /// line: an async function's frame holds every local of what it inlines, and this frame (the
    /// planner, the metadata, the failure's log line) had grown past the task allocator's slab,
    /// which made it a `malloc` of its own per request.
    @inline(never)
    func route<Value: Sendable>(
        model: String, options: RequestOptions, streaming: Bool,
        call: (PlannedAttempt) async throws -> AttemptResult<Value>
    ) async throws -> RoutedResponse<Value> {
        let start = clock.now()
        var planner = AttemptPlanner(model: model, configuration: planning, options: options, streaming: streaming, startedAt: start)
        while true {
            if Task.isCancelled { throw CancellationError() }
            switch nextStep(&planner, model: model) {
            case .fail(let error):
                throw error
            case .wait(let seconds):
                try await clock.sleep(seconds)
            case .send(let attempt):
                let begun = clock.now()
                do {
                    if let problem = begin(attempt) { throw problem }
                    return succeeded(attempt, try await call(attempt), &planner, model: model, start: start, begun: begun)
                } catch {
                    if Task.isCancelled {
                        health.end(attempt.deployment.id)
                        throw CancellationError()
                    }
                    failed(attempt, error, &planner, begun: begun)
                }
            }
        }
    }

    /// What the router does next, short of giving up.
    private enum Step {
        case send(PlannedAttempt)
        case wait(Double)
        case fail(any Error)
    }

    /// The planner's next decision (giving up is logged here).
    @inline(never)
    private func nextStep(_ planner: inout AttemptPlanner, model: String) -> Step {
        var random = SystemRandomNumberGenerator()
        switch planner.next(now: clock.now(), health: health, random: &random) {
        case .send(let attempt):
            return .send(attempt)
        case .wait(let seconds):
            return .wait(seconds)
        case .fail(let error):
            logger.debug(
                "request failed", metadata: ["model": "\(model)", "error": "\(error.kind.rawValue)", "attempts": "\(planner.attempts.count)"])
            return .fail(error)
        }
    }

    /// An attempt starts: its deployment counts it in flight; a deployment that cannot work
    /// gives the failure to throw (returned, not thrown: a typed error has a slot in the frame).
    @inline(never)
    private func begin(_ attempt: PlannedAttempt) -> (any Error)? {
        health.begin(attempt.deployment.id)
        return attempt.deployment.provider.problem
    }

    /// An attempt that answered: its deployment's health and the planner learn it, and the
    /// answer's routing facts are gathered.
    @inline(never)
    private func succeeded<Value>(
        _ attempt: PlannedAttempt, _ result: AttemptResult<Value>, _ planner: inout AttemptPlanner, model: String, start: Double, begun: Double
    ) -> RoutedResponse<Value> {
        let deployment = attempt.deployment
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
    }

    /// An attempt that failed (not cancelled): its deployment's health (and cooldown) and the
    /// planner learn it.
    @inline(never)
    private func failed(_ attempt: PlannedAttempt, _ error: any Error, _ planner: inout AttemptPlanner, begun: Double) {
        let deployment = attempt.deployment
        health.end(deployment.id)
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
        var random = SystemRandomNumberGenerator()
        planner.recordFailure(failure, deployment: deployment, duration: now - begun, now: now, health: health, random: &random)
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
