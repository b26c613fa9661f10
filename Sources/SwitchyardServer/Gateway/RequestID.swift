/// Request ids: random UUIDs (version 4) in lowercase, the shape LiteLLM's `x-litellm-call-id`
/// has. Made from the system generator directly: Foundation's `UUID()` opens, reads and closes
/// `/dev/urandom` on Linux, three system calls per request.
enum RequestID {
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = (generator.next() as UInt64, generator.next() as UInt64)
        return withUnsafeMutableBytes(of: &bytes) { raw -> String in
            raw[6] = (raw[6] & 0x0F) | 0x40  // version 4
            raw[8] = (raw[8] & 0x3F) | 0x80  // RFC 4122 variant
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            var text: [UInt8] = []
            text.reserveCapacity(36)
            for index in 0..<16 {
                if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
                text.append(hex[Int(raw[index] >> 4)])
                text.append(hex[Int(raw[index] & 0x0F)])
            }
            return String(decoding: text, as: UTF8.self)
        }
    }
}
