import SwitchyardCore
import Testing

@testable import Switchyard

@Suite("Planner: retries inside a group")
struct AttemptPlannerRetryTests {
    let trio = [deployment("g", "a"), deployment("g", "b"), deployment("g", "c")]

    @Test("a transient failure is retried at once on another healthy deployment of the group")
    func retryElsewhereImmediately() {
        let run = simulate(trio, model: "g", outcomes: ["a": [failure(.server, 500)], "b": [failure(.server, 500)], "c": [failure(.server, 500)]], seed: 7)
        let ids = sends(run.steps)
        #expect(ids.count == 3)
        #expect(Set(ids) == ["a", "b", "c"], "each retry goes to a deployment not tried yet")
        #expect(waits(run.steps).allSatisfy { $0 == 0 }, "no backoff while another deployment is healthy")
        #expect(run.error?.httpStatus == 500)
    }

    @Test("num_retries bounds the attempts: 1 + retries per group", arguments: [0, 1, 2, 4])
    func retryCount(retries: Int) {
        var settings = RouterSettings()
        settings.numRetries = retries
        let run = simulate([deployment("g", "a")], settings, model: "g", outcomes: ["a": [failure(.server, 503)]])
        #expect(sends(run.steps).count == 1 + retries)
        #expect(run.error?.attempts.count == 1 + retries)
    }

    @Test("the default is LiteLLM's 2 retries")
    func defaultRetries() {
        let run = simulate([deployment("g", "a")], model: "g", outcomes: ["a": [failure(.timeout, 408)]])
        #expect(sends(run.steps).count == 3)
    }

    @Test("a lone deployment is retried after exponential backoff with jitter, capped at 8 s")
    func backoffOnLoneDeployment() {
        var settings = RouterSettings()
        settings.numRetries = 6
        let run = simulate([deployment("g", "a")], settings, model: "g", outcomes: ["a": [failure(.server, 500)]])
        let waited = waits(run.steps)
        #expect(waited.count == 6)
        let floors = [0.5, 1, 2, 4, 8, 8]
        for (wait, floor) in zip(waited, floors) {
            #expect(wait >= floor && wait <= floor + 0.75, "wait \(wait) should be \(floor) + jitter ≤ 0.75")
        }
    }

    @Test("backoff jitter is really added: waits sit in [0.5·2ⁿ, 0.5·2ⁿ + 0.75], are not the bare floors, and depend on the seed")
    func backoffJitterIsAdded() {
        var settings = RouterSettings()
        settings.numRetries = 4
        let floors = [0.5, 1, 2, 4]
        func run(seed: UInt64) -> [Double] {
            waits(simulate([deployment("g", "a")], settings, model: "g", outcomes: ["a": [failure(.server, 500)]], seed: seed).steps)
        }
        let first = run(seed: 11)
        let second = run(seed: 12)
        for waited in [first, second] {
            #expect(waited.count == floors.count)
            let jitters = zip(waited, floors).map { $0 - $1 }
            #expect(jitters.allSatisfy { $0 >= 0 && $0 <= RetryPolicy.maxJitter }, "each wait is its floor plus at most 0.75 s: \(waited)")
            // Four draws of 0...0.75 that are all (nearly) zero would mean the jitter was dropped.
            #expect(jitters.contains { $0 > 0.01 }, "jitter is added on top of the floors: \(waited)")
            #expect(Set(jitters).count > 1, "a fresh jitter is drawn for every retry: \(jitters)")
        }
        #expect(first != second, "different seeds give different waits: \(first) vs \(second)")
        #expect(run(seed: 11) == first, "the same seed gives the same waits")
    }

    @Test("Retry-After up to 60 s is honoured; longer falls back to exponential backoff")
    func retryAfter() {
        var settings = RouterSettings()
        settings.numRetries = 1
        let short = simulate([deployment("g", "a")], settings, model: "g", outcomes: ["a": [failure(.rateLimited, 429, retryAfter: 7), nil]])
        #expect(waits(short.steps).count == 1)
        #expect((7...7.75).contains(waits(short.steps)[0]))
        #expect(short.error == nil)
        let long = simulate([deployment("g", "a")], settings, model: "g", outcomes: ["a": [failure(.rateLimited, 429, retryAfter: 120), nil]])
        #expect((0.5...1.25).contains(waits(long.steps)[0]))
    }

    @Test("router retry_after is the minimum wait")
    func minimumWait() {
        var settings = RouterSettings()
        settings.numRetries = 1
        settings.retryAfter = 3
        let run = simulate([deployment("g", "a")], settings, model: "g", outcomes: ["a": [failure(.server, 500), nil]])
        #expect((3...3.75).contains(waits(run.steps)[0]))
    }

