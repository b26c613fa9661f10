import Synchronization

/// Request ids: random-looking version-4 UUIDs in lowercase, the shape LiteLLM's
/// `x-litellm-call-id` has. They need to be unique, not secret: a counter from a random start,
/// mixed by SplitMix64, gives distinct ids with no system call (Foundation's `UUID()` opens,
/// reads and closes `/dev/urandom` on Linux for every one).
enum RequestID {
    private static let counter = Atomic<UInt64>(0)
    private static let seed: UInt64 = {
        var generator = SystemRandomNumberGenerator()
        return generator.next()
    }()

    static func make() -> String {
        let n = counter.wrappingAdd(1, ordering: .relaxed).newValue
        var bytes = (mix(seed &+ n), mix(seed ^ (n &* 0xD134_2543_DE82_EF95)))
        return withUnsafeMutableBytes(of: &bytes) { raw -> String in
            raw[6] = (raw[6] & 0x0F) | 0x40  // version 4
            raw[8] = (raw[8] & 0x3F) | 0x80  // RFC 4122 variant
            let hex: StaticString = "0123456789abcdef"
            return hex.withUTF8Buffer { digits in
                // Written straight into the string's storage: one allocation, no byte array.
                String(unsafeUninitializedCapacity: 36) { text in
                    var at = 0
                    for index in 0..<16 {
                        if index == 4 || index == 6 || index == 8 || index == 10 {
                            text[at] = UInt8(ascii: "-")
                            at += 1
                        }
                        text[at] = digits[Int(raw[index] >> 4)]
                        text[at + 1] = digits[Int(raw[index] & 0x0F)]
                        at += 2
                    }
                    return at
                }
            }
        }
    }

    /// SplitMix64's finalizer: a bijection on 64-bit values, so distinct inputs stay distinct.
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
