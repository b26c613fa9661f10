import Foundation
import Switchyard
import SwitchyardConfig
import SwitchyardServer
import Testing

@Suite("Gateway: routes, auth, errors, headers")
struct GatewayTests {
    @Test("a chat completion answers with LiteLLM's headers")
    func chat() async throws {
        let gateway = try makeGateway()
        let response = await gateway.handle(post("/v1/chat/completions", json: #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}"#))
        #expect(response.status == 200)
        #expect(response.json?["choices"]?.arrayValue?.first?["message"]?["content"] == "Echo: hi")
        #expect(response.headers["x-litellm-model-group"] == "gpt-4o-mini")
        #expect(response.headers["x-litellm-model-id"] == "mini-1")
        #expect(response.headers["x-litellm-model-api-base"] == "mock://switchyard/v1")
        #expect(response.headers["x-litellm-attempted-retries"] == "0")
        #expect(response.headers["x-litellm-attempted-fallbacks"] == "0")
        #expect(response.headers["x-litellm-response-duration-ms"] != nil && response.headers["x-litellm-overhead-duration-ms"] != nil)
        #expect(response.headers["x-request-id"] == response.headers["x-litellm-call-id"])
        #expect(response.headers["Content-Type"] == "application/json")
    }

    @Test("a generated request id is a lowercase version-4 UUID, different for every request")
    func generatedRequestID() async throws {
        let gateway = try makeGateway()
        var seen: Set<String> = []
        for _ in 0..<200 {
            let response = await gateway.handle(get("/health/liveliness"))
            let id = try #require(response.headers["x-request-id"])
            #expect(id == id.lowercased() && id.count == 36)
            let uuid = try #require(UUID(uuidString: id))
            #expect(uuid.uuid.6 >> 4 == 4)
            #expect(uuid.uuid.8 >> 6 == 0b10)
            seen.insert(id)
        }
        #expect(seen.count == 200)
    }

    @Test("the client's x-request-id is kept")
    func requestID() async throws {
        let gateway = try makeGateway()
        var request = post("/chat/completions", json: #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}"#)
        request.headers.add("x-request-id", "abc-123")
        let response = await gateway.handle(request)
        #expect(response.headers["x-request-id"] == "abc-123")
        #expect(response.headers["x-litellm-call-id"] == "abc-123")
    }

    @Test("the master key is accepted as Bearer, x-api-key and api-key; missing or wrong is a 401")
    func auth() async throws {
        let gateway = try makeGateway()
        let body = #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}"#
        let accepted: [HeaderFields] = [
            ["Authorization": "Bearer \(masterKey)"], ["x-api-key": masterKey], ["api-key": masterKey],
            ["Authorization": "bearer \(masterKey)"], ["Authorization": "  BEARER   \(masterKey)  "], ["Authorization": masterKey],
        ]
        for headers in accepted {
            #expect(await gateway.handle(post("/v1/chat/completions", json: body, headers: headers)).status == 200, "\(headers)")
        }
        let refused: [HeaderFields] = [
            [:], ["Authorization": "Bearer sk-wrong"], ["x-api-key": masterKey + "x"], ["Authorization": "Bearer "], ["Authorization": ""],
            ["Authorization": "Bearer \(masterKey.dropLast())"], ["Authorization": "Basic \(masterKey)"], ["x-api-key": ""],
            ["Authorization": "Bearer sk-wrong", "x-api-key": masterKey],
        ]
        for headers in refused {
            let response = await gateway.handle(post("/v1/chat/completions", json: body, headers: headers))
            #expect(response.status == 401)
            #expect(response.json?["error"]?["type"] == "authentication_error")
            #expect(response.json?["error"]?["code"] == "401")
        }
        #expect(await gateway.handle(get("/health/liveliness", headers: [:])).status == 200, "liveness needs no key")
        #expect(await gateway.handle(get("/health/readiness", headers: [:])).status == 200)
        #expect(await gateway.handle(get("/health", headers: [:])).status == 401)
        let open = try makeGateway(masterKey: nil)
        #expect(await open.handle(post("/v1/chat/completions", json: body, headers: [:])).status == 200)
    }

    @Test("bad requests are 400s in OpenAI's shape, naming what is wrong", arguments: [
        (#"{"model":"gpt-4o-mini","messages":["#, nil as String?, "not valid JSON"),
        (#"{"model":"gpt-4o-mini"}"#, "messages", "messages"),
        (#"{"messages":[{"role":"user","content":"x"}]}"#, "model", "model"),
        (#"{"model":"gpt-4o-mini","messages":[]}"#, "messages", "empty"),
        (#"{"model":"gpt-4o-mini","messages":"hello"}"#, "messages", "Invalid type for 'messages'"),
        (#"{"model":"no-such-model","messages":[{"role":"user","content":"x"}]}"#, "model", "no-such-model"),
        ("", nil, "empty"),
    ])
    func badRequests(body: String, param: String?, fragment: String) async throws {
        let gateway = try makeGateway()
        let response = await gateway.handle(post("/v1/chat/completions", json: body))
        #expect(response.status == 400)
        let error = try #require(response.json?["error"])
        #expect(error["type"] == "invalid_request_error")
        #expect(error["message"]?.stringValue?.contains(fragment) == true, "\(error)")
        if let param { #expect(error["param"]?.stringValue == param) }
    }

    @Test("unknown routes are 404 and wrong methods 405, both as OpenAI errors")
    func routes() async throws {
        let gateway = try makeGateway()
        let missing = await gateway.handle(get("/v1/nothing"))
        #expect(missing.status == 404)
        #expect(missing.json?["error"]?["code"] == "404")
        // Answers that never reach an endpoint carry the request's id too, once each.
        let id = try #require(missing.headers["x-request-id"])
        #expect(missing.headers["x-litellm-call-id"] == id)
        #expect(missing.headers.fields.filter { $0.name == "x-request-id" }.count == 1)
        let wrong = await gateway.handle(get("/v1/chat/completions"))
        #expect(wrong.status == 405)
        #expect(wrong.headers["Allow"] == "POST")
        #expect(wrong.json?["error"]?["message"]?.stringValue?.contains("POST") == true)
    }

    @Test("every deployment failing answers with the primary error's status and what was tried")
    func allFailed() async throws {
        let gateway = try makeGateway()
        let response = await gateway.handle(post("/v1/chat/completions", json: #"{"model":"broken","messages":[{"role":"user","content":"x"}]}"#))
        #expect(response.status == 500)
        let message = try #require(response.json?["error"]?["message"]?.stringValue)
        #expect(message.contains("broken-1") && message.contains("No fallback was attempted"))
    }

    @Test("a failed answer carries LiteLLM's headers too: group, last deployment, retries, fallbacks, timings")
    func failureHeaders() async throws {
        var settings = RouterSettings()
        settings.fallbacks = ["limited": ["broken"]]
        let gateway = try makeGateway(
            defaultDeployments + [
                Deployment(modelName: "limited", params: .init(model: "mock/limited", numRetries: 1, extra: ["mock_fault": "status=429"]), modelInfo: .init(id: "limited-1"))
            ], settings: settings)
        let response = await gateway.handle(post("/v1/chat/completions", json: #"{"model":"limited","messages":[{"role":"user","content":"x"}]}"#))
        #expect(response.status == 429)
        #expect(response.headers["x-litellm-model-group"] == "limited")
        #expect(response.headers["x-litellm-model-id"] == "broken-1")  // the last one tried
        #expect(response.headers["x-litellm-attempted-retries"] == "1")
        #expect(response.headers["x-litellm-attempted-fallbacks"] == "1")
        #expect(response.headers["x-litellm-response-duration-ms"] != nil && response.headers["x-litellm-overhead-duration-ms"] != nil)
        #expect(response.headers["x-request-id"] == response.headers["x-litellm-call-id"])

        let plain = await gateway.handle(post("/v1/chat/completions", json: #"{"model":"broken","messages":[{"role":"user","content":"x"}]}"#))
        #expect(plain.status == 500)
        #expect(plain.headers["x-litellm-model-group"] == "broken")
        #expect(plain.headers["x-litellm-model-id"] == "broken-1")
        #expect(plain.headers["x-litellm-attempted-retries"] == "0" && plain.headers["x-litellm-attempted-fallbacks"] == "0")
    }

    @Test("the upstream's rate-limit headers pass through, on success and on a 429")
    func rateLimitHeaders() async throws {
        let gateway = try makeGateway(
            defaultDeployments + [
                Deployment(modelName: "limited", params: .init(model: "mock/limited", numRetries: 0, extra: ["mock_fault": "status=429"]), modelInfo: .init(id: "limited-1"))
            ])
        let ok = await gateway.handle(post("/v1/chat/completions", json: #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"x"}]}"#))
        #expect(ok.headers["x-ratelimit-remaining-requests"] == "9999")
        #expect(ok.headers["x-ratelimit-limit-requests"] == "10000")
        #expect(ok.headers["llm_provider-x-ratelimit-remaining-requests"] == "9999")
        let limited = await gateway.handle(post("/v1/chat/completions", json: #"{"model":"limited","messages":[{"role":"user","content":"x"}]}"#))
        #expect(limited.status == 429)
        #expect(limited.headers["x-ratelimit-remaining-requests"] == "0")
        #expect(limited.headers["x-ratelimit-reset-requests"] == "6s")
        #expect(limited.headers["llm_provider-x-ratelimit-remaining-requests"] == "0")
    }

    @Test("a fallback shows in the headers")
    func fallbackHeaders() async throws {
        var settings = RouterSettings()
        settings.fallbacks = ["broken": ["gpt-4o-mini"]]
        let gateway = try makeGateway(settings: settings)
        let response = await gateway.handle(post("/v1/chat/completions", json: #"{"model":"broken","messages":[{"role":"user","content":"x"}]}"#))
        #expect(response.status == 200)
        #expect(response.headers["x-litellm-attempted-fallbacks"] == "1")
        #expect(response.headers["x-litellm-model-group"] == "gpt-4o-mini")
    }

    @Test("streaming is SSE in OpenAI's framing, ending with [DONE]")
    func streaming() async throws {
        let gateway = try makeGateway()
        let response = await gateway.handle(post("/v1/chat/completions", json: #"{"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"a b"}]}"#))
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == "text/event-stream")
        #expect(response.headers["x-litellm-model-id"] == "mini-1")
        let text = try await response.collectStream()
        let events = text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
        #expect(events.allSatisfy { $0.hasPrefix("data: ") })
        #expect(events.last == "data: [DONE]")
        var parser = ServerSentEventParser()
        let parsed = try parser.parse(Array(text.utf8))
        let chunks = try parsed.filter { !$0.isDone }.map { try JSONCoding.decode(ChatChunk.self, from: Array($0.data.utf8)) }
        #expect(chunks.compactMap { $0.choices.first?.delta.content }.joined() == "Echo: a b")
        #expect(chunks.last?.usage != nil && chunks.last?.choices.isEmpty == true)
    }

    @Test("a stream that fails after it started ends with an error event and no [DONE]")
    func streamError() async throws {
        let gateway = try makeGateway()
        let response = await gateway.handle(post("/v1/chat/completions", json: #"{"model":"dies","stream":true,"messages":[{"role":"user","content":"one two three"}]}"#))
        #expect(response.status == 200)
        let text = try await response.collectStream()
        #expect(!text.contains("[DONE]"))
        let last = try #require(text.components(separatedBy: "\n\n").filter { !$0.isEmpty }.last)
        let error = try JSONCoding.decode(JSONValue.self, from: Array(last.dropFirst("data: ".count).utf8))
        #expect(error["error"]?["message"]?.stringValue?.contains("broke") == true)
    }

    @Test("embeddings, and the Azure-style path that carries the model")
    func embeddingsAndAzurePath() async throws {
        let gateway = try makeGateway()
        let response = await gateway.handle(post("/v1/embeddings", json: #"{"model":"embed","input":["a","b"]}"#))
        #expect(response.status == 200)
        #expect(response.json?["data"]?.arrayValue?.count == 2)
        let azure = await gateway.handle(post("/openai/deployments/gpt-4o-mini/chat/completions", json: #"{"messages":[{"role":"user","content":"az"}]}"#))
        #expect(azure.status == 200)
        #expect(azure.json?["choices"]?.arrayValue?.first?["message"]?["content"] == "Echo: az")
        let azureEmbed = await gateway.handle(post("/openai/deployments/embed/embeddings", json: #"{"input":"a"}"#))
        #expect(azureEmbed.status == 200)
    }

    @Test("the model list and one model")
    func models() async throws {
        var settings = RouterSettings()
        settings.modelGroupAlias = ["gpt-4": "gpt-4o-mini"]
        let gateway = try makeGateway(settings: settings)
        let list = await gateway.handle(get("/v1/models"))
        #expect(list.json?["object"] == "list")
        #expect(list.json?["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["gpt-4o-mini", "broken", "embed", "dies", "gpt-4"])
        #expect(await gateway.handle(get("/models/gpt-4o-mini")).json?["id"] == "gpt-4o-mini")
        #expect(await gateway.handle(get("/v1/models/nope")).status == 404)
    }

    @Test("/health calls every deployment and reports which answered")
    func health() async throws {
        let gateway = try makeGateway()
        let report = await gateway.handle(get("/health"))
        #expect(report.json?["healthy_count"] == 2)
        #expect(report.json?["unhealthy_count"] == 2, "broken answers 500; dies breaks its answer off")
        let unhealthy = report.json?["unhealthy_endpoints"]?.arrayValue?.first
        #expect(unhealthy?["model_id"] == "broken-1")
        #expect(report.json?["healthy_endpoints"]?.arrayValue?.compactMap { $0["model_id"]?.stringValue } == ["mini-1", "embed-1"])
        #expect(unhealthy?["error"]?.stringValue?.contains("500") == true)
        let one = await gateway.handle(get("/health", query: ["model": "embed"]))
        #expect(one.json?["healthy_count"] == 1 && one.json?["unhealthy_count"] == 0)
    }

    @Test("a reload swaps the config atomically; a config that cannot make a router keeps the old one")
    func reload() async throws {
        let gateway = try makeGateway()
        try gateway.reload(GatewayConfig(modelList: [Deployment(modelName: "fresh", params: .init(model: "mock/fresh"))], server: ServerSettings(masterKey: masterKey)))
        #expect(await gateway.handle(get("/v1/models")).json?["data"]?.arrayValue?.count == 1)
        #expect(throws: GatewayError.self) { try gateway.reload(GatewayConfig(modelList: [])) }
        #expect(await gateway.handle(get("/v1/models")).json?["data"]?.arrayValue?.first?["id"] == "fresh")
    }
}
