import SwitchyardCore
import Testing

@testable import Switchyard

@Suite("Planner: fallbacks")
struct AttemptPlannerFallbackTests {
    func settings(_ configure: (inout RouterSettings) -> Void) -> RouterSettings {
        var settings = RouterSettings()
        settings.numRetries = 0
        configure(&settings)
        return settings
    }

    @Test("after the group's retries fail, the fallback groups are tried in order")
    func fallbackInOrder() {
        let list = [deployment("a", "a1"), deployment("b", "b1"), deployment("c", "c1")]
        let run = simulate(list, settings { $0.fallbacks = ["a": ["b", "c"]] }, model: "a", outcomes: ["a1": [failure(.server, 500)], "b1": [failure(.server, 500)], "c1": [nil]])
        #expect(sends(run.steps) == ["a1", "b1", "c1"])
        #expect(run.error == nil)
        #expect(run.planner.fallbackDepth == 2)
        #expect(run.planner.currentGroup == "c")
    }

    @Test("every fallback group gets the full retry budget")
    func fullBudgetPerFallback() {
        var config = settings { $0.fallbacks = ["a": ["b"]] }
        config.numRetries = 2
        let run = simulate([deployment("a", "a1"), deployment("b", "b1")], config, model: "a", outcomes: ["a1": [failure(.server, 500)], "b1": [failure(.server, 500)]])
        #expect(sends(run.steps) == ["a1", "a1", "a1", "b1", "b1", "b1"])
        #expect(run.error?.attempts.count == 6)
    }

    @Test("the `*` entry and default_fallbacks apply to groups without their own entry")
    func genericEntries() {
        let list = [deployment("a", "a1"), deployment("z", "z1"), deployment("d", "d1")]
        let star = simulate(list, settings { $0.fallbacks = ["*": ["z"]] }, model: "a", outcomes: ["a1": [failure(.server, 500)]])
        #expect(sends(star.steps) == ["a1", "z1"])
        let byDefault = simulate(list, settings { $0.defaultFallbacks = ["d"] }, model: "a", outcomes: ["a1": [failure(.server, 500)]])
        #expect(sends(byDefault.steps) == ["a1", "d1"])
        let own = simulate(list, settings { $0.fallbacks = ["a": ["z"], "*": ["d"] ] }, model: "a", outcomes: ["a1": [failure(.server, 500)]])
        #expect(sends(own.steps) == ["a1", "z1"], "a group's own entry wins over *")
    }

    @Test("context-window failures use context_window_fallbacks, without retrying first")
    func contextWindowFallbacks() {
        var config = settings {
            $0.fallbacks = ["small": ["generic"]]
            $0.contextWindowFallbacks = ["small": ["big"]]
        }
        config.numRetries = 3
        let list = [deployment("small", "s1"), deployment("big", "b1"), deployment("generic", "g1")]
        let run = simulate(list, config, model: "small", outcomes: ["s1": [failure(.contextWindowExceeded, 400)]])
        #expect(sends(run.steps) == ["s1", "b1"])
        config.contextWindowFallbacks = [:]
        let generic = simulate(list, config, model: "small", outcomes: ["s1": [failure(.contextWindowExceeded, 400)]])
        #expect(sends(generic.steps) == ["s1", "g1"], "without a specific list the generic fallbacks apply")
    }

    @Test("content-policy failures use content_policy_fallbacks")
    func contentPolicyFallbacks() {
        let config = settings {
            $0.fallbacks = ["a": ["generic"]]
            $0.contentPolicyFallbacks = ["a": ["lenient"]]
        }
        let list = [deployment("a", "a1"), deployment("lenient", "l1"), deployment("generic", "g1")]
        let run = simulate(list, config, model: "a", outcomes: ["a1": [failure(.contentPolicy, 400)]])
        #expect(sends(run.steps) == ["a1", "l1"])
    }

    @Test("max_fallbacks bounds how many fallback groups one request walks")
    func maxFallbacks() {
        let list = (0...6).map { deployment("g\($0)", "d\($0)") }
        let config = settings {
            $0.fallbacks = ["g0": ["g1", "g2", "g3", "g4", "g5", "g6"]]
            $0.maxFallbacks = 3
        }
        let run = simulate(list, config, model: "g0", outcomes: Dictionary(uniqueKeysWithValues: (0...6).map { ("d\($0)", [failure(.server, 500)]) }))
        #expect(sends(run.steps) == ["d0", "d1", "d2", "d3"])
        #expect(run.planner.fallbackDepth == 3)
    }

    @Test("max_fallbacks defaults to LiteLLM's 5: of 7 failing fallback groups the 6th and 7th are never tried", arguments: [false, true])
    func defaultMaxFallbacks(chained: Bool) throws {
        // g0 is requested; g1…g7 are its fallbacks, either as one list or as a chain g0 → g1 → … → g7.
        let list = (0...7).map { deployment("g\($0)", "d\($0)") }
        var config = RouterSettings()  // max_fallbacks left at its default
        config.fallbacks = chained
            ? Dictionary(uniqueKeysWithValues: (0..<7).map { ("g\($0)", ["g\($0 + 1)"]) })
            : ["g0": (1...7).map { "g\($0)" }]
        let run = simulate(list, config, model: "g0", outcomes: Dictionary(uniqueKeysWithValues: (0...7).map { ("d\($0)", [failure(.server, 500)]) }))
        #expect(RouterSettings().maxFallbacks == 5)
        #expect(Set(sends(run.steps)) == Set((0...5).map { "d\($0)" }), "the requested group and 5 fallbacks: \(sends(run.steps))")
        #expect(!sends(run.steps).contains("d6") && !sends(run.steps).contains("d7"))
        #expect(run.planner.fallbackDepth == 5)
        #expect(run.planner.fallbackGroupsTried == ["g1", "g2", "g3", "g4", "g5"])
        let error = try #require(run.error)
        #expect(error.message.contains("Fallbacks tried: g1, g2, g3, g4, g5."))
    }

