import Foundation
import SwitchyardMock
import Switchyard
import SwitchyardServer
import Testing

/// `/v1/messages`: Anthropic's Messages API answered by any deployment (here the mock).
@Suite("Anthropic Messages endpoint")
struct MessagesEndpointTests {
    func messages(_ json: String, key: String = masterKey) -> GatewayRequest {
        GatewayRequest(
            method: "POST", path: "/v1/messages",
            headers: ["x-api-key": key, "anthropic-version": "2023-06-01", "Content-Type": "application/json"], body: Array(json.utf8))
    }

    @Test("a plain request comes back as an Anthropic message, system prompt and usage included")
    func plain() async throws {
        let gateway = try makeGateway()
        let response = await gateway.handle(messages(
            #"{"model":"gpt-4o-mini","max_tokens":64,"system":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}}],"messages":[{"role":"user","content":"hello there"}]}"#))
        #expect(response.status == 200)
        let json = try #require(response.json)
        #expect(json["type"] == "message")
        #expect(json["role"] == "assistant")
        #expect(json["id"]?.stringValue?.hasPrefix("msg_") == true)
        #expect(json["content"]?.arrayValue?.first?["type"] == "text")
        #expect(json["content"]?.arrayValue?.first?["text"] == "Echo: hello there")
        #expect(json["stop_reason"] == "end_turn")
        #expect((json["usage"]?["input_tokens"]?.intValue ?? 0) > 0)
        #expect((json["usage"]?["output_tokens"]?.intValue ?? 0) > 0)
        #expect(response.headers["x-litellm-model-id"] == "mini-1")
    }

    @Test("a forced tool comes back as a tool_use block with its input object and stop_reason tool_use")
    func toolUse() async throws {
        let gateway = try makeGateway()
        let response = await gateway.handle(messages(#"""
            {"model":"gpt-4o-mini","max_tokens":64,"tool_choice":{"type":"any"},
             "tools":[{"name":"get_weather","description":"Weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}],
             "messages":[{"role":"user","content":"Weather in Paris?"}]}
            """#))
        #expect(response.status == 200)
        let json = try #require(response.json)
        let block = try #require(json["content"]?.arrayValue?.first { $0["type"] == "tool_use" })
        #expect(block["name"] == "get_weather")
        #expect(block["input"]?.objectValue != nil)
        #expect(block["id"]?.stringValue?.isEmpty == false)
        #expect(json["stop_reason"] == "tool_use")
    }

    @Test("a stream is Anthropic's event sequence, in order, with one message id")
    func streamed() async throws {
        let gateway = try makeGateway()
        let response = await gateway.handle(messages(
            #"{"model":"gpt-4o-mini","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"one two"}]}"#))
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == "text/event-stream")
        let text = try await response.collectStream()
        let names = text.split(separator: "\n").filter { $0.hasPrefix("event: ") }.map { String($0.dropFirst(7)) }
        #expect(names.first == "message_start")
        #expect(names.suffix(3) == ["content_block_stop", "message_delta", "message_stop"])
        #expect(names.filter { $0 == "content_block_start" }.count == 1)
        #expect(names.contains("content_block_delta"))
        #expect(text.contains(#""text":"Echo: ""#))
        #expect(text.contains(#""stop_reason":"end_turn""#))
    }

    @Test("a stream that breaks after it started ends with an error event and no message_stop")
    func streamBreaks() async throws {
        let gateway = try makeGateway()
        let response = await gateway.handle(messages(
            #"{"model":"dies","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"one two three"}]}"#))
        #expect(response.status == 200)
        let text = try await response.collectStream()
        #expect(text.contains("event: error"))
        #expect(text.contains(#""type":"error""#))
        #expect(!text.contains("message_stop"))
    }

    @Test("errors are in Anthropic's shape: bad key, unknown model, missing max_tokens, wrong method")
    func errors() async throws {
        let gateway = try makeGateway()
        let cases: [(GatewayRequest, Int, String)] = [
            (messages(#"{"model":"gpt-4o-mini","max_tokens":5,"messages":[]}"#, key: "wrong"), 401, "authentication_error"),
            (messages(#"{"model":"nope","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}"#), 400, "invalid_request_error"),
            (messages(#"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}"#), 400, "invalid_request_error"),
            (messages(#"{"model":"gpt-4o-mini","max_tokens":5,"messages":[{"role":"system","content":"hi"}]}"#), 400, "invalid_request_error"),
            (messages("not json"), 400, "invalid_request_error"),
            (GatewayRequest(method: "GET", path: "/v1/messages", headers: ["x-api-key": masterKey]), 405, "invalid_request_error"),
        ]
        for (request, status, type) in cases {
            let response = await gateway.handle(request)
            #expect(response.status == status)
            let json = try #require(response.json)
            #expect(json["type"] == "error")
            #expect(json["error"]?["type"]?.stringValue == type)
            #expect(json["error"]?["message"]?.stringValue?.isEmpty == false)
        }
    }

    @Test("every attempt failing answers with the upstream's status in Anthropic's shape")
    func upstreamFailure() async throws {
        let gateway = try makeGateway()
        let response = await gateway.handle(messages(#"{"model":"broken","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}"#))
        #expect(response.status == 500)
        #expect(response.json?["error"]?["type"] == "api_error")
    }

    @Test("count_tokens estimates the prompt for a routable model, and refuses an unknown one")
    func countTokens() async throws {
        let gateway = try makeGateway()
        func count(_ json: String) async -> GatewayResponse {
            await gateway.handle(GatewayRequest(
                method: "POST", path: "/v1/messages/count_tokens", headers: ["x-api-key": masterKey], body: Array(json.utf8)))
        }
        let short = await count(#"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}"#)
        let long = await count(#"{"model":"gpt-4o-mini","system":"You are a careful assistant who answers at length.","messages":[{"role":"user","content":"Tell me everything about the history of the Roman empire, please."}]}"#)
        let shortCount = try #require(short.json?["input_tokens"]?.intValue)
        let longCount = try #require(long.json?["input_tokens"]?.intValue)
        #expect(shortCount > 0 && longCount > shortCount + 10)
        let unknown = await count(#"{"model":"nope","messages":[{"role":"user","content":"hi"}]}"#)
        #expect(unknown.status == 400)
        #expect(unknown.json?["type"] == "error")
    }
}

/// `/v1/messages` to an Anthropic deployment: the body goes natively, the answer comes back as sent.
@Suite("Anthropic Messages endpoint, native")
struct NativeMessagesTests {
    func gateway(_ server: MockUpstreamServer) throws -> Gateway {
        try makeGateway([
            Deployment(
                modelName: "claude", params: .init(model: "anthropic/claude-sonnet-4-5", apiKey: "sk-ant", apiBase: "http://\(server.host):\(server.port)"),
                modelInfo: .init(id: "claude-1"))
        ])
    }

    func messages(_ json: String) -> GatewayRequest {
        GatewayRequest(
            method: "POST", path: "/v1/messages",
            headers: ["x-api-key": masterKey, "anthropic-version": "2023-06-01", "anthropic-beta": "context-management-2025-06-27"],
            body: Array(json.utf8))
    }

    @Test("what the translation cannot carry goes through natively: unknown block types and members")
    func lossless() async throws {
        let server = try await MockUpstreamServer.start()
        defer { Task { try? await server.shutdown() } }
        let gateway = try gateway(server)
        let response = await gateway.handle(messages(#"""
            {"model":"claude","max_tokens":32,"context_management":{"edits":[]},
             "system":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral","ttl":"1h"}}],
             "messages":[{"role":"user","content":[{"type":"search_result","source":"https://example.com","title":"t","content":[{"type":"text","text":"x"}]},{"type":"text","text":"natively"}]}]}
            """#))
        #expect(response.status == 200, "\(String(decoding: response.bodyBytes, as: UTF8.self))")
        #expect(response.json?["content"]?.arrayValue?.first?["text"] == "Echo: natively")
        #expect(response.json?["id"]?.stringValue?.hasPrefix("msg_mock_") == true)
        #expect(response.headers["x-litellm-model-id"] == "claude-1")
    }

    @Test("a native stream is the upstream's events, ping included, ending in message_stop")
    func nativeStream() async throws {
        let server = try await MockUpstreamServer.start()
        defer { Task { try? await server.shutdown() } }
        let gateway = try gateway(server)
        let response = await gateway.handle(messages(
            #"{"model":"claude","max_tokens":32,"stream":true,"messages":[{"role":"user","content":"one two"}]}"#))
        #expect(response.status == 200)
        let text = try await response.collectStream()
        let names = text.split(separator: "\n").filter { $0.hasPrefix("event: ") }.map { String($0.dropFirst(7)) }
        #expect(names.first == "message_start")
        #expect(names.contains("ping"), "the upstream's own events pass through")
        #expect(names.last == "message_stop")
        #expect(text.contains(#""text":"Echo: ""#))
    }

    @Test("an upstream error comes back in Anthropic's shape with its status")
    func upstreamError() async throws {
        let server = try await MockUpstreamServer.start()
        defer { Task { try? await server.shutdown() } }
        let gateway = try makeGateway([
            Deployment(
                modelName: "claude",
                params: .init(model: "anthropic/claude-sonnet-4-5", apiKey: "sk-ant", apiBase: "http://\(server.host):\(server.port)/fault/status=529", numRetries: 0),
                modelInfo: .init(id: "claude-1"))
        ])
        let response = await gateway.handle(messages(#"{"model":"claude","max_tokens":8,"messages":[{"role":"user","content":"hi"}]}"#))
        #expect(response.status == 529)
        #expect(response.json?["error"]?["type"] == "overloaded_error")
    }
}
