import Foundation
import Switchyard
import SwitchyardCore
import SwitchyardMock
import SwitchyardProviders
import Testing

/// The router against a real HTTP server on loopback that fails, delays, rate-limits and
/// breaks streams on purpose.
@Suite("Router over real HTTP")
struct RouterLiveTests {
    @Test("a plain completion comes back with its routing metadata")
    func completion() async throws {
        try await withMockUpstream { server in
            let router = try Router(modelList: [httpDeployment("gpt", "d1", server)], environment: [:])
            let response = try await router.completion(model: "gpt", messages: [.system("Be brief."), .user("Hello there")])
            #expect(response.choices[0].message.content == .text("Echo: Hello there"))
            #expect(response.choices[0].finishReason == "stop")
            #expect(response.usage?.totalTokens ?? 0 > 0)
            #expect(response.metadata.modelGroup == "gpt")
            #expect(response.metadata.deploymentID == "d1")
            #expect(response.metadata.apiBase == server.baseURL)
            #expect(response.metadata.provider == "openai")
            #expect(response.metadata.attempts.count == 1)
            #expect(response.metadata.retries == 0 && response.metadata.fallbacks == 0)
            #expect(response.metadata.upstreamHeaders["content-type"] == "application/json")
        }
    }

    @Test("a failing deployment is retried on the healthy one of its group")
    func retryOnOtherDeployment() async throws {
        try await withMockUpstream { server in
            var settings = RouterSettings()
            settings.routingStrategy = .leastBusy  // deterministic: the first listed (failing) one goes first
            let router = try Router(
                modelList: [httpDeployment("gpt", "broken", server, fault: "status=500"), httpDeployment("gpt", "ok", server)],
                settings: settings, environment: [:])
            let response = try await router.completion(model: "gpt", messages: [.user("hi")])
            #expect(response.metadata.deploymentID == "ok")
            #expect(response.metadata.attempts.map(\.deploymentID) == ["broken", "ok"])
            #expect(response.metadata.attempts[0].failure?.status == 500)
            #expect(response.metadata.retries == 1)
        }
    }

    @Test("a group that keeps failing falls back to the next group")
    func fallback() async throws {
        try await withMockUpstream { server in
            let router = try Router(
                modelList: [httpDeployment("primary", "p", server, fault: "status=503"), httpDeployment("backup", "b", server)],
                fallbacks: ["primary": ["backup"]], numRetries: 1, environment: [:])
            let start = ContinuousClock.now
            let response = try await router.completion(model: "primary", messages: [.user("hi")])
            #expect(response.metadata.modelGroup == "backup")
            #expect(response.metadata.fallbacks == 1)
            #expect(response.metadata.attempts.map(\.deploymentID) == ["p", "p", "b"])
            #expect(seconds(since: start) >= 0.5, "the lone primary waited its backoff before the retry")
        }
    }

    @Test("429 with Retry-After: the lone deployment is retried after the wait the provider asked for")
    func retryAfterHonoured() async throws {
        try await withMockUpstream { server in
            let router = try Router(
                modelList: [httpDeployment("gpt", "d", server, fault: "fail_first=1;rate_limit;retry_after=1;key=retry-after-test")],
                numRetries: 1, environment: [:])
            let start = ContinuousClock.now
            let response = try await router.completion(model: "gpt", messages: [.user("hi")])
            let elapsed = seconds(since: start)
            #expect(response.metadata.attempts.count == 2)
            #expect(response.metadata.attempts[0].failure?.kind == .rateLimited)
            #expect(response.metadata.attempts[0].failure?.retryAfter == 1)
            // At least the second asked for; far below LiteLLM's exponential backoff cap (a busy
            // test machine may add a second or two of scheduling delay).
            #expect(elapsed >= 1.0 && elapsed < 5, "waited the Retry-After (+ jitter): \(elapsed)")
        }
    }

