/// One call to one deployment while answering a request: which, how it ended, how long it took.
public struct AttemptRecord: Sendable, Hashable {
    public var modelGroup: String
    public var deploymentID: String
    public var apiBase: String?
    /// nil when the attempt succeeded.
    public var failure: UpstreamFailure?
    /// Seconds from sending to the answer (or to the failure).
    public var duration: Double

    public init(modelGroup: String, deploymentID: String, apiBase: String?, failure: UpstreamFailure?, duration: Double) {
        self.modelGroup = modelGroup
        self.deploymentID = deploymentID
        self.apiBase = apiBase
        self.failure = failure
        self.duration = duration
    }
}
