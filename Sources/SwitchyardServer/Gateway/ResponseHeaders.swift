import Switchyard

/// LiteLLM's response headers, so dashboards and clients built for LiteLLM keep working.
enum ResponseHeaders {
    /// Upstream headers never copied through: `content-length`, `content-type`,
    /// `transfer-encoding`, `connection`, `keep-alive`, `date`, `server`, `content-encoding`,
    /// `set-cookie`, `x-request-id`, in any case. Compared by length, then bytes: every answer's
    /// upstream fields go through here, and most of them are these.
    static func isNeverCopied(_ name: String) -> Bool {
        switch name.utf8.count {
        case 4: return HeaderFields.sameName(name, "date")
        case 6: return HeaderFields.sameName(name, "server")
        case 10:
            return HeaderFields.sameName(name, "connection") || HeaderFields.sameName(name, "keep-alive")
                || HeaderFields.sameName(name, "set-cookie")
        case 12: return HeaderFields.sameName(name, "content-type") || HeaderFields.sameName(name, "x-request-id")
        case 14: return HeaderFields.sameName(name, "content-length")
        case 16: return HeaderFields.sameName(name, "content-encoding")
        case 17: return HeaderFields.sameName(name, "transfer-encoding")
        default: return false
        }
    }

    /// The request's id, as `x-request-id` and `x-litellm-call-id`, where `headers` lacks them
    /// (every answer carries both; the routing endpoints put them first, in LiteLLM's order).
    static func addIdentity(_ requestID: String, to headers: inout HeaderFields) {
        if headers["x-request-id"] == nil { headers.add("x-request-id", requestID) }
        if headers["x-litellm-call-id"] == nil { headers.add("x-litellm-call-id", requestID) }
    }

    /// The routing facts of an answer: group, deployment, API base, retries, fallbacks, timings,
    /// and the upstream's own headers (rate limits as they are, the rest prefixed `llm_provider-`).
    static func routing(_ metadata: RoutingMetadata, requestID: String, totalSeconds: Double) -> HeaderFields {
        var headers = HeaderFields()
        // Room for all of them and the two the endpoint adds (content type, cache control).
        headers.fields.reserveCapacity(11 + 2 * metadata.upstreamHeaders.fields.count)
        addIdentity(requestID, to: &headers)
        headers.add("x-litellm-model-group", metadata.modelGroup)
        headers.add("x-litellm-model-id", metadata.deploymentID)
        headers.add("x-litellm-model-api-base", metadata.apiBase)
        headers.add("x-litellm-attempted-retries", String(metadata.retries))
        headers.add("x-litellm-attempted-fallbacks", String(metadata.fallbacks))
        let upstream = metadata.attempts.last?.duration ?? 0
        headers.add("x-litellm-response-duration-ms", milliseconds(totalSeconds))
        headers.add("x-litellm-overhead-duration-ms", milliseconds(max(0, totalSeconds - upstream)))
        for field in metadata.upstreamHeaders where !isNeverCopied(field.name) {
            let name = field.name.lowercased()
            if name.hasPrefix("x-ratelimit-") || name == "retry-after" { headers.add(name, field.value) }
            headers.add("llm_provider-\(name)", field.value)
        }
        return headers
    }

    /// `routing(…)` for a streamed answer: the event-stream content type, and no caching.
    static func streamed(_ metadata: RoutingMetadata, requestID: String, totalSeconds: Double) -> HeaderFields {
        var headers = routing(metadata, requestID: requestID, totalSeconds: totalSeconds)
        headers.replace("Content-Type", "text/event-stream")
        headers.replace("Cache-Control", "no-cache")
        return headers
    }

    /// The routing facts of a failed answer, as far as they go: the group asked for, the last
    /// deployment tried, retries and fallbacks taken, timings, and the last upstream's
    /// rate-limit headers.
    static func failure(_ error: GatewayError, model: String?, requestID: String, totalSeconds: Double) -> HeaderFields {
        var headers = HeaderFields()
        addIdentity(requestID, to: &headers)
        let attempts = error.attempts
        guard let group = attempts.first?.modelGroup ?? model else { return headers }
        headers.add("x-litellm-model-group", group)
        if let last = attempts.last {
            headers.add("x-litellm-model-id", last.deploymentID)
            if let apiBase = last.apiBase { headers.add("x-litellm-model-api-base", apiBase) }
        }
        var groups: [String] = []
        for attempt in attempts where !groups.contains(attempt.modelGroup) { groups.append(attempt.modelGroup) }
        headers.add("x-litellm-attempted-retries", String(max(0, attempts.count - max(groups.count, 1))))
        headers.add("x-litellm-attempted-fallbacks", String(max(0, groups.count - 1)))
        let upstream = attempts.reduce(0) { $0 + $1.duration }
        headers.add("x-litellm-response-duration-ms", milliseconds(totalSeconds))
        headers.add("x-litellm-overhead-duration-ms", milliseconds(max(0, totalSeconds - upstream)))
        let rateLimits = (error.failure ?? attempts.last?.failure)?.rateLimitHeaders ?? [:]
        for (name, value) in rateLimits.sorted(by: { $0.key < $1.key }) {
            if name.hasPrefix("x-ratelimit-") { headers.add(name, value) }
            headers.add("llm_provider-\(name)", value)
        }
        return headers
    }

    static func milliseconds(_ seconds: Double) -> String {
        let value = (seconds * 1000 * 1000).rounded() / 1000
        return String(value)
    }
}
