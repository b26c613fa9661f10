extension Usage {
    /// A usage object read from its bytes. The usual shape (only the documented members, each a
    /// plain integer or null) is read by a byte scan; anything else goes through the full
    /// decoder, which keeps unknown members in `extra`. Nil when the bytes are not a usage object.
    public static func read(_ bytes: ArraySlice<UInt8>) -> Usage? {
        bytes.withUnsafeBufferPointer { read($0) }
    }

    /// `read(_:)` over bytes a caller holds by pointer.
    public static func read(_ bytes: UnsafeBufferPointer<UInt8>) -> Usage? {
        var scanner = UsageScanner(bytes: bytes)
        if let usage = scanner.usage() { return usage }
        return try? JSONCoding.decode(Usage.self, from: Array(bytes))
    }
}

/// Reads the usual usage object straight from its bytes: members of `topNames` (two of them
/// objects of detail counts), each a plain non-negative integer or null, whitespace anywhere
/// JSON allows it. Anything else (another member, a repeated one, an escaped key, a string, a
/// fraction, a sign) is not read (nil): the decoder reads it and keeps what this would lose.
/// The grammar it accepts is a strict subset of JSON, so it needs no separate validation.
private struct UsageScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    static let topNames: [[UInt8]] = ["prompt_tokens", "completion_tokens", "total_tokens", "prompt_tokens_details", "completion_tokens_details"]
        .map { Array($0.utf8) }
    static let promptDetailNames: [[UInt8]] = ["cached_tokens", "audio_tokens", "cache_creation_tokens"].map { Array($0.utf8) }
    static let completionDetailNames: [[UInt8]] = ["reasoning_tokens", "audio_tokens", "accepted_prediction_tokens", "rejected_prediction_tokens"]
        .map { Array($0.utf8) }

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Up to five counts by place (null or absent: nil). Fixed slots, so reading allocates nothing.
    struct Counts {
        private var slots: (Int?, Int?, Int?, Int?, Int?) = (nil, nil, nil, nil, nil)

        subscript(_ slot: Int) -> Int? {
            get {
                switch slot {
                case 0: slots.0
                case 1: slots.1
                case 2: slots.2
                case 3: slots.3
                default: slots.4
                }
            }
            set {
                switch slot {
                case 0: slots.0 = newValue
                case 1: slots.1 = newValue
                case 2: slots.2 = newValue
                case 3: slots.3 = newValue
                default: slots.4 = newValue
                }
            }
        }
    }

    mutating func usage() -> Usage? {
        var top = Counts()
        var promptDetails: Counts?
        var completionDetails: Counts?
        let read = object(Self.topNames) { scanner, slot -> Bool in
            switch slot {
            case 3:
                guard let counts = scanner.counts(Self.promptDetailNames) else { return false }
                promptDetails = counts
            case 4:
                guard let counts = scanner.counts(Self.completionDetailNames) else { return false }
                completionDetails = counts
            default:
                guard let value = scanner.integer() else { return false }
                top[slot] = value
            }
            return true
        }
        guard read else { return nil }
        skipWhitespace()
        guard index == bytes.count else { return nil }
        var usage = Usage(promptTokens: top[0] ?? 0, completionTokens: top[1] ?? 0, totalTokens: top[2])
        if let counts = promptDetails {
            usage.promptTokensDetails = Usage.PromptTokensDetails(cachedTokens: counts[0], audioTokens: counts[1], cacheCreationTokens: counts[2])
        }
        if let counts = completionDetails {
            usage.completionTokensDetails = Usage.CompletionTokensDetails(
                reasoningTokens: counts[0], audioTokens: counts[1], acceptedPredictionTokens: counts[2], rejectedPredictionTokens: counts[3])
        }
        return usage
    }

    /// An object of detail counts whose members are among `names`.
    mutating func counts(_ names: [[UInt8]]) -> Counts? {
        var counts = Counts()
        let read = object(names) { scanner, slot -> Bool in
            guard let value = scanner.integer() else { return false }
            counts[slot] = value
            return true
        }
        return read ? counts : nil
    }

    /// An object whose members are among `names`, each at most once; `value` reads each
    /// non-null value (false: not the usual shape). A null value is left unread (absent).
    mutating func object(_ names: [[UInt8]], value: (inout UsageScanner, Int) -> Bool) -> Bool {
        skipWhitespace()
        guard consume(UInt8(ascii: "{")) else { return false }
        var seen: UInt32 = 0
        skipWhitespace()
        if consume(UInt8(ascii: "}")) { return true }
        while true {
            skipWhitespace()
            guard let slot = key(names), seen & (1 << slot) == 0 else { return false }
            seen |= 1 << slot
            skipWhitespace()
            guard consume(UInt8(ascii: ":")) else { return false }
            skipWhitespace()
            if !literalNull() {
                guard value(&self, slot) else { return false }
            }
            skipWhitespace()
            if consume(UInt8(ascii: ",")) { continue }
            return consume(UInt8(ascii: "}"))
        }
    }

    /// A key without escapes that is one of `names`: its place there.
    mutating func key(_ names: [[UInt8]]) -> Int? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
            if bytes[index] == UInt8(ascii: "\\") || bytes[index] < 0x20 { return nil }
            index += 1
        }
        guard index < bytes.count else { return nil }
        let key = UnsafeBufferPointer(rebasing: bytes[start..<index])
        index += 1
        // Lengths first, then the bytes: a generic `elementsEqual` per name showed in profiles.
        return names.firstIndex { name in name.count == key.count && key.indices.allSatisfy { name[$0] == key[$0] } }
    }

    /// A plain non-negative integer of at most 18 digits (no sign, fraction or exponent).
    mutating func integer() -> Int? {
        let start = index
        var value = 0
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            guard index - start < 18 else { return nil }  // more could overflow
            value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
            index += 1
        }
        let digits = index - start
        guard digits > 0, digits == 1 || bytes[start] != UInt8(ascii: "0") else { return nil }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] | 0x20 == UInt8(ascii: "e") { return nil }
        return value
    }

    mutating func literalNull() -> Bool {
        guard index + 4 <= bytes.count, bytes[index] == UInt8(ascii: "n"), bytes[index + 1] == UInt8(ascii: "u"),
            bytes[index + 2] == UInt8(ascii: "l"), bytes[index + 3] == UInt8(ascii: "l")
        else { return false }
        index += 4
        return true
    }

    mutating func consume(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    mutating func skipWhitespace() {
        while index < bytes.count, JSONStrings.isWhitespace(bytes[index]) { index += 1 }
    }
}
