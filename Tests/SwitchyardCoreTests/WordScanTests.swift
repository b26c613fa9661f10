@testable import SwitchyardCore
import Testing

/// The word-at-a-time tests behind the SSE parser's line search: a byte they miss would be a
/// line break not seen.
@Suite("WordScan")
struct WordScanTests {
    static func word(filler: UInt8, byte: UInt8, at position: Int) -> UInt64 {
        var bytes = [UInt8](repeating: filler, count: 8)
        bytes[position] = byte
        return bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
    }

    @Test("every byte value at every position is found exactly when it should be (equal to a byte, below a bound)", arguments: [0x61, 0xFF, 0x80, 0x20] as [UInt8])
    func exact(filler: UInt8) {
        for position in 0..<8 {
            for value in 0...255 {
                let byte = UInt8(value)
                let word = Self.word(filler: filler, byte: byte, at: position)
                #expect(WordScan.has(word, 0x22) == (byte == 0x22 || filler == 0x22))
                #expect(WordScan.has(word, 0x0A) == (byte == 0x0A), "byte \(byte) at \(position)")
                #expect(WordScan.hasLess(word, than: 0x20) == (byte < 0x20 || filler < 0x20), "byte \(byte) at \(position)")
                #expect(WordScan.hasLess(word, than: 1) == (byte == 0), "byte \(byte) at \(position)")
            }
        }
    }

    @Test("skip stops at the word holding the byte, and leaves fewer than eight bytes to the caller")
    func skip() {
        let bytes = [UInt8](repeating: 0x61, count: 30) + [0x22] + [UInt8](repeating: 0x61, count: 5)
        bytes.withUnsafeBufferPointer { buffer in
            #expect(WordScan.skip(buffer, from: 0) { WordScan.has($0, 0x22) } == 24)
            #expect(WordScan.skip(buffer, from: 3) { WordScan.has($0, 0x22) } == 27)
            #expect(WordScan.skip(buffer, from: 31) { WordScan.has($0, 0x22) } == 31)
        }
    }

    @Test("SSE: a line break right after a line of any length is found, whatever its kind", arguments: ["\n", "\r", "\r\n"])
    func sseLineBreaks(_ lineBreak: String) throws {
        var text = ""
        for length in 0...40 {
            text += "data: \(String(repeating: "x", count: length))\(lineBreak)\(lineBreak)"
        }
        var parser = ServerSentEventParser()
        let events = try parser.parse(Array(text.utf8)) + parser.finish()
        #expect(events.map(\.data) == (0...40).map { String(repeating: "x", count: $0) })
    }
}
