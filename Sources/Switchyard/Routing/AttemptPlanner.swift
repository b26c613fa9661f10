import SwitchyardCore

/// What the router does next for a request.
enum RouterAction {
    /// Call this deployment with these limits.
    case send(PlannedAttempt)
    /// Sleep this many seconds, then ask again.
    case wait(Double)
    /// Give up with this error.
    case fail(GatewayError)
}

struct PlannedAttempt {
    let deployment: RoutedDeployment
    /// The group being served (the requested one or a fallback).
    let group: String
    /// Seconds for a whole non-streamed answer.
    let timeout: Double
    /// Seconds to a stream's first byte and between its chunks.
    let streamTimeout: Double
    /// True when the timeout came from the request, not from config (then it does not cool the deployment down).
    let timeoutFromCaller: Bool
    /// Seconds left of the request's total timeout when this attempt starts (nil: none set):
    /// the most a stream may run, start to end.
    var remaining: Double? = nil

    /// The deadline for the whole exchange, a stream's body included.
    var exchangeDeadline: Double { remaining ?? 86_400 }
}

/// The routing decisions for one request, as a pure state machine: given the health of the
/// deployments and the outcome of each attempt, it says whom to call, how long to wait, when to
/// fall back and when to give up. It does no I/O and reads no clock; the router executes it.
///
/// Rules (LiteLLM's, `reference/litellm.md` §1): retries stay in the group and each re-runs the
/// selection (preferring deployments not yet tried); a failure that is not worth retrying, or an
/// exhausted retry budget, walks the group's order tiers and then its fallback groups, each with
/// a full retry budget, depth-first, skipping groups already tried, at most `maxFallbacks` hops.
struct AttemptPlanner {
    /// What every request of a router plans with, held by reference: a planner is made, moved
    /// and dropped per request, and as two structs these cost a retain and a release per field.
    final class Configuration: Sendable {
        let table: ModelTable
        let settings: RouterSettings

        init(table: ModelTable, settings: RouterSettings) {
            self.table = table
            self.settings = settings
        }
    }

    private let configuration: Configuration
    private var table: ModelTable { configuration.table }
    private var settings: RouterSettings { configuration.settings }
    private let options: RequestOptions
    private let streaming: Bool
    private let deadline: Double?
    private var frames: [Frame] = []
    /// The group the request resolved to (tried first; never again as a fallback).
    private var primaryGroup: String?
    private var pendingWait: Double = 0
    private var primaryFailure: UpstreamFailure?
    private var primaryHadNoDeployment = false
    private var unresolvedModel: String?
    private var requestedModel: String
    private(set) var attempts: [AttemptRecord] = []
    /// Fallback hops taken (order tiers and fallback groups).
    private(set) var fallbackDepth = 0
    private(set) var fallbackGroupsTried: [String] = []

    /// One group being worked on.
    private struct Frame {
        let group: ResolvedGroup
        let tiers: [Int?]
        var tierIndex = 0
        var retriesUsed = 0
        // Lists, not sets: a handful of ids at most, and no hashing or allocation until the first.
        var triedIDs: [String] = []
        var excludedIDs: [String] = []
        var lastFailure: UpstreamFailure?
        var exhausted = false
        var pendingFallbacks: [Fallback]?
        let isPrimary: Bool

        init(group: ResolvedGroup, isPrimary: Bool) {
            self.group = group
            self.isPrimary = isPrimary
            let first = group.members.first?.deployment.params.order
            if group.members.allSatisfy({ $0.deployment.params.order == first }) {
                self.tiers = [first]  // one tier, the usual case: no set, sort or filter per request
                return
            }
            let orders = Set(group.members.map { $0.deployment.params.order })
            // Ascending order values first; deployments without an order form the last tier.
            self.tiers = orders.compactMap { $0 }.sorted().map(Optional.some) + (orders.contains(nil) ? [nil] : [])
        }

        var tierMembers: [RoutedDeployment] {
            guard tiers.count > 1 else { return group.members }
            let order = tiers[tierIndex]
            return group.members.filter { $0.deployment.params.order == order }
        }
    }

    private enum Fallback {
        case tier(Int)
        case group(String)
    }

    init(model: String, table: ModelTable, settings: RouterSettings, options: RequestOptions, streaming: Bool, startedAt: Double) {
        self.init(
            model: model, configuration: Configuration(table: table, settings: settings), options: options, streaming: streaming,
            startedAt: startedAt)
    }