    @Test("failures not worth retrying stop at once", arguments: [
        failure(.badRequest, 400), failure(.notFound, 404), failure(.contextWindowExceeded, 400), failure(.contentPolicy, 400),
    ])
    func notRetried(_ error: UpstreamFailure) {
        let run = simulate(trio, model: "g", outcomes: ["a": [error], "b": [error], "c": [error]])
        #expect(sends(run.steps).count == 1)
        #expect(run.error?.failure?.kind == error.kind)
    }

    @Test("401/403 are retried only when the group has another deployment (another key may work)")
    func authRetriedOnlyWithAlternatives() {
        let lone = simulate([deployment("g", "a")], model: "g", outcomes: ["a": [failure(.authentication, 401)]])
        #expect(sends(lone.steps) == ["a"])
        let pair = simulate([deployment("g", "a"), deployment("g", "b")], model: "g", outcomes: ["a": [failure(.permissionDenied, 403)], "b": [failure(.permissionDenied, 403)]], seed: 3)
        #expect(Set(sends(pair.steps)) == ["a", "b"])
    }

    @Test("a deployment that answered a non-retryable status is skipped on the next attempt")
    func nonRetryableExcluded() {
        var settings = RouterSettings()
        settings.retryPolicy = ["BadRequestErrorRetries": 3]
        let run = simulate([deployment("g", "a"), deployment("g", "b")], settings, model: "g", outcomes: ["a": [failure(.badRequest, 400)], "b": [failure(.server, 500), nil]], seed: 2)
        let ids = sends(run.steps)
        let firstA = ids.firstIndex(of: "a") ?? 99
        #expect(!ids.dropFirst(firstA + 1).contains("a"), "after its 400, a is excluded while b is available: \(ids)")
    }

    @Test("retry_policy overrides both the count and whether a class is retried")
    func retryPolicy() {
        var settings = RouterSettings()
        settings.retryPolicy = ["BadRequestErrorRetries": 2, "RateLimitErrorRetries": 0]
        let badRequest = simulate([deployment("g", "a")], settings, model: "g", outcomes: ["a": [failure(.badRequest, 400)]])
        #expect(sends(badRequest.steps).count == 3, "a 400 is retried because the policy says so")
        let limited = simulate([deployment("g", "a")], settings, model: "g", outcomes: ["a": [failure(.rateLimited, 429)]])
        #expect(sends(limited.steps).count == 1)
        settings.modelGroupRetryPolicy = ["g": ["RateLimitErrorRetries": 4]]
        let perGroup = simulate([deployment("g", "a")], settings, model: "g", outcomes: ["a": [failure(.rateLimited, 429)]])
        #expect(sends(perGroup.steps).count == 5, "model_group_retry_policy wins over retry_policy")
    }

    @Test("a context-window failure counts as a BadRequestError for the policy when it has no entry of its own")
    func policyClassHierarchy() {
        var settings = RouterSettings()
        settings.retryPolicy = ["BadRequestErrorRetries": 1]
        let run = simulate([deployment("g", "a")], settings, model: "g", outcomes: ["a": [failure(.contextWindowExceeded, 400)]])
        #expect(sends(run.steps).count == 2)
        settings.retryPolicy["ContextWindowExceededErrorRetries"] = 0
        let specific = simulate([deployment("g", "a")], settings, model: "g", outcomes: ["a": [failure(.contextWindowExceeded, 400)]])
        #expect(sends(specific.steps).count == 1)
    }

    @Test("retry count precedence: request, then deployment, then router")
    func retryPrecedence() {
        var settings = RouterSettings()
        settings.numRetries = 1
        let byDeployment = simulate([deployment("g", "a", numRetries: 3)], settings, model: "g", outcomes: ["a": [failure(.server, 500)]])
        #expect(sends(byDeployment.steps).count == 4)
        let byRequest = simulate([deployment("g", "a", numRetries: 3)], settings, model: "g", options: .init(numRetries: 0), outcomes: ["a": [failure(.server, 500)]])
        #expect(sends(byRequest.steps).count == 1)
    }

    @Test("when every deployment is cooling down after a failure, retries stop and the group fails")
    func stopWhenNoHealthyLeft() {
        let run = simulate(
            [deployment("g", "a"), deployment("g", "b")], model: "g",
            outcomes: ["a": [failure(.rateLimited, 429)], "b": [failure(.rateLimited, 429)]], coolOn: [.rateLimited])
        #expect(Set(sends(run.steps)) == ["a", "b"])
        #expect(sends(run.steps).count == 2, "no third attempt: nothing healthy is left")
        #expect(run.error?.httpStatus == 429)
    }

    @Test("while one deployment cools down, retries go to the healthy one without waiting")
    func retryOnHealthyWhileOtherCools() {
        let run = simulate(
            [deployment("g", "a"), deployment("g", "b")], model: "g", health: FakeHealth(cooling: ["b": 3]),
            outcomes: ["a": [failure(.server, 500)]])
        #expect(sends(run.steps) == ["a", "a", "a"])
        #expect(waits(run.steps).isEmpty, "no backoff: the group has a deployment to go to")
    }
}
