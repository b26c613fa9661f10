/// A small deterministic random source (SplitMix64), so a failing case can be reproduced from
/// its seed. Shared by the test targets.
public struct SplitMix64: RandomNumberGenerator {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// `bytes` cut into consecutive pieces of random sizes in `1...maxPiece`.
public func randomSplits(_ bytes: [UInt8], maxPiece: Int, seed: UInt64) -> [[UInt8]] {
    var generator = SplitMix64(seed: seed)
    var pieces: [[UInt8]] = []
    var index = 0
    while index < bytes.count {
        let end = min(bytes.count, index + Int.random(in: 1...max(1, maxPiece), using: &generator))
        pieces.append(Array(bytes[index..<end]))
        index = end
    }
    return pieces
}