    @inline(never)  // out of the router's async frame (see `Router.route`)
    init(model: String, configuration: Configuration, options: RequestOptions, streaming: Bool, startedAt: Double) {
        self.configuration = configuration
        let table = configuration.table
        let settings = configuration.settings
        self.options = options
        self.streaming = streaming
        self.requestedModel = model
        let total = options.totalTimeout ?? settings.totalTimeout
        self.deadline = total.map { startedAt + $0 }
        if let group = table.resolve(model) {
            frames = [Frame(group: group, isPrimary: true)]
            primaryGroup = group.name
        } else if let fallback = settings.defaultFallbacks.first, let group = table.resolve(fallback) {
            frames = [Frame(group: group, isPrimary: true)]
            primaryGroup = group.name
        } else {
            unresolvedModel = model
        }
    }

    /// The group currently being tried.
    var currentGroup: String? { frames.last?.group.name }

    /// Retries made in the group that is being (or was last) tried.
    var retriesInCurrentGroup: Int { frames.last?.retriesUsed ?? 0 }

    /// Decides the next step.
    mutating func next(now: Double, health: some DeploymentHealthView, random: inout some RandomNumberGenerator) -> RouterAction {
        if let unresolvedModel {
            return .fail(GatewayError(
                .unknownModel,
                "Invalid model name passed in model=\(unresolvedModel). There is no deployment, group, alias or wildcard for it. Available groups: \(table.groupNames.joined(separator: ", "))",
                param: "model"))
        }
        if let deadline, now >= deadline { return .fail(deadlineError()) }
        if pendingWait > 0 {
            let wait = deadline.map { min(pendingWait, max(0, $0 - now)) } ?? pendingWait
            pendingWait = 0
            return .wait(wait)
        }
        while var frame = frames.popLast() {
            if !frame.exhausted {
                if frame.isPrimary && options.mockTestingFallbacks && frame.lastFailure == nil {
                    let failure = UpstreamFailure(.server, status: 500, message: "This is a mock failure (mock_testing_fallbacks).", provider: "switchyard")
                    frame.lastFailure = failure
                    frame.exhausted = true
                    primaryFailure = failure
                    frames.append(frame)
                    continue
                }
                let candidates = healthyCandidates(frame, now: now, health: health)
                if !candidates.isEmpty {
                    let untried = frame.triedIDs.isEmpty ? candidates : candidates.filter { !frame.triedIDs.contains($0.id) }
                    let pool = untried.isEmpty ? candidates : untried
                    let chosen = DeploymentSelection.select(
                        pool, strategy: settings.routingStrategy, health: health, streaming: streaming, random: &random)
                    frame.triedIDs.append(chosen.id)
                    frames.append(frame)
                    return .send(attempt(chosen, group: frame.group.name, now: now))
                }
                let failure = noDeploymentFailure(frame, now: now, health: health)
                frame.lastFailure = failure
                frame.exhausted = true
                if frame.isPrimary && primaryFailure == nil {
                    primaryFailure = failure
                    primaryHadNoDeployment = true
                }
            }
            if frame.pendingFallbacks == nil { frame.pendingFallbacks = fallbacks(after: frame) }
            while var queue = frame.pendingFallbacks, !queue.isEmpty {
                let target = queue.removeFirst()
                frame.pendingFallbacks = queue
                guard !options.disableFallbacks, fallbackDepth < settings.maxFallbacks else {
                    frame.pendingFallbacks = []
                    break
                }
                switch target {
                case .tier(let index):
                    fallbackDepth += 1
                    frame.tierIndex = index
                    frame.retriesUsed = 0
                    frame.exhausted = false
                    frame.pendingFallbacks = nil
                    frames.append(frame)
                    return next(now: now, health: health, random: &random)
                case .group(let name):
                    guard let group = table.resolve(name), group.name != primaryGroup, !fallbackGroupsTried.contains(group.name) else {
                        continue
                    }
                    fallbackDepth += 1
                    fallbackGroupsTried.append(group.name)
                    frames.append(frame)
                    frames.append(Frame(group: group, isPrimary: false))
                    return next(now: now, health: health, random: &random)
                }
            }
        }
        return .fail(finalError())
    }

