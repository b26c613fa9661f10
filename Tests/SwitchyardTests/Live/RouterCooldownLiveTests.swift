import Foundation
import Switchyard
import SwitchyardCore
import SwitchyardMock
import SwitchyardProviders
import Testing

/// Cooldowns and the response size cap, applied by a real `Router` to real HTTP exchanges with
/// the mock upstream on loopback. The router's clock is moved by hand, so "within cooldown_time"
/// and "after cooldown_time" are exact whatever the machine's load.
@Suite("Router over real HTTP: cooldowns and limits")
struct RouterCooldownLiveTests {
    /// Two deployments of `gpt`: `failing` (answering with `fault`) listed first, `healthy` second.
    /// Least-busy routing picks the first listed whenever it is available, so the failing one is
    /// tried first unless it is cooling down.
    func router(_ server: MockUpstreamServer, fault: String, clock: ManualRouterClock, configure: (inout RouterSettings) -> Void = { _ in }) throws -> Router {
        var settings = RouterSettings()
        settings.routingStrategy = .leastBusy
        settings.cooldownTime = 0.3
        configure(&settings)
        return try Router(
            modelList: [httpDeployment("gpt", "failing", server, fault: fault), httpDeployment("gpt", "healthy", server)],
            settings: settings, environment: [:], clock: clock)
    }

    func attempted(_ router: Router) async throws -> [String] {
        let response = try await router.completion(model: "gpt", messages: [.user("hi")])
        #expect(response.metadata.deploymentID == "healthy")
        #expect(response.choices[0].message.textContent == "Echo: hi")
        return response.metadata.attempts.map(\.deploymentID)
    }

    @Test("a 429 cools the deployment down: only the healthy one is called until cooldown_time has passed, then it is tried again")
    func rateLimitCooldown() async throws {
        try await withMockUpstream { server in
            let clock = ManualRouterClock()
            let router = try router(server, fault: "rate_limit", clock: clock)

            let first = try await router.completion(model: "gpt", messages: [.user("hi")])
            #expect(first.metadata.attempts.map(\.deploymentID) == ["failing", "healthy"])
            #expect(first.metadata.attempts.first?.failure?.status == 429)
            #expect(router.cooldowns()["failing"].map { abs($0 - 0.3) < 1e-9 } == true, "cooling for cooldown_time: \(router.cooldowns())")

            // Within the cooldown: the failing deployment is not called at all.
            for _ in 0..<3 {
                clock.advance(by: 0.09)
                #expect(try await attempted(router) == ["healthy"])
            }
            #expect(router.cooldowns()["failing"] != nil)

            // Past cooldown_time (0.27 + 0.04 > 0.3): it is back in rotation, fails again and cools again.
            clock.advance(by: 0.04)
            #expect(router.cooldowns()["failing"] == nil)
            #expect(try await attempted(router) == ["failing", "healthy"])
            #expect(router.cooldowns()["failing"] != nil)
            #expect(try await attempted(router) == ["healthy"])
        }
    }

    @Test("with allowed_fails 1, the second 500 cools the deployment down for cooldown_time")
    func allowedFailsCooldown() async throws {
        try await withMockUpstream { server in
            let clock = ManualRouterClock()
            let router = try router(server, fault: "status=500", clock: clock) { $0.allowedFails = 1 }

            #expect(try await attempted(router) == ["failing", "healthy"])
            #expect(router.cooldowns().isEmpty, "one failure is allowed")
            #expect(try await attempted(router) == ["failing", "healthy"])
            #expect(router.cooldowns()["failing"] != nil, "the second failure is past allowed_fails")

            clock.advance(by: 0.2)
            #expect(try await attempted(router) == ["healthy"])
            #expect(try await attempted(router) == ["healthy"])

            clock.advance(by: 0.15)
            #expect(router.cooldowns().isEmpty)
            #expect(try await attempted(router) == ["failing", "healthy"])
        }
    }

    @Test("a non-streamed answer larger than maxResponseBytes is a 502 failure, not the body")
    func responseTooLarge() async throws {
        try await withMockUpstream { server in
            var settings = RouterSettings()
            settings.maxResponseBytes = 1024
            settings.numRetries = 0
            let router = try Router(modelList: [httpDeployment("gpt", "d", server)], settings: settings, environment: [:])

            // The mock echoes the prompt, so a short one fits and a long one does not.
            let small = try await router.completion(model: "gpt", messages: [.user("hi")])
            #expect(small.choices[0].message.textContent == "Echo: hi")

            let prompt = String(repeating: "large ", count: 400)
            let error = try await #require(throws: GatewayError.self) {
                try await router.completion(model: "gpt", messages: [.user(prompt)])
            }
            #expect(error.kind == .upstream)
            #expect(error.httpStatus == 502)
            #expect(error.failure?.kind == .server)
            #expect(error.message.contains("answered with more than 1024 bytes"), "\(error.message)")
            #expect(!error.message.contains(prompt), "the oversized body is not passed on")
            #expect(error.attempts.map(\.deploymentID) == ["d"])

            // The forwarding path (the proxy's) reads through the same cap.
            let body = try JSONCoding.encode(ChatRequest(model: "gpt", messages: [.user(prompt)]))
            let rawError = try await #require(throws: GatewayError.self) {
                try await router.completion(raw: RawChatRequest(body: body))
            }
            #expect(rawError.httpStatus == 502)
            #expect(rawError.message.contains("answered with more than 1024 bytes"), "\(rawError.message)")
        }
    }
}
