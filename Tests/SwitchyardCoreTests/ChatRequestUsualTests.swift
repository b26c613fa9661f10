@testable import SwitchyardCore
import Testing

/// `ChatRequest.decoded(from:)` reads the usual request without the decoder: it must give the
/// decoder's request for every body, and the decoder's error for every body the decoder refuses.
@Suite("ChatRequest, the usual shape")
struct ChatRequestUsualTests {
    static let usual: [String] = [
        #"{"model":"m","messages":[{"role":"user","content":"hi"}]}"#,
        #"{"model":"claude-bench","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Explain \"proxies\" \u00e9\n😀"}],"temperature":0.2,"max_tokens":128}"#,
        #"{"messages":[{"role":"assistant","content":null,"name":"bot","refusal":"no","reasoning_content":"r"},{"role":"tool","content":"42","tool_call_id":"call_1"}],"model":"m"}"#,
        #"{"model":"m","messages":[],"temperature":1,"top_p":null,"presence_penalty":-0.5,"frequency_penalty":2,"n":2,"max_completion_tokens":10,"seed":-7,"top_logprobs":3,"logprobs":true,"stream":false,"parallel_tool_calls":false,"store":true}"#,
        #"{"model":"m","messages":[{"role":"developer","content":"x"}],"user":"u","reasoning_effort":"low","verbosity":"high","safety_identifier":"s","prompt_cache_key":"k","prompt_cache_retention":"24h","service_tier":"auto","stream":true}"#,
        #"{"model":"m","messages":[{"role":"user","content":"a","name":null}],"user":null,"max_tokens":null,"stream":null}"#,
        // An integral number is parsed as an integer (as Foundation reads it), so it reads as one.
        #"{"model":"m","messages":[{"role":"user","content":"hi"}],"max_tokens":128.0}"#,
    ]

    /// Bodies the usual reader leaves to the decoder: other members, other types, parts, tools.
    static let other: [String] = [
        #"{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}]}"#,
        #"{"model":"m","messages":[{"role":"user","content":"hi","cache_control":{"type":"ephemeral"}}]}"#,
        #"{"model":"m","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f"}}]}"#,
        #"{"model":"m","messages":[{"role":"user","content":"hi"}],"num_retries":2,"fallbacks":["b"]}"#,
        #"{"model":"m","messages":[{"role":"user","content":"hi"}],"stop":["\n"],"response_format":{"type":"json_object"}}"#,
        #"{"model":"m","messages":[{"role":"user","content":"hi"}],"metadata":{"a":1},"logit_bias":{"50256":-100}}"#,
        // A repeated member: the decoder keeps its first value.
        #"{"model":"m","messages":[{"role":"user","content":"hi"}],"temperature":0.1,"temperature":0.9}"#,
        #"{"model":"m","messages":[{"role":"user","content":"first","content":"second"}]}"#,
        #"{"model":"a","model":"b","messages":[{"role":"user","content":"hi"}]}"#,
    ]

    /// Bodies the decoder refuses: the usual reader must not accept any of them.
    static let refused: [String] = [
        "", "[]", #"{"model":"m"}"#, #"{"messages":[]}"#, #"{"model":1,"messages":[]}"#,
        #"{"model":"m","messages":[{"content":"no role"}]}"#, #"{"model":"m","messages":[{"role":null,"content":"x"}]}"#,
        #"{"model":"m","messages":[{"role":"user","content":1}]}"#, #"{"model":"m","messages":{}}"#,
        #"{"model":"m","messages":[],"temperature":"hot"}"#, #"{"model":"m","messages":[],"stream":"yes"}"#,
        #"{"model":"m","messages":[],"n":1.5}"#, #"{"model":"m","messages":[],"user":7}"#, #"{"model":"m","messages":[1]}"#,
        // Strings the parse refuses: invalid UTF-8 escaped as a lone surrogate.
        #"{"model":"m","messages":[{"role":"user","content":"\ud800"}]}"#,
    ]

    @Test("the usual shape is read without the decoder, and equals the decoder's request", arguments: usual)
    func usualShape(_ body: String) throws {
        let bytes = Array(body.utf8)
        let scan = try #require(JSONObjectScan(bytes))
        #expect(ChatRequest(usual: scan) != nil, "read by the usual reader")
        #expect(try ChatRequest.decoded(from: bytes) == JSONCoding.decode(ChatRequest.self, from: bytes))
        #expect(try ChatRequest.decoded(from: scan) == JSONCoding.decode(ChatRequest.self, from: bytes), "from the server's scan")
    }

    @Test("any other body is left to the decoder, with the same result", arguments: other)
    func otherShapes(_ body: String) throws {
        let bytes = Array(body.utf8)
        let scan = try #require(JSONObjectScan(bytes))
        #expect(ChatRequest(usual: scan) == nil)
        #expect(try ChatRequest.decoded(from: bytes) == JSONCoding.decode(ChatRequest.self, from: bytes))
        #expect(try ChatRequest.decoded(from: scan) == JSONCoding.decode(ChatRequest.self, from: bytes), "from the server's scan")
    }

    @Test("a body the decoder refuses is refused with the decoder's error", arguments: refused)
    func refusedBodies(_ body: String) throws {
        let bytes = Array(body.utf8)
        if let scan = JSONObjectScan(bytes) { #expect(ChatRequest(usual: scan) == nil) }
        let expected = #expect(throws: (any Error).self) { try JSONCoding.decode(ChatRequest.self, from: bytes) }
        let actual = #expect(throws: (any Error).self) { try ChatRequest.decoded(from: bytes) }
        #expect(actual.map { JSONCoding.describe($0) } == expected.map { JSONCoding.describe($0) })
    }

    @Test("a string of invalid UTF-8 is refused with the decoder's error, wherever it is")
    func invalidUTF8() throws {
        for body in [#"{"model":"m","messages":[{"role":"user","content":"?"}]}"#, #"{"model":"?","messages":[]}"#] {
            // The `?` replaced by a lone continuation byte.
            let bytes = Array(body.utf8).map { $0 == UInt8(ascii: "?") ? 0x80 : $0 }
            let expected = #expect(throws: (any Error).self) { try JSONCoding.decode(ChatRequest.self, from: bytes) }
            let actual = #expect(throws: (any Error).self) { try ChatRequest.decoded(from: bytes) }
            #expect(actual.map { JSONCoding.describe($0) } == expected.map { JSONCoding.describe($0) })
        }
    }
}
