import Foundation
import SwitchyardCore
import SwitchyardProviders
import Testing

/// The mock upstream's Anthropic API refuses what the real one refuses, so a wrong translation
/// fails a test instead of passing silently.
@Suite("Mock Anthropic Messages API")
struct MockAnthropicTests {
    let mock = MockResponder()
    let headers: HeaderFields = ["x-api-key": "sk-ant", "anthropic-version": "2023-06-01", "content-type": "application/json"]

    func send(_ json: String, headers: HeaderFields? = nil, path: String = "/v1/messages") -> (status: Int, body: JSONValue?, events: [[UInt8]]) {
        switch mock.respond(method: "POST", path: path, headers: headers ?? self.headers, body: Array(json.utf8), now: 1_700_000_000) {
        case .answer(let status, _, let body, _, _):
            return (status, try? JSONCoding.decode(JSONValue.self, from: body), [])
        case .stream(_, let events, _, _, _):
            return (200, nil, events)
        case .hang:
            return (0, nil, [])
        }
    }

    @Test("a valid request is answered as an Anthropic message")
    func answers() {
        let (status, body, _) = send(#"{"model":"claude-sonnet-4-5","max_tokens":32,"system":"be brief","messages":[{"role":"user","content":"hi there"}]}"#)
        #expect(status == 200)
        #expect(body?["type"] == "message")
        #expect(body?["content"]?.arrayValue?.first?["text"] == "Echo: hi there")
        #expect(body?["stop_reason"] == "end_turn")
    }

    @Test("what the real API refuses, the mock refuses, in Anthropic's error shape", arguments: [
        (#"{"model":"c","max_tokens":8,"messages":[{"role":"user","content":"hi"}]}"#, ["anthropic-version": "2023-06-01"], 401, "x-api-key"),
        (#"{"model":"c","max_tokens":8,"messages":[{"role":"user","content":"hi"}]}"#, ["x-api-key": "k"], 400, "anthropic-version"),
        (#"{"model":"c","messages":[{"role":"user","content":"hi"}]}"#, nil, 400, "max_tokens"),
        (#"{"model":"c","max_tokens":8,"messages":[{"role":"system","content":"be"},{"role":"user","content":"hi"}]}"#, nil, 400, "role"),
        (#"{"model":"c","max_tokens":8,"n":2,"messages":[{"role":"user","content":"hi"}]}"#, nil, 400, "n: Extra inputs are not permitted"),
        (#"{"model":"c","max_tokens":8,"response_format":{"type":"json_object"},"messages":[{"role":"user","content":"hi"}]}"#, nil, 400, "response_format"),
        (#"{"model":"c","max_tokens":8,"messages":[{"role":"user","content":[{"type":"tool_result","content":"x"}]}]}"#, nil, 400, "tool_use_id"),
        (#"{"model":"c","max_tokens":8,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_x","content":"x"}]}]}"#, nil, 400, "corresponding `tool_use`"),
        (#"{"model":"c","max_tokens":8,"messages":[{"role":"user","content":"q"},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"f","input":{}}]},{"role":"user","content":"no result"}]}"#, nil, 400, "without `tool_result`"),
        (#"{"model":"c","max_tokens":8,"messages":[]}"#, nil, 400, "at least one message"),
    ] as [(String, HeaderFields?, Int, String)])
    func refuses(_ json: String, headers: HeaderFields?, status: Int, mention: String) {
        let (got, body, _) = send(json, headers: headers)
        #expect(got == status)
        #expect(body?["type"] == "error")
        #expect(body?["error"]?["message"]?.stringValue?.contains(mention) == true, "\(String(describing: body))")
    }

    @Test("a stream is the full event sequence with a ping, ending in message_stop")
    func streams() throws {
        let (_, _, events) = send(#"{"model":"c","max_tokens":32,"stream":true,"messages":[{"role":"user","content":"a b"}]}"#)
        let names = events.map { String(decoding: $0, as: UTF8.self) }.flatMap { $0.split(separator: "\n") }
            .filter { $0.hasPrefix("event: ") }.map { String($0.dropFirst(7)) }
        #expect(names.first == "message_start")
        #expect(names[1] == "ping")
        #expect(names.last == "message_stop")
        #expect(names.contains("content_block_delta"))
    }

    @Test("faults come back as Anthropic errors: overloaded 529, rate limit 429, prompt too long")
    func faults() {
        let ok = #"{"model":"c","max_tokens":8,"messages":[{"role":"user","content":"hi"}]}"#
        let overloaded = send(ok, path: "/fault/status=529/v1/messages")
        #expect(overloaded.status == 529)
        #expect(overloaded.body?["error"]?["type"] == "overloaded_error")
        let limited = send(ok, path: "/fault/rate_limit;retry_after=2/v1/messages")
        #expect(limited.status == 429)
        #expect(limited.body?["error"]?["type"] == "rate_limit_error")
        let long = send(ok, path: "/fault/context_window/v1/messages")
        #expect(long.status == 400)
        #expect(long.body?["error"]?["message"]?.stringValue?.hasPrefix("prompt is too long") == true)
    }
}
