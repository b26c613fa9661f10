import Logging
import Switchyard

/// The one log line written per request: id, route, model group, deployment, status, duration,
/// attempts. Never keys, never bodies.
struct RequestLog: Sendable {
    let requestID: String
    let method: String
    let path: String
    let started: ContinuousClock.Instant
    var model: String?
    var modelGroup: String?
    var deploymentID: String?
    var attempts = 0
    var fallbacks = 0
    var status = 0
    var failure: String?
    var note: String?

    init(requestID: String, method: String, path: String, started: ContinuousClock.Instant) {
        self.requestID = requestID
        self.method = method
        self.path = path
        self.started = started
    }

    mutating func record(_ metadata: RoutingMetadata) {
        modelGroup = metadata.modelGroup
        deploymentID = metadata.deploymentID
        attempts = metadata.attempts.count
        fallbacks = metadata.fallbacks
    }

    mutating func record(_ error: GatewayError) {
        modelGroup = error.attempts.first?.modelGroup ?? modelGroup ?? model
        attempts = error.attempts.count
        failure = error.failure?.kind.rawValue ?? error.kind.rawValue
        deploymentID = error.attempts.last?.deploymentID
    }

    func emit(_ logger: Logger) {
        guard logger.logLevel <= .info else { return }  // nothing to build when the line is not written
        var metadata: Logger.Metadata = [
            "request_id": .string(requestID), "method": .string(method), "path": .string(path),
            "status": .stringConvertible(status),
            "duration_ms": .string(ResponseHeaders.milliseconds(seconds(since: started))),
        ]
        if let model { metadata["model"] = .string(model) }
        if let modelGroup { metadata["model_group"] = .string(modelGroup) }
        if let deploymentID { metadata["deployment"] = .string(deploymentID) }
        if attempts > 0 { metadata["attempts"] = .stringConvertible(attempts) }
        if fallbacks > 0 { metadata["fallbacks"] = .stringConvertible(fallbacks) }
        if let failure { metadata["failure"] = .string(failure) }
        if let note { metadata["note"] = .string(note) }
        logger.info("request", metadata: metadata)
    }
}
