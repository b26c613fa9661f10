import SwitchyardCore
import SwitchyardProviders
import Testing

@testable import Switchyard

@Suite("Planner: model resolution, cooldowns, timeouts, deadline")
struct AttemptPlannerResolutionTests {
    @Test("an unknown model is a 400 naming it and the groups that exist")
    func unknownModel() throws {
        let run = simulate([deployment("gpt-4o", "a")], model: "gpt-5-turbo", outcomes: [:])
        let error = try #require(run.error)
        #expect(error.kind == .unknownModel)
        #expect(error.httpStatus == 400)
        #expect(error.message.contains("gpt-5-turbo") && error.message.contains("gpt-4o"))
        #expect(sends(run.steps).isEmpty)
    }

    @Test("an unknown model goes to the first default fallback when there is one")
    func unknownModelUsesDefaultFallback() {
        var settings = RouterSettings()
        settings.defaultFallbacks = ["cheap"]
        let run = simulate([deployment("gpt-4o", "a"), deployment("cheap", "c")], settings, model: "nope", outcomes: [:])
        #expect(sends(run.steps) == ["c"])
    }

    @Test("model_group_alias renames to the target group")
    func alias() {
        var settings = RouterSettings()
        settings.modelGroupAlias = ["gpt-4": "gpt-4o"]
        let run = simulate([deployment("gpt-4o", "a")], settings, model: "gpt-4", outcomes: [:])
        #expect(sends(run.steps) == ["a"])
        #expect(run.planner.currentGroup == "gpt-4o")
    }

    @Test("a deployment id addresses that one deployment")
    func deploymentID() {
        let run = simulate([deployment("g", "a"), deployment("g", "b")], model: "b", outcomes: [:])
        #expect(sends(run.steps) == ["b"])
    }

    @Test("a litellm_params.model name resolves to its deployments' group")
    func paramModel() {
        let run = simulate([deployment("public", "a", model: "openai/gpt-4o-2024-08-06")], model: "openai/gpt-4o-2024-08-06", outcomes: [:])
        #expect(sends(run.steps) == ["a"])
    }

    @Test("wildcard groups substitute the requested name into the deployment's model")
    func wildcard() throws {
        let list = [
            Deployment(modelName: "openai/*", params: .init(model: "openai/*", apiKey: "k")),
            Deployment(modelName: "*", params: .init(model: "mock/*")),
        ]
        let table = ModelTable(list, aliases: [:], environment: [:])
        let specific = try #require(table.resolve("openai/gpt-4o-mini"))
        #expect(specific.name == "openai/gpt-4o-mini")
        #expect(specific.members.first?.deployment.params.model == "openai/gpt-4o-mini")
        #expect(specific.members.first?.provider.target.model == "gpt-4o-mini")
        let anything = try #require(table.resolve("llama-3"))
        #expect(anything.members.first?.deployment.params.model == "mock/llama-3")
        #expect(table.resolve("openai/gpt-4o-mini")?.members.first?.id != table.resolve("openai/gpt-4o")?.members.first?.id, "derived deployments have their own ids")
    }

    @Test("deployments cooling down are skipped; all cooling is a 429 that says when to retry")
    func cooldownFilter() throws {
        let some = simulate([deployment("g", "a"), deployment("g", "b")], model: "g", health: FakeHealth(cooling: ["a": 2]), outcomes: [:])
        #expect(sends(some.steps) == ["b"])
        let all = simulate([deployment("g", "a"), deployment("g", "b")], model: "g", health: FakeHealth(cooling: ["a": 2.2, "b": 4]), outcomes: [:])
        let error = try #require(all.error)
        #expect(error.kind == .noDeploymentAvailable)
        #expect(error.httpStatus == 429)
        #expect(error.retryAfter == 2.2)
        #expect(error.message.contains("No deployments available") && error.message.contains("Try again in 3 seconds"))
    }

    @Test("no deployment available is itself subject to fallbacks")
    func noDeploymentFallsBack() {
        var settings = RouterSettings()
        settings.fallbacks = ["g": ["h"]]
        let run = simulate([deployment("g", "a"), deployment("h", "x")], settings, model: "g", health: FakeHealth(cooling: ["a": 5]), outcomes: [:])
        #expect(sends(run.steps) == ["x"])
        #expect(run.error == nil)
    }

    @Test("timeout precedence: request over deployment over router; streams use stream_timeout first")
    func timeouts() throws {
        var settings = RouterSettings()
        settings.timeout = 100
        settings.streamTimeout = 20
        func planned(_ d: Deployment, options: RequestOptions = .init(), streaming: Bool = false) -> PlannedAttempt? {
            let table = ModelTable([d], aliases: [:], environment: [:])
            var planner = AttemptPlanner(model: "g", table: table, settings: settings, options: options, streaming: streaming, startedAt: 0)
            var random = SeededRandom(1)
            if case .send(let attempt) = planner.next(now: 0, health: FakeHealth(), random: &random) { return attempt }
            return nil
        }
        #expect(planned(deployment("g", "a"))?.timeout == 100)
        #expect(planned(deployment("g", "a", timeout: 30))?.timeout == 30)
        #expect(planned(deployment("g", "a", timeout: 30), options: .init(timeout: 5))?.timeout == 5)
        #expect(planned(deployment("g", "a", timeout: 30), options: .init(timeout: 5))?.timeoutFromCaller == true)
        #expect(planned(deployment("g", "a", timeout: 30))?.timeoutFromCaller == false)
        #expect(planned(deployment("g", "a"), streaming: true)?.streamTimeout == 20)
        #expect(planned(deployment("g", "a", streamTimeout: 7), streaming: true)?.streamTimeout == 7)
        #expect(planned(deployment("g", "a", streamTimeout: 7), options: .init(streamTimeout: 2), streaming: true)?.streamTimeout == 2)
        settings.streamTimeout = nil
        #expect(planned(deployment("g", "a", timeout: 30), streaming: true)?.streamTimeout == 30, "without a stream timeout the request timeout applies")
    }

    @Test("the total deadline caps each attempt, truncates waits, and ends the request")
    func totalDeadline() throws {
        var settings = RouterSettings()
        settings.totalTimeout = 3
        settings.numRetries = 5
        let table = ModelTable([deployment("g", "a")], aliases: [:], environment: [:])
        var planner = AttemptPlanner(model: "g", table: table, settings: settings, options: .init(), streaming: false, startedAt: 0)
        var random = SeededRandom(1)
        let health = FakeHealth()
        guard case .send(let first) = planner.next(now: 0, health: health, random: &random) else { Issue.record("expected a send"); return }
        #expect(first.timeout == 3)
        planner.recordFailure(failure(.server, 500), deployment: first.deployment, duration: 2.8, now: 2.8, health: health, random: &random)
        guard case .wait(let wait) = planner.next(now: 2.8, health: health, random: &random) else { Issue.record("expected a wait"); return }
        #expect(abs(wait - 0.2) < 1e-9, "the backoff is cut to the time left")
        guard case .fail(let error) = planner.next(now: 3.0, health: health, random: &random) else { Issue.record("expected the deadline"); return }
        #expect(error.kind == .deadlineExceeded)
        #expect(error.httpStatus == 408)
        #expect(error.attempts.count == 1)
    }
}
