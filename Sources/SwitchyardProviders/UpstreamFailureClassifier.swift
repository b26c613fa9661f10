import SwitchyardCore

/// The one place where a provider's non-2xx answer becomes an `UpstreamFailure`: status first,
/// then the message for the failures that hide behind a 400 (context window, content policy).
public enum UpstreamFailureClassifier {
    /// Substrings (lower-cased) that mark a prompt too long for the model, across providers.
    public static let contextWindowMarkers: [String] = [
        "context_length_exceeded", "maximum context length", "context length", "context window",
        "exceed context limit", "exceeds the context window", "input is too long", "prompt is too long",
        "too many tokens", "exceeds the maximum number of tokens", "reduce the length of the messages",
        "is longer than the model's context length", "please reduce the length", "input length exceeds",
        "`inputs` tokens + `max_new_tokens` must be", "maximum number of tokens allowed",
        "model's maximum context", "request too large for model", "prompt too long",
    ]

    /// Substrings (lower-cased) that mark a refusal by the provider's safety system.
    public static let contentPolicyMarkers: [String] = [
        "content_policy_violation", "content_filter", "content management policy", "content filtering policy",
        "content policy", "safety system", "responsible ai", "invalid_prompt", "flagged as potentially",
        "safety settings", "blocked due to safety",
    ]

    /// Classifies a non-2xx answer from an OpenAI-dialect provider.
    public static func classify(_ answer: UpstreamAnswer, provider: String) -> UpstreamFailure {
        let (message, code) = errorMessageAndCode(answer.body)
        let retryAfter = retryAfterSeconds(answer.headers, now: answer.receivedAt)
        let kind = kind(status: answer.status, message: message, code: code)
        var failure = UpstreamFailure(
            kind, status: answer.status, message: message.isEmpty ? "HTTP \(answer.status) from \(provider)" : message,
            retryAfter: retryAfter, provider: provider)
        failure.rateLimitHeaders = rateLimitHeaders(answer.headers)
        return failure
    }

    /// The rate-limit headers of an answer (OpenAI's and Azure's `x-ratelimit-*`, Anthropic's
    /// `anthropic-ratelimit-*`), by lower-cased name.
    public static func rateLimitHeaders(_ headers: HeaderFields) -> [String: String] {
        var found: [String: String] = [:]
        for field in headers {
            let name = field.name.lowercased()
            if name.hasPrefix("x-ratelimit-") || name.hasPrefix("anthropic-ratelimit-") { found[name] = field.value }
        }
        return found
    }

    /// The failure kind for an upstream status and error text.
    public static func kind(status: Int, message: String, code: String?) -> UpstreamFailure.Kind {
        let haystack = (message + " " + (code ?? "")).lowercased()
        switch status {
        case 429: return .rateLimited
        case 408, 504: return .timeout
        case 401: return .authentication
        case 403:
            return contentPolicyMarkers.contains(where: haystack.contains) ? .contentPolicy : .permissionDenied
        case 404: return .notFound
        case 409: return .server
        case 400..<500:
            if contextWindowMarkers.contains(where: haystack.contains) { return .contextWindowExceeded }
            if contentPolicyMarkers.contains(where: haystack.contains) { return .contentPolicy }
            if code == "rate_limit_exceeded" || code == "insufficient_quota" { return .rateLimited }
            return .badRequest
        default:
            return .server
        }
    }

    /// `error.message` and `error.code` of an OpenAI-style error body (or `message`, or the text itself).
    public static func errorMessageAndCode(_ body: [UInt8]) -> (message: String, code: String?) {
        if let json = try? JSONCoding.decode(JSONValue.self, from: body) {
            if let error = json["error"] {
                if let text = error.stringValue { return (text, nil) }
                let message = error["message"]?.stringValue ?? ""
                let code = error["code"]?.stringValue ?? error["code"]?.intValue.map(String.init) ?? error["type"]?.stringValue
                return (message, code)
            }
            if let message = json["message"]?.stringValue ?? json["detail"]?.stringValue {
                return (message, json["code"]?.stringValue ?? json["type"]?.stringValue)
            }
        }
        let text = String(decoding: body.prefix(2000), as: UTF8.self).trimmingSpaces
        return (text, nil)
    }

    /// Seconds to wait from `retry-after-ms` (milliseconds) or `retry-after` (seconds or an
    /// HTTP date, taken relative to `now`, seconds since 1970). nil when absent or unreadable.
    public static func retryAfterSeconds(_ headers: HeaderFields, now: Double) -> Double? {
        // `Double` also reads "inf", "nan" and overflowing exponents; none of them is a wait.
        if let ms = headers["retry-after-ms"].flatMap({ Double($0.trimmingSpaces) }), ms >= 0, ms.isFinite {
            return ms / 1000
        }
        guard let value = headers["retry-after"]?.trimmingSpaces, !value.isEmpty else { return nil }
        if let seconds = Double(value) { return seconds >= 0 && seconds.isFinite ? seconds : nil }
        guard let date = HTTPDate.parse(value) else { return nil }
        return max(0, date - now)
    }
}

extension String {
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}

/// RFC 9110 IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) to seconds since 1970.
enum HTTPDate {
    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    static func parse(_ text: String) -> Double? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, let day = Int(parts[1]), let year = Int(parts[3]),
            let monthIndex = months.firstIndex(of: parts[2].lowercased())
        else { return nil }
        let time = parts[4].split(separator: ":").compactMap { Int($0) }
        // Range checks keep garbage out, and an absurd year from overflowing the day arithmetic.
        guard time.count == 3, (1...31).contains(day), (1...9999).contains(year), (0...23).contains(time[0]),
            (0...59).contains(time[1]), (0...60).contains(time[2])
        else { return nil }
        return Double(daysFromCivil(year: year, month: monthIndex + 1, day: day)) * 86_400
            + Double(time[0] * 3600 + time[1] * 60 + time[2])
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
