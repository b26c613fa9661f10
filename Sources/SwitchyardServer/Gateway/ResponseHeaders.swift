import Switchyard

/// LiteLLM's response headers, so dashboards and clients built for LiteLLM keep working.
enum ResponseHeaders {
    /// Upstream headers never copied through.
    static let hopByHop: Set<String> = [
        "content-length", "content-type", "transfer-encoding", "connection", "keep-alive", "date", "server",
        "content-encoding", "set-cookie", "x-request-id",
    ]

    static func identity(requestID: String) -> HeaderFields {
        ["x-request-id": requestID, "x-litellm-call-id": requestID]
    }

    /// The routing facts of an answer: group, deployment, API base, retries, fallbacks, timings,
    /// and the upstream's own headers (rate limits as they are, the rest prefixed `llm_provider-`).
    static func routing(_ metadata: RoutingMetadata, requestID: String, totalSeconds: Double) -> HeaderFields {
        var headers = identity(requestID: requestID)
        headers.add("x-litellm-model-group", metadata.modelGroup)
        headers.add("x-litellm-model-id", metadata.deploymentID)
        headers.add("x-litellm-model-api-base", metadata.apiBase)
        headers.add("x-litellm-attempted-retries", String(metadata.retries))
        headers.add("x-litellm-attempted-fallbacks", String(metadata.fallbacks))
        let upstream = metadata.attempts.last?.duration ?? 0
        headers.add("x-litellm-response-duration-ms", milliseconds(totalSeconds))
        headers.add("x-litellm-overhead-duration-ms", milliseconds(max(0, totalSeconds - upstream)))
        for field in metadata.upstreamHeaders {
            let name = field.name.lowercased()
            if hopByHop.contains(name) { continue }
            if name.hasPrefix("x-ratelimit-") || name == "retry-after" { headers.add(name, field.value) }
            headers.add("llm_provider-\(name)", field.value)
        }
        return headers
    }

    static func milliseconds(_ seconds: Double) -> String {
        let value = (seconds * 1000 * 1000).rounded() / 1000
        return String(value)
    }
}
