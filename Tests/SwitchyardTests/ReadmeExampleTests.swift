import Foundation
import SwitchyardMock
import Testing

// The README's example, verbatim (only wrapped in a function), so a change to the API that
// breaks it fails the build. ReadmeDriftTests checks that it stays the README's code.
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
    print(response.choices[0].message.textContent ?? "")

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

    @Test("the README example falls back from GPT-4o to Claude when OpenAI fails")
    func fallsBackToClaude() async throws {
        let server = try await MockUpstreamServer.start()
        defer { Task { try? await server.shutdown() } }
        // OpenAI fails twice (the call and its retry), so the completion comes from Claude
        // through the mock's Anthropic API; the stream and the embedding find OpenAI back.
        setenv("OPENAI_API_KEY", "sk-readme-test", 1)
        setenv("OPENAI_BASE_URL", server.baseURL(fault: "fail_first=2;status=500;key=readme-fallback"), 1)
        setenv("ANTHROPIC_API_KEY", "sk-ant-readme", 1)
        setenv("ANTHROPIC_API_BASE", "http://\(server.host):\(server.port)", 1)
        defer {
            for name in ["OPENAI_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_API_KEY", "ANTHROPIC_API_BASE"] { unsetenv(name) }
        }
        let answer = try await readmeExample()
        #expect(answer == "Echo: Explain Kubernetes ingress controllers.")
        // The same router, asked again with a fresh failure budget: the answer is Claude's.
        setenv("OPENAI_BASE_URL", server.baseURL(fault: "fail_first=2;status=500;key=readme-fallback-2"), 1)
        let env = ProcessInfo.processInfo.environment
        let router = try Router(
            modelList: [
                .init(modelName: "gpt-4o", params: .init(model: "gpt-4o", apiKey: env["OPENAI_API_KEY"])),
                .init(modelName: "claude-3", params: .init(model: "claude-3-opus-20240229", apiKey: env["ANTHROPIC_API_KEY"])),
            ],
            fallbacks: ["gpt-4o": ["claude-3"]], numRetries: 1)
        let response = try await router.completion(model: "gpt-4o", messages: [.user("Who answers?")])
        #expect(response.metadata.provider == "anthropic")
        #expect(response.metadata.modelGroup == "claude-3")
        #expect(response.metadata.fallbacks == 1)
        #expect(response.id.hasPrefix("msg_mock_"))
        #expect(response.choices[0].message.content == .text("Echo: Who answers?"))
    }
}
