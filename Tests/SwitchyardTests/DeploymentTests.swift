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