    /// Takes in how an attempt ended. Call after the health tracker has recorded it, so the
    /// retry decision sees the cooldown it may have caused.
    mutating func recordFailure(
        _ failure: UpstreamFailure, deployment: RoutedDeployment, duration: Double, now: Double,
        health: some DeploymentHealthView, random: inout some RandomNumberGenerator
    ) {
        attempts.append(AttemptRecord(
            modelGroup: frames.last?.group.name ?? deployment.group, deploymentID: deployment.id,
            apiBase: deployment.apiBase, failure: failure, duration: duration))
        guard var frame = frames.popLast() else { return }
        defer { frames.append(frame) }
        frame.lastFailure = failure
        if frame.isPrimary {
            primaryFailure = failure
            primaryHadNoDeployment = false
        }
        if !failure.isTransient && !frame.excludedIDs.contains(deployment.id) { frame.excludedIDs.append(deployment.id) }

        let groupSize = frame.group.members.count
        let healthy = healthyCandidates(frame, now: now, health: health).count
        let group = frame.group.name
        let retries: Int
        let worthRetrying: Bool
        if let policy = RetryPolicy.policyRetries(for: failure, group: group, settings: settings) {
            retries = policy
            worthRetrying = healthy > 0
        } else {
            retries = options.numRetries ?? deployment.deployment.params.numRetries
                ?? RetryPolicy.defaultRetries(group: group, settings: settings) ?? settings.numRetries
            worthRetrying = RetryPolicy.shouldRetry(
                failure, groupSize: groupSize, healthyCount: healthy,
                hasFallbacks: !fallbackGroupNames(for: frame, failure: failure).isEmpty,
                hasContextWindowFallbacks: hasSpecificFallbacks(frame, .contextWindowExceeded),
                hasContentPolicyFallbacks: hasSpecificFallbacks(frame, .contentPolicy))
        }
        guard worthRetrying, frame.retriesUsed < retries else {
            frame.exhausted = true
            return
        }
        let retry = frame.retriesUsed
        frame.retriesUsed += 1
        if groupSize > 1 && healthy > 0 {
            pendingWait = 0
        } else {
            let jitter = Double.random(in: 0...RetryPolicy.maxJitter, using: &random)
            pendingWait = RetryPolicy.backoff(retry: retry, retryAfter: failure.retryAfter, minimum: settings.retryAfter, jitter: jitter)
        }
    }

    /// Notes a successful attempt (for the metadata).
    mutating func recordSuccess(deployment: RoutedDeployment, duration: Double) {
        attempts.append(AttemptRecord(
            modelGroup: frames.last?.group.name ?? deployment.group, deploymentID: deployment.id,
            apiBase: deployment.apiBase, failure: nil, duration: duration))
    }

    // MARK: candidates

    private func healthyCandidates(_ frame: Frame, now: Double, health: some DeploymentHealthView) -> [RoutedDeployment] {
        let members = frame.tierMembers
        // The usual case, nothing cooling and nothing excluded: the members as they are, no copy.
        let cooling = members.contains { health.cooldownRemaining($0.id, now: now) != nil }
        let available = cooling ? members.filter { health.cooldownRemaining($0.id, now: now) == nil } : members
        if frame.excludedIDs.isEmpty { return available }
        let allowed = available.filter { !frame.excludedIDs.contains($0.id) }
        // Deployments that answered a non-retryable status are skipped unless that leaves none.
        return allowed.isEmpty ? available : allowed
    }

    private func noDeploymentFailure(_ frame: Frame, now: Double, health: some DeploymentHealthView) -> UpstreamFailure {
        let members = frame.tierMembers
        let cooling = members.compactMap { member in health.cooldownRemaining(member.id, now: now).map { (member.id, $0) } }
        let retryIn = cooling.map(\.1).min() ?? settings.cooldownTime
        let seconds = retryIn.isFinite ? Int(min(retryIn, 86_400).rounded(.up)) : 86_400
        let detail = cooling.count == members.count
            ? "All deployments for selected model are in cooldown. cooldown_list=[\(cooling.map(\.0).joined(separator: ", "))]"
            : "Deployments that failed with a non-retryable error are excluded."
        return UpstreamFailure(
            .rateLimited, status: 429,
            message: "No deployments available for selected model, Try again in \(seconds) seconds. Passed model=\(frame.group.name). \(detail)",
            retryAfter: retryIn, provider: "switchyard")
    }

