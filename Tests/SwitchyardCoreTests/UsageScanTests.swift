import SwitchyardCore
import Testing

/// The byte-scan reading of `usage` must give exactly what the full decoder gives, and leave
/// every shape it cannot read losslessly to the decoder.
@Suite("Usage read from bytes")
struct UsageScanTests {
    static let usual = [
        #"{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29}"#,
        #"{"prompt_tokens": 1117, "completion_tokens": 46, "total_tokens": 1163, "prompt_tokens_details": {"cached_tokens": 1024, "audio_tokens": 0}, "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0, "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}}"#,
        #"{"prompt_tokens":5,"completion_tokens":7}"#,
        #"{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12,"prompt_tokens_details":null,"completion_tokens_details":null}"#,
        #"{"prompt_tokens":5,"completion_tokens":null,"total_tokens":5,"prompt_tokens_details":{"cached_tokens":null}}"#,
        #"{"prompt_tokens":5,"completion_tokens":7,"prompt_tokens_details":{"cache_creation_tokens":3}}"#,
        " {\n \"completion_tokens\" : 7 ,\t\"prompt_tokens\":0, \"prompt_tokens_details\" : { } } ",
        #"{"prompt_tokens":999999999999999999,"completion_tokens":7}"#,
        "{}",
    ]

    static let unusual = [
        #"{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12,"cost":0.0012}"#,
        #"{"prompt_tokens":5,"completion_tokens":7,"prompt_tokens_details":{"cached_tokens":1,"text_tokens":4}}"#,
        #"{"prompt_tokens":5.0,"completion_tokens":7}"#,
        #"{"prompt_tokens":-5,"completion_tokens":7}"#,
        #"{"prompt_tokens":5,"prompt_tokens":6,"completion_tokens":7}"#,
        #"{"prompt_tokens":"5","completion_tokens":7}"#,
        #"{"prompt_tokens":5e2,"completion_tokens":7}"#,
        #"{"prompt_\u0074okens":5,"completion_tokens":7}"#,
        #"{"prompt_tokens":5,"completion_tokens":7,"completion_tokens_details":{"reasoning_tokens":1,"reasoning_tokens":2}}"#,
        #"{"prompt_tokens":5,"completion_tokens":7,"completion_tokens_details":[1]}"#,
        #"{"prompt_tokens":123456789012345678901234,"completion_tokens":7}"#,
        #"{"prompt_tokens":05,"completion_tokens":7}"#,
        #"{"prompt_tokens":5,"completion_tokens":7} x"#,
    ]

    @Test("the usual shapes read by scan equal the decoder's reading", arguments: usual)
    func usualShapes(_ json: String) throws {
        let bytes = Array(json.utf8)
        let decoded = try JSONCoding.decode(Usage.self, from: bytes)
        #expect(Usage.read(bytes[...]) == decoded)
    }

    @Test("other shapes still read as the decoder reads them, extra members kept", arguments: unusual)
    func unusualShapes(_ json: String) {
        let bytes = Array(json.utf8)
        let decoded = try? JSONCoding.decode(Usage.self, from: bytes)
        #expect(Usage.read(bytes[...]) == decoded)
    }

    @Test("an unknown member survives")
    func unknownMemberKept() {
        let usage = Usage.read(Array(#"{"prompt_tokens":5,"completion_tokens":7,"cost":0.5}"#.utf8)[...])
        #expect(usage?.promptTokens == 5)
        #expect(usage?.extra["cost"] == .double(0.5))
    }

    @Test("bytes that are not a usage object read as nil")
    func notUsage() {
        #expect(Usage.read(Array("[1,2]".utf8)[...]) == nil)
        #expect(Usage.read(Array("{\"prompt_tokens\":".utf8)[...]) == nil)
    }
}
