import Foundation
import SwitchyardMock
import Testing

// The README's example, verbatim (only wrapped in a function), so a change to the API that
// breaks it fails the build.
import Switchyard

func readmeExample() async throws -> String {
    let env = ProcessInfo.processInfo.environment

    let router = try Router(
        modelList: [
            .init(modelName: "gpt-4o", params: .init(model: "gpt-4o", apiKey: env["OPENAI_API_KEY"])),
            .init(modelName: "claude-3", params: .init(model: "claude-3-opus-20240229", apiKey: env["ANTHROPIC_API_KEY"])),
        ],
        fallbacks: ["gpt-4o": ["claude-3"]],
        numRetries: 1
    )
    let response = try await router.completion(model: "gpt-4o", messages: [.user("Explain Kubernetes ingress controllers.")])
    print(response.choices[0].message.content ?? "")

    for try await chunk in try await router.streamCompletion(model: "gpt-4o", messages: [.user("Stream a haiku.")]) {
        print(chunk.choices.first?.delta.content ?? "", terminator: "")
    }
    let vectors = try await router.embedding(model: "gpt-4o", input: ["Kubernetes", "ingress"])
    print(vectors.data.count)
    return response.choices[0].message.textContent ?? ""
}

@Suite("README example", .serialized)
struct ReadmeExampleTests {
    @Test("the README example runs against an OpenAI-compatible server")
    func runs() async throws {
        let server = try await MockUpstreamServer.start()
        defer { Task { try? await server.shutdown() } }
        // The example reads its key from the environment and the OpenAI base URL from OPENAI_BASE_URL.
        setenv("OPENAI_API_KEY", "sk-readme-test", 1)
        setenv("OPENAI_BASE_URL", server.baseURL, 1)
        defer {
            unsetenv("OPENAI_API_KEY")
            unsetenv("OPENAI_BASE_URL")
        }
        let answer = try await readmeExample()
        #expect(answer == "Echo: Explain Kubernetes ingress controllers.")
    }

    @Test("a claude-* deployment fails with a clear 'not supported yet' error, not a crash")
    func claudeNotSupportedYet() async throws {
        let router = try Router(
            modelList: [.init(modelName: "claude-3", params: .init(model: "claude-3-opus-20240229", apiKey: "sk-ant"))],
            environment: [:])
        #expect(router.warnings.count == 1)
        let error = try await #require(throws: GatewayError.self) {
            try await router.completion(model: "claude-3", messages: [.user("hi")])
        }
        #expect(error.httpStatus == 400)
        #expect(error.message.contains("does not support the provider 'anthropic' yet"))
        #expect(error.attempts.count == 1, "not retried: it cannot work")
    }
}
