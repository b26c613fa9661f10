extension Usage {
    /// A usage object read from its bytes. The usual shape (only the documented members, each a
    /// plain integer or null) is read by a byte scan; anything else goes through the full
    /// decoder, which keeps unknown members in `extra`. Nil when the bytes are not a usage object.
    public static func read(_ bytes: ArraySlice<UInt8>) -> Usage? {
        let array = Array(bytes)
        if let usage = scanned(array) { return usage }
        return try? JSONCoding.decode(Usage.self, from: array)
    }

    /// The byte-scan path: nil whenever it would lose something the decoder keeps (an unknown
    /// or repeated member, a value that is not a plain integer or null).
    static func scanned(_ bytes: [UInt8]) -> Usage? {
        guard let scan = JSONObjectScan(bytes),
            let top = Counts(scan, topNames)
        else { return nil }
        let prompt = top[0] ?? 0, completion = top[1] ?? 0
        var usage = Usage(promptTokens: prompt, completionTokens: completion, totalTokens: top[2])
        if let slice = top.objects[3] {
            guard let nested = JSONObjectScan(Array(slice)),
                let details = Counts(nested, promptDetailNames, objects: false)
            else { return nil }
            usage.promptTokensDetails = PromptTokensDetails(cachedTokens: details[0], audioTokens: details[1], cacheCreationTokens: details[2])
        }
        if let slice = top.objects[4] {
            guard let nested = JSONObjectScan(Array(slice)),
                let details = Counts(nested, completionDetailNames, objects: false)
            else { return nil }
            usage.completionTokensDetails = CompletionTokensDetails(
                reasoningTokens: details[0], audioTokens: details[1], acceptedPredictionTokens: details[2],
                rejectedPredictionTokens: details[3])
        }
        return usage
    }

    static let topNames = ["prompt_tokens", "completion_tokens", "total_tokens", "prompt_tokens_details", "completion_tokens_details"]
    static let promptDetailNames = ["cached_tokens", "audio_tokens", "cache_creation_tokens"]
    static let completionDetailNames = ["reasoning_tokens", "audio_tokens", "accepted_prediction_tokens", "rejected_prediction_tokens"]

    /// One object's members by their place in `names`: integers (null reads as absent), and,
    /// when `objects`, the raw bytes of members whose name ends in `_details`.
    private struct Counts {
        private var values: [Int?]
        var objects: [ArraySlice<UInt8>?]

        init?(_ scan: JSONObjectScan, _ names: [String], objects allowObjects: Bool = true) {
            values = Array(repeating: nil, count: names.count)
            objects = Array(repeating: nil, count: names.count)
            var seen: UInt32 = 0
            for member in scan.members {
                guard let slot = names.firstIndex(of: member.key), seen & (1 << slot) == 0 else {
                    return nil
                }
                seen |= 1 << slot
                let value = scan.bytes[member.value]
                if value.elementsEqual("null".utf8) { continue }
                if allowObjects && member.key.hasSuffix("_details") {
                    objects[slot] = value
                } else {
                    guard let number = JSONObjectScan.integer(value) else { return nil }
                    values[slot] = number
                }
            }
        }

        subscript(_ slot: Int) -> Int? { values[slot] }
    }
}
