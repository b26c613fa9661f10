/// Word-at-a-time byte tests (eight bytes per step) for scans that run over every byte a gateway
/// relays, such as the SSE parser's line search. Each test says exactly whether some byte of the
/// word matches; a scan then finds which one byte by byte. The JSON scanner uses them inside a
/// string only once it has run 16 plain bytes: most strings are short keys and tokens, where a
/// word test per byte was slower than the byte loop.
enum WordScan {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Some byte of `word` is zero.
    @inline(__always) static func hasZero(_ word: UInt64) -> Bool {
        (word &- ones) & ~word & highs != 0
    }

    /// Some byte of `word` equals `byte`.
    @inline(__always) static func has(_ word: UInt64, _ byte: UInt8) -> Bool {
        hasZero(word ^ (ones &* UInt64(byte)))
    }

    /// Some byte of `word` is below `bound` (at most 128).
    @inline(__always) static func hasLess(_ word: UInt64, than bound: UInt8) -> Bool {
        (word &- ones &* UInt64(bound)) & ~word & highs != 0
    }

    /// The first index from `start` whose eight-byte word `stop` flags, or the index from which
    /// fewer than eight bytes remain: the bytes before it are all clear of what `stop` tests.
    @inline(__always) static func skip(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int, until stop: (UInt64) -> Bool) -> Int {
        guard let base = buffer.baseAddress else { return start }
        var index = start
        while index + 8 <= buffer.count {
            if stop(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)) { break }
            index += 8
        }
        return index
    }
}
