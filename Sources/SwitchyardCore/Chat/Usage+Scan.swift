extension Usage {
    /// A usage object read from its bytes. The usual shape (only the documented members, each a
    /// plain integer or null) is read by a byte scan; anything else goes through the full
    /// decoder, which keeps unknown members in `extra`. Nil when the bytes are not a usage object.
    public static func read(_ bytes: ArraySlice<UInt8>) -> Usage? {
        let array = Array(bytes)
        if let usage = scanned(array) { return usage }
        return try? JSONCoding.decode(Usage.self, from: array)
    }

    static let topMembers: Set<String> = [
        "prompt_tokens", "completion_tokens", "total_tokens", "prompt_tokens_details", "completion_tokens_details",
    ]
    static let promptDetailMembers: Set<String> = ["cached_tokens", "audio_tokens", "cache_creation_tokens"]
    static let completionDetailMembers: Set<String> = [
        "reasoning_tokens", "audio_tokens", "accepted_prediction_tokens", "rejected_prediction_tokens",
    ]

    /// The byte-scan path: nil whenever it would lose something the decoder keeps.
    static func scanned(_ bytes: [UInt8]) -> Usage? {
        guard let scan = JSONObjectScan(bytes), let counts = Counts(scan, known: topMembers) else { return nil }
        var usage = Usage(
            promptTokens: counts["prompt_tokens"] ?? 0, completionTokens: counts["completion_tokens"] ?? 0,
            totalTokens: counts["total_tokens"])
        if !scan.isNull("prompt_tokens_details") {
            guard let slice = scan.valueBytes("prompt_tokens_details"), let nested = JSONObjectScan(Array(slice)),
                let details = Counts(nested, known: promptDetailMembers)
            else { return nil }
            usage.promptTokensDetails = PromptTokensDetails(
                cachedTokens: details["cached_tokens"], audioTokens: details["audio_tokens"],
                cacheCreationTokens: details["cache_creation_tokens"])
        }
        if !scan.isNull("completion_tokens_details") {
            guard let slice = scan.valueBytes("completion_tokens_details"), let nested = JSONObjectScan(Array(slice)),
                let details = Counts(nested, known: completionDetailMembers)
            else { return nil }
            usage.completionTokensDetails = CompletionTokensDetails(
                reasoningTokens: details["reasoning_tokens"], audioTokens: details["audio_tokens"],
                acceptedPredictionTokens: details["accepted_prediction_tokens"],
                rejectedPredictionTokens: details["rejected_prediction_tokens"])
        }
        return usage
    }

    /// The integer members of one object; nil if it has an unknown member, a duplicate, or a
    /// value that is neither a plain integer nor null (the two detail objects excepted).
    private struct Counts {
        private var values: [(String, Int)] = []

        init?(_ scan: JSONObjectScan, known: Set<String>) {
            var seen: Set<String> = []
            for member in scan.members {
                guard known.contains(member.key), seen.insert(member.key).inserted else { return nil }
                if member.key.hasSuffix("_details") || scan.isNull(member.key) { continue }
                guard let value = scan.integer(member.key) else { return nil }
                values.append((member.key, value))
            }
        }

        subscript(_ key: String) -> Int? { values.first { $0.0 == key }?.1 }
    }
}