    @Test("everything failing: one error with the primary's status and every attempt")
    func allFail() async throws {
        try await withMockUpstream { server in
            let router = try Router(
                modelList: [httpDeployment("a", "a1", server, fault: "rate_limit"), httpDeployment("b", "b1", server, fault: "status=500")],
                fallbacks: ["a": ["b"]], numRetries: 0, environment: [:])
            let error = try await #require(throws: GatewayError.self) {
                try await router.completion(model: "a", messages: [.user("hi")])
            }
            #expect(error.httpStatus == 429)
            #expect(error.attempts.map(\.deploymentID) == ["a1", "b1"])
            #expect(error.attempts.allSatisfy { $0.duration >= 0 && $0.apiBase?.contains("/fault/") == true })
            #expect(error.message.contains("Rate limit reached"))
        }
    }

    @Test("a deployment slower than its timeout fails over")
    func timeoutFailsOver() async throws {
        try await withMockUpstream { server in
            let router = try Router(
                modelList: [httpDeployment("slow", "s", server, fault: "latency_ms=8000", timeout: 0.3), httpDeployment("fast", "f", server)],
                fallbacks: ["slow": ["fast"]], numRetries: 0, environment: [:])
            let start = ContinuousClock.now
            let response = try await router.completion(model: "slow", messages: [.user("hi")])
            #expect(response.metadata.deploymentID == "f")
            #expect(response.metadata.attempts[0].failure?.kind == .timeout)
            #expect(seconds(since: start) < 5, "did not wait for the slow (8 s) answer")
        }
    }

    @Test("a request timeout overrides the deployment's")
    func requestTimeout() async throws {
        try await withMockUpstream { server in
            // The answer would take 4 s and the deployment allows 30: ending well before either
            // shows the request's 0.2 s ruled (with room for a loaded two-core machine).
            let router = try Router(modelList: [httpDeployment("slow", "s", server, fault: "latency_ms=4000", timeout: 30)], numRetries: 0, environment: [:])
            var request = ChatRequest(model: "slow", messages: [.user("hi")])
            request.extra["timeout"] = 0.2
            let start = ContinuousClock.now
            let error = try await #require(throws: GatewayError.self) { try await router.completion(request) }
            #expect(error.failure?.kind == .timeout)
            #expect(error.httpStatus == 408)
            #expect(seconds(since: start) < 3)
        }
    }

    @Test("an upstream that is down (connection refused) fails over")
    func connectionRefused() async throws {
        try await withMockUpstream { server in
            let dead = Deployment(modelName: "dead", params: .init(model: "openai/gpt-4o", apiKey: "k", apiBase: "http://127.0.0.1:\(deadPort())/v1"), modelInfo: .init(id: "dead"))
            let router = try Router(modelList: [dead, httpDeployment("alive", "alive", server)], fallbacks: ["dead": ["alive"]], numRetries: 0, environment: [:])
            let start = ContinuousClock.now
            let response = try await router.completion(model: "dead", messages: [.user("hi")])
            // The connect timeout is 10 s; the margin is for the parallel suite on two cores.
            #expect(seconds(since: start) < 5, "a refused connection fails over at once, not after the connect timeout")
            #expect(response.metadata.deploymentID == "alive")
            #expect(response.metadata.attempts[0].failure?.kind == .connection)
        }
    }

    @Test("a 2xx with malformed JSON is a failure that is retried elsewhere")
    func malformed() async throws {
        try await withMockUpstream { server in
            var settings = RouterSettings()
            settings.routingStrategy = .leastBusy
            let router = try Router(modelList: [httpDeployment("g", "bad", server, fault: "malformed"), httpDeployment("g", "good", server)], settings: settings, environment: [:])
            let response = try await router.completion(model: "g", messages: [.user("hi")])
            #expect(response.metadata.deploymentID == "good")
            #expect(response.metadata.attempts[0].failure?.message.contains("unreadable") == true)
        }
    }

    @Test("streaming: chunks arrive in order and reassemble the answer, with usage when asked")
    func streaming() async throws {
        try await withMockUpstream { server in
            let router = try Router(modelList: [httpDeployment("gpt", "d", server)], environment: [:])
            var request = ChatRequest(model: "gpt", messages: [.user("stream me these words please")])
            request.streamOptions = StreamOptions(includeUsage: true)
            let stream = try await router.streamCompletion(request)
            #expect(stream.metadata.deploymentID == "d")
            #expect(stream.metadata.upstreamHeaders["content-type"] == "text/event-stream", "the upstream's headers reach the metadata")
            let (chunks, error) = await stream.drain()
            #expect(error == nil)
            #expect(chunks.text == "Echo: stream me these words please")
            #expect(Set(chunks.map(\.id)).count == 1)
            #expect(chunks.contains { $0.choices.first?.finishReason == "stop" })
            let last = try #require(chunks.last)
            #expect(last.choices.isEmpty && last.usage != nil)
        }
    }

    @Test("a stream that dies before its first content fails over to another deployment")
    func streamDiesBeforeContent() async throws {
        try await withMockUpstream { server in
            let router = try Router(
                modelList: [httpDeployment("a", "dies", server, fault: "die_after=0"), httpDeployment("b", "ok", server)],
                fallbacks: ["a": ["b"]], numRetries: 0, environment: [:])
            let stream = try await router.streamCompletion(model: "a", messages: [.user("hello world")])
            #expect(stream.metadata.deploymentID == "ok")
            #expect(stream.metadata.attempts.first?.failure?.kind == .connection)
            let (chunks, error) = await stream.drain()
            #expect(error == nil)
            #expect(chunks.text == "Echo: hello world")
        }
    }

    @Test("a stream that dies after content ends with an error, after the chunks already sent")
    func streamDiesMidway() async throws {
        try await withMockUpstream { server in
            let router = try Router(
                modelList: [httpDeployment("a", "dies", server, fault: "die_after=2"), httpDeployment("b", "ok", server)],
                fallbacks: ["a": ["b"]], environment: [:])
            let stream = try await router.streamCompletion(model: "a", messages: [.user("one two three four five")])
            #expect(stream.metadata.deploymentID == "dies", "the first content arrived, so this deployment serves the stream")
            let (chunks, error) = await stream.drain()
            #expect(chunks.text == "Echo: one ")
            let gatewayError = try #require(error as? GatewayError)
            #expect(gatewayError.failure?.kind == .connection)
            #expect(gatewayError.message.contains("broke"))
        }
    }

    @Test("no first byte within stream_timeout fails over")
    func streamFirstByteTimeout() async throws {
        try await withMockUpstream { server in
            let router = try Router(
                modelList: [httpDeployment("a", "slow", server, fault: "latency_ms=3000", streamTimeout: 0.3), httpDeployment("b", "ok", server)],
                fallbacks: ["a": ["b"]], numRetries: 0, environment: [:])
            let start = ContinuousClock.now
            let stream = try await router.streamCompletion(model: "a", messages: [.user("hi")])
            #expect(stream.metadata.deploymentID == "ok")
            #expect(stream.metadata.attempts[0].failure?.kind == .timeout)
            #expect(stream.metadata.attempts[0].failure?.message.contains("no first byte") == true)
            #expect(seconds(since: start) < 2)
        }
    }

    @Test("a stream that stalls between chunks for longer than stream_timeout fails")
    func streamIdleTimeout() async throws {
        try await withMockUpstream { server in
            let router = try Router(
                // A limit well above the first byte's time even when the whole suite runs at
                // once on two cores; the gap after it is far longer.
                modelList: [httpDeployment("a", "stalls", server, fault: "chunk_delay_ms=4000", streamTimeout: 1.2)], numRetries: 0, environment: [:])
            let start = ContinuousClock.now
            let error = try await #require(throws: GatewayError.self) {
                _ = try await router.streamCompletion(model: "a", messages: [.user("hi there")])
            }
            #expect(error.failure?.kind == .timeout)
            #expect(error.failure?.message.contains("stalled between chunks") == true, "\(error.failure?.message ?? error.message)")
            #expect(seconds(since: start) < 3.5)
        }
    }

    @Test("the total timeout counts from the request's start: a stream after a slow failure gets only what is left")
    func totalTimeoutSpansAttempts() async throws {
        try await withMockUpstream { server in
            var settings = RouterSettings()
            settings.totalTimeout = 3
            settings.routingStrategy = .leastBusy  // the failing one first
            let router = try Router(
                modelList: [
                    httpDeployment("a", "slow-fail", server, fault: "latency_ms=1000;status=500"),
                    httpDeployment("a", "slow-stream", server, fault: "chunk_delay_ms=200"),
                ],
                settings: settings, environment: [:])
            let start = ContinuousClock.now
            let words = (0..<30).map { "w\($0)" }.joined(separator: " ")
            let stream = try await router.streamCompletion(model: "a", messages: [.user(words)])
            #expect(stream.metadata.attempts.map(\.deploymentID) == ["slow-fail", "slow-stream"])
            let (chunks, error) = await stream.drain()
            // Six seconds of stream, cut when the request's three seconds are up, not three
            // seconds after the stream began (about four after the start).
            #expect(error != nil)
            #expect(chunks.count < 25)
            #expect(seconds(since: start) < 3.7, "ended \(seconds(since: start)) s after the request started")
        }
    }

    @Test("a stream that breaks after it started counts as its deployment's failure (cooldown)")
    func brokenStreamCoolsDown() async throws {
        try await withMockUpstream { server in
            var settings = RouterSettings()
            settings.allowedFails = 0
            settings.cooldownTime = 60
            settings.routingStrategy = .leastBusy  // the breaking one first
            let router = try Router(
                modelList: [httpDeployment("a", "breaks", server, fault: "die_after=2"), httpDeployment("a", "ok", server)],
                settings: settings, environment: [:])
            let stream = try await router.streamCompletion(model: "a", messages: [.user("one two three four five")])
            #expect(stream.metadata.deploymentID == "breaks")
            let (_, error) = await stream.drain()
            #expect(error != nil)
            #expect(router.cooldowns()["breaks"] != nil)
            // The next request goes to the healthy one.
            let next = try await router.completion(model: "a", messages: [.user("hi")])
            #expect(next.metadata.attempts.map(\.deploymentID) == ["ok"])
        }
    }

    @Test("cancelling the caller's task cancels the upstream request promptly")
    func cancellation() async throws {
        try await withMockUpstream { server in
            let router = try Router(modelList: [httpDeployment("g", "hangs", server, fault: "hang")], numRetries: 0, environment: [:])
            let start = ContinuousClock.now
            let task = Task { try await router.completion(model: "g", messages: [.user("hi")]) }
            try await Task.sleep(for: .milliseconds(200))
            task.cancel()
            let result = await task.result
            #expect(seconds(since: start) < 2)
            #expect(throws: CancellationError.self) { try result.get() }
        }
    }

    @Test("cancelling a stream's consumer stops it")
    func streamCancellation() async throws {
        try await withMockUpstream { server in
            let router = try Router(modelList: [httpDeployment("g", "slow", server, fault: "chunk_delay_ms=300")], environment: [:])
            let task = Task { () -> Int in
                var count = 0
                let stream = try await router.streamCompletion(model: "g", messages: [.user("a b c d e f g h i j k l m n o p")])
                for try await _ in stream { count += 1 }
                return count
            }
            try await Task.sleep(for: .milliseconds(900))
            let start = ContinuousClock.now
            task.cancel()
            let count = try? await task.value
            #expect(seconds(since: start) < 1)
            #expect((count ?? 0) < 18, "the stream stopped early")
        }
    }

    @Test("embeddings as floats and as base64")
    func embeddings() async throws {
        try await withMockUpstream { server in
            let router = try Router(modelList: [httpDeployment("embed", "e", server, model: "text-embedding-3-small")], environment: [:])
            let floats = try await router.embedding(model: "embed", input: ["alpha", "beta"])
            #expect(floats.data.count == 2)
            guard case .floats(let vector) = floats.data[0].embedding else { Issue.record("expected floats"); return }
            #expect(vector.count == 8)
            let base64 = try await router.embedding(EmbeddingRequest(model: "embed", input: .text("alpha"), encodingFormat: "base64", dimensions: 16))
            guard case .base64(let text) = base64.data[0].embedding else { Issue.record("expected base64"); return }
            #expect(Base64.decode(text)?.count == 64)
            #expect(base64.metadata.usage?.promptTokens ?? 0 > 0)
        }
    }

    @Test("the in-process mock provider answers without any network")
    func inProcessMock() async throws {
        let router = try Router(
            modelList: [
                .init(modelName: "echo", params: .init(model: "mock/echo")),
                .init(modelName: "fixed", params: .init(model: "mock/fixed", mockResponse: "Always this.")),
                .init(modelName: "broken", params: .init(model: "mock/broken", extra: ["mock_fault": "status=500"])),
            ],
            fallbacks: ["broken": ["fixed"]], numRetries: 0, environment: [:])
        let echo = try await router.completion(model: "echo", messages: [.user("ping")])
        #expect(echo.choices[0].message.textContent == "Echo: ping")
        let fallback = try await router.completion(model: "broken", messages: [.user("ping")])
        #expect(fallback.choices[0].message.textContent == "Always this.")
        #expect(fallback.metadata.fallbacks == 1)
        let stream = try await router.streamCompletion(model: "fixed", messages: [.user("x")])
        #expect(await stream.drain().chunks.text == "Always this.")
    }
}