    @Test("cycles are cut: a group already tried in this request is not tried again")
    func cycleProtection() {
        let config = settings { $0.fallbacks = ["a": ["b"], "b": ["a", "c"], "c": ["b", "a"]] }
        let list = [deployment("a", "a1"), deployment("b", "b1"), deployment("c", "c1")]
        let run = simulate(list, config, model: "a", outcomes: ["a1": [failure(.server, 500)], "b1": [failure(.server, 500)], "c1": [failure(.server, 500)]])
        #expect(sends(run.steps) == ["a1", "b1", "c1"])
    }

    @Test("fallback groups fall back in turn (depth first)")
    func nestedFallbacks() {
        let config = settings { $0.fallbacks = ["a": ["b", "d"], "b": ["c"]] }
        let list = [deployment("a", "a1"), deployment("b", "b1"), deployment("c", "c1"), deployment("d", "d1")]
        let run = simulate(list, config, model: "a", outcomes: ["a1": [failure(.server, 500)], "b1": [failure(.server, 500)], "c1": [failure(.server, 500)]])
        #expect(sends(run.steps) == ["a1", "b1", "c1", "d1"])
    }

    @Test("when everything fails the primary group's error is the headline, and the message lists every attempt")
    func primaryErrorWins() throws {
        let config = settings { $0.fallbacks = ["a": ["b"]] }
        let run = simulate([deployment("a", "a1"), deployment("b", "b1")], config, model: "a", outcomes: ["a1": [failure(.rateLimited, 429)], "b1": [failure(.server, 503)]])
        let error = try #require(run.error)
        #expect(error.httpStatus == 429)
        #expect(error.kind == .upstream)
        #expect(error.attempts.map(\.deploymentID) == ["a1", "b1"])
        #expect(error.message.contains("Fallbacks tried: b"))
        #expect(error.message.contains("a1") && error.message.contains("b1"))
    }

    @Test("disable_fallbacks stops after the requested group")
    func disableFallbacks() {
        let config = settings { $0.fallbacks = ["a": ["b"]] }
        let run = simulate([deployment("a", "a1"), deployment("b", "b1")], config, model: "a", options: .init(disableFallbacks: true), outcomes: ["a1": [failure(.server, 500)]])
        #expect(sends(run.steps) == ["a1"])
        #expect(run.error?.message.contains("No fallback was attempted") == true)
    }

    @Test("the request's own fallbacks replace the configured ones")
    func requestFallbacks() {
        let config = settings { $0.fallbacks = ["a": ["b"]] }
        let list = [deployment("a", "a1"), deployment("b", "b1"), deployment("c", "c1")]
        let run = simulate(list, config, model: "a", options: .init(fallbacks: ["c"]), outcomes: ["a1": [failure(.server, 500)]])
        #expect(sends(run.steps) == ["a1", "c1"])
    }

    @Test("a rate limit that leaves no healthy deployment falls back at once instead of retrying")
    func rateLimitFallsBackWhenNothingHealthy() {
        var config = settings { $0.fallbacks = ["a": ["b"]] }
        config.numRetries = 3
        let run = simulate([deployment("a", "a1"), deployment("b", "b1")], config, model: "a", outcomes: ["a1": [failure(.rateLimited, 429)]], coolOn: [.rateLimited])
        #expect(sends(run.steps) == ["a1", "b1"])
        #expect(waits(run.steps).isEmpty)
    }

    @Test("mock_testing_fallbacks fails the requested group without calling it")
    func mockTestingFallbacks() {
        var options = RequestOptions()
        options.mockTestingFallbacks = true
        let run = simulate([deployment("a", "a1"), deployment("b", "b1")], settings { $0.fallbacks = ["a": ["b"]] }, model: "a", options: options, outcomes: [:])
        #expect(sends(run.steps) == ["b1"])
        #expect(run.planner.fallbackDepth == 1)
    }

    @Test("order tiers: the lowest order serves first, higher orders take over as fallbacks with fresh retries")
    func orderTiers() {
        var config = RouterSettings()
        config.numRetries = 1
        let list = [deployment("g", "primary", order: 1), deployment("g", "backup", order: 2), deployment("g", "unordered")]
        let run = simulate(list, config, model: "g", outcomes: ["primary": [failure(.server, 500)], "backup": [failure(.server, 500)], "unordered": [nil]])
        #expect(sends(run.steps) == ["primary", "primary", "backup", "backup", "unordered"])
        #expect(run.planner.fallbackDepth == 2)
    }

    @Test("order tiers are not used for context-window failures")
    func tiersSkippedForContextWindow() {
        let list = [deployment("g", "primary", order: 1), deployment("g", "backup", order: 2)]
        let run = simulate(list, model: "g", outcomes: ["primary": [failure(.contextWindowExceeded, 400)]])
        #expect(sends(run.steps) == ["primary"])
    }
}
