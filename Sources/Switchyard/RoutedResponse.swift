import SwitchyardCore
import SwitchyardProviders

/// An answer and how it was obtained. Reads like the answer itself
/// (`response.choices[0].message`), with the routing facts in `metadata`.
@dynamicMemberLookup
public struct RoutedResponse<Value: Sendable>: Sendable {
    public var value: Value
    public var metadata: RoutingMetadata

    public init(value: Value, metadata: RoutingMetadata) {
        self.value = value
        self.metadata = metadata
    }

    public subscript<Member>(dynamicMember keyPath: KeyPath<Value, Member>) -> Member {
        value[keyPath: keyPath]
    }
}

/// Which deployment answered, after which attempts: what the proxy puts in its `x-litellm-*`
/// headers and spend records.
public struct RoutingMetadata: Sendable {
    /// The model the caller asked for.
    public var requestedModel: String
    /// The group that answered (the requested one, or the fallback that succeeded).
    public var modelGroup: String
    public var deploymentID: String
    /// The deployment's `litellm_params.model`.
    public var deploymentModel: String
    public var provider: String
    /// The upstream base URL, query string removed.
    public var apiBase: String
    /// Every attempt in order, the successful one last.
    public var attempts: [AttemptRecord]
    /// Retries made in the group that answered.
    public var retries: Int
    /// Fallback hops taken before the answer.
    public var fallbacks: Int
    /// Seconds from the start of routing to the answer (to the first chunk, for streams).
    public var latency: Double
    /// Token usage, when the answer reported it.
    public var usage: Usage?
    /// The upstream's response headers (rate-limit headers among them).
    public var upstreamHeaders: HeaderFields
}
