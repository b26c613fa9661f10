import SwitchyardCore
import Testing

@testable import Switchyard

@Suite("Deployments")
struct DeploymentTests {
    @Test("ids are deterministic: the same group and params give the same id, any change another")
    func deterministicIDs() {
        let a = Deployment(modelName: "gpt-4o", params: .init(model: "azure/gpt-4o-eu", apiKey: "k", apiBase: "https://eu.example", rpm: 600))
        let same = Deployment(modelName: "gpt-4o", params: .init(model: "azure/gpt-4o-eu", apiKey: "k", apiBase: "https://eu.example", rpm: 600))
        let otherBase = Deployment(modelName: "gpt-4o", params: .init(model: "azure/gpt-4o-eu", apiKey: "k", apiBase: "https://us.example", rpm: 600))
        let otherGroup = Deployment(modelName: "gpt-4o-eu", params: a.params)
        #expect(a.id == same.id)
        #expect(a.id.count == 64)
        #expect(a.id != otherBase.id && a.id != otherGroup.id)
        var extra = a
        extra.params.extra["vertex_project"] = "p"
        #expect(extra.id != a.id, "unmodelled params count too")
    }

    @Test("the API base answers report leaves out the query string, where a key may ride")
    func reportedAPIBase() {
        let withQuery = RoutedDeployment(
            Deployment(modelName: "m", params: .init(model: "openai/gpt-4o", apiKey: "k", apiBase: "https://gw.example/v1?api-key=secret&x=1")),
            environment: [:])
        #expect(withQuery.reportedAPIBase == "https://gw.example/v1")
        let plain = RoutedDeployment(
            Deployment(modelName: "m", params: .init(model: "openai/gpt-4o", apiKey: "k", apiBase: "https://gw.example/v1")), environment: [:])
        #expect(plain.reportedAPIBase == "https://gw.example/v1")
    }

    @Test("a deployment's id is a fixed value, the same in every process and version")
    func stableID() {
        // These ids are persisted and shared: virtual keys, spend records and cooldowns refer to
        // deployments by id, and replicas that load the same config must agree on them. So the
        // id of a given deployment must never change across processes, platforms or releases.
        // If this test fails, the hashing (param names, canonical value text, order) changed:
        // restore it rather than updating the expected strings.
        let deployment = Deployment(
            modelName: "gpt-4o",
            params: .init(
                model: "azure/gpt-4o-eu", apiKey: "sk-stable", apiBase: "https://eu.example.com", apiVersion: "2024-06-01",
                rpm: 600, weight: 2.5, timeout: 30, extra: ["extra_body": .object(["b": .int(1), "a": .string("x")])]))
        #expect(deployment.id == "c3f3c1548f2484606c78b9dc1ede0387e1feda35d50046a21d43dca7ac6af738")
        // The smallest deployment: SHA-256 of `g` + `model` + `"mock/x"`.
        #expect(Deployment(modelName: "g", params: .init(model: "mock/x")).id == "21c6c6088a521e0b9142fc791b5a0b9b635786804fbf69eedf92a92190ded524")
    }

    @Test("model_info.id wins")
    func explicitID() {
        #expect(Deployment(modelName: "g", params: .init(model: "mock/x"), modelInfo: .init(id: "mine")).id == "mine")
    }

    @Test("a model list that cannot work is rejected with the path of the problem")
    func validation() {
        #expect(throws: GatewayError.self) { try Router(modelList: [], environment: [:]) }
        do {
            _ = try Router(modelList: [.init(modelName: "g", params: .init(model: ""))], environment: [:])
            Issue.record("expected a configuration error")
        } catch let error as GatewayError {
            #expect(error.kind == .configuration)
            #expect(error.message == "model_list[0].litellm_params.model: missing")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("a weight that is not a finite number is rejected like a negative one", arguments: [Double.infinity, -Double.infinity, Double.nan])
    func nonFiniteWeight(weight: Double) {
        do {
            _ = try Router(
                modelList: [.init(modelName: "g", params: .init(model: "mock/a")), .init(modelName: "g", params: .init(model: "mock/b", weight: weight))],
                settings: RouterSettings(), environment: [:])
            Issue.record("expected a configuration error for weight \(weight)")
        } catch let error as GatewayError {
            #expect(error.kind == .configuration)
            #expect(error.message == "model_list[1].litellm_params.weight: must be a finite number")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("huge finite weights load and route (their sum overflows to infinity)")
    func hugeWeightsRoute() async throws {
        let list = [
            Deployment(modelName: "g", params: .init(model: "mock/a", weight: .greatestFiniteMagnitude, mockResponse: "from a"), modelInfo: .init(id: "a")),
            Deployment(modelName: "g", params: .init(model: "mock/b", weight: .greatestFiniteMagnitude, mockResponse: "from b"), modelInfo: .init(id: "b")),
        ]
        let router = try Router(modelList: list, settings: RouterSettings(), environment: [:])
        var served: Set<String> = []
        for _ in 0..<40 {
            served.insert(try await router.completion(model: "g", messages: [.user("hi")]).metadata.deploymentID)
        }
        #expect(served == ["a", "b"], "both equal weights get traffic")
    }

    @Test("deployments with a missing key still load, with a warning naming the variable")
    func missingKeyWarning() throws {
        let router = try Router(modelList: [.init(modelName: "g", params: .init(model: "openai/gpt-4o"))], environment: [:])
        #expect(router.warnings.count == 1)
        #expect(router.warnings.first?.contains("OPENAI_API_KEY") == true)
        let keyed = try Router(modelList: [.init(modelName: "g", params: .init(model: "openai/gpt-4o"))], environment: ["OPENAI_API_KEY": "sk"])
        #expect(keyed.warnings.isEmpty)
    }
}