    private func attempt(_ deployment: RoutedDeployment, group: String, now: Double) -> PlannedAttempt {
        let params = deployment.deployment.params
        let timeout = options.timeout ?? params.timeout ?? settings.timeout
        let streamTimeout = options.streamTimeout ?? params.streamTimeout ?? settings.streamTimeout ?? options.timeout ?? params.timeout ?? settings.timeout
        let callerSet = streaming ? (options.streamTimeout ?? options.timeout) != nil : options.timeout != nil
        let remaining = deadline.map { max(0.001, $0 - now) }
        return PlannedAttempt(
            deployment: deployment, group: group,
            timeout: remaining.map { min($0, timeout) } ?? timeout,
            streamTimeout: remaining.map { min($0, streamTimeout) } ?? streamTimeout,
            timeoutFromCaller: callerSet, remaining: remaining)
    }

    // MARK: fallbacks

    private func fallbacks(after frame: Frame) -> [Fallback] {
        guard let failure = frame.lastFailure else { return [] }
        var list: [Fallback] = []
        if failure.kind != .contextWindowExceeded && failure.kind != .contentPolicy {
            list += (frame.tierIndex + 1..<frame.tiers.count).map { Fallback.tier($0) }
        }
        list += fallbackGroupNames(for: frame, failure: failure).map { Fallback.group($0) }
        return list
    }

    /// The fallback groups for a failure in `frame`'s group: the specific list for context-window
    /// and content-policy failures when there is one, else the generic list; the request's own
    /// lists replace the configured ones for the requested group.
    private func fallbackGroupNames(for frame: Frame, failure: UpstreamFailure) -> [String] {
        let group = frame.group.name
        func lookup(_ map: [String: [String]]) -> [String]? { map[group] ?? map["*"] }
        switch failure.kind {
        case .contextWindowExceeded:
            if let list = (frame.isPrimary ? options.contextWindowFallbacks : nil) ?? lookup(settings.contextWindowFallbacks) { return list }
        case .contentPolicy:
            if let list = (frame.isPrimary ? options.contentPolicyFallbacks : nil) ?? lookup(settings.contentPolicyFallbacks) { return list }
        default:
            break
        }
        return (frame.isPrimary ? options.fallbacks : nil) ?? lookup(settings.fallbacks) ?? settings.defaultFallbacks
    }

    private func hasSpecificFallbacks(_ frame: Frame, _ kind: UpstreamFailure.Kind) -> Bool {
        let group = frame.group.name
        switch kind {
        case .contextWindowExceeded:
            return (frame.isPrimary && options.contextWindowFallbacks != nil) || settings.contextWindowFallbacks[group] != nil || settings.contextWindowFallbacks["*"] != nil
        case .contentPolicy:
            return (frame.isPrimary && options.contentPolicyFallbacks != nil) || settings.contentPolicyFallbacks[group] != nil || settings.contentPolicyFallbacks["*"] != nil
        default:
            return false
        }
    }

    // MARK: errors

    private func summary() -> String {
        let tried = attempts.map { attempt -> String in
            let outcome = attempt.failure.map { "\($0.kind.rawValue)\($0.status.map { " \($0)" } ?? "")" } ?? "ok"
            return "\(attempt.deploymentID.prefix(12)) in '\(attempt.modelGroup)' → \(outcome) after \(Int((attempt.duration * 1000).rounded())) ms"
        }
        let fallbackText = fallbackGroupsTried.isEmpty ? "No fallback was attempted." : "Fallbacks tried: \(fallbackGroupsTried.joined(separator: ", "))."
        let attemptsText = tried.isEmpty ? "No deployment was called." : "Attempts: \(tried.joined(separator: "; "))."
        return "Switchyard: model group '\(requestedModel)' failed. \(attemptsText) \(fallbackText)"
    }

    private func finalError() -> GatewayError {
        guard let primary = primaryFailure else {
            return GatewayError(.internalError, "No attempt could be planned. \(summary())", attempts: attempts)
        }
        let message = "\(primary.message) \(summary())"
        if primaryHadNoDeployment {
            return GatewayError(.noDeploymentAvailable, message, failure: primary, attempts: attempts, retryAfter: primary.retryAfter)
        }
        return GatewayError(.upstream, message, failure: primary, attempts: attempts, retryAfter: primary.retryAfter)
    }

    private func deadlineError() -> GatewayError {
        let total = options.totalTimeout ?? settings.totalTimeout ?? 0
        return GatewayError(
            .deadlineExceeded, "The request did not complete within its total timeout of \(total) s. \(summary())",
            failure: primaryFailure, attempts: attempts)
    }
}
