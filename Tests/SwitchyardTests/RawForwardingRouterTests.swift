import Foundation
import Switchyard
import SwitchyardMock
import Synchronization
import Testing

/// Records what reaches the upstream and answers like OpenAI.
final class RecordingTransport: Transport, Sendable {
    let requests = Mutex<[UpstreamRequest]>([])
    let answer: [UInt8]

    init(answer: String) { self.answer = Array(answer.utf8) }

    func execute(_ request: UpstreamRequest, deadline: Double) async throws(TransportError) -> TransportResponse {
        requests.withLock { $0.append(request) }
        let bytes = answer
        return TransportResponse(status: 200, headers: ["content-type": "application/json"], body: ByteStream(next: { () async throws(TransportError) -> [UInt8]? in nil }).prefixed(bytes))
    }
}

extension ByteStream {
    /// A body of one chunk.
    func prefixed(_ bytes: [UInt8]) -> ByteStream {
        let sent = Mutex(false)
        return ByteStream { () async throws(TransportError) -> [UInt8]? in
            sent.withLock { done in
                if done { return nil }
                done = true
                return bytes
            }
        }
    }
}

@Suite("Router: the forwarding fast path")
struct RawForwardingRouterTests {
    let answer = #"{"id":"chatcmpl-9","object":"chat.completion","created":1,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"message":{"role":"assistant","content":"Hello"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6},"system_fingerprint":"fp_x"}"#

    @Test("the client's body goes upstream as it came (model replaced, gateway members removed) and the answer comes back byte for byte")
    func forwards() async throws {
        let transport = RecordingTransport(answer: answer)
        let router = try Router(
            modelList: [.init(modelName: "gpt", params: .init(model: "openai/gpt-4o-2024-08-06", apiKey: "sk", apiBase: "https://up.example/v1"))],
            settings: RouterSettings(), transport: transport, environment: [:])
        let body = #"{"model":"gpt","messages":[{"role":"user","content":"Hi"}],"temperature":0.3,"num_retries":0,"unknown_param":{"x":[1]}}"#
        let routed = try await router.completion(raw: try RawChatRequest(body: Array(body.utf8)))
        #expect(routed.value == Array(answer.utf8))
        #expect(routed.metadata.usage?.totalTokens == 6)
        let sent = try #require(transport.requests.withLock { $0.first })
        #expect(sent.url == "https://up.example/v1/chat/completions")
        #expect(String(decoding: sent.body, as: UTF8.self) == #"{"model":"openai/gpt-4o-2024-08-06","messages":[{"role":"user","content":"Hi"}],"temperature":0.3,"unknown_param":{"x":[1]}}"#.replacingOccurrences(of: "openai/", with: ""))
    }

    @Test(
        "an unreadable 200 (not JSON, or no choices array) is a failure that fails over",
        arguments: [#"{"id": "x", "choices": ["#, #"{"id": "x", "usage": null}"#, #"{"id": "x", "choices": {"0": []}}"#, "[]"])
    func unreadable(answer: String) async throws {
        let broken = RecordingTransport(answer: answer)
        var settings = RouterSettings()
        settings.fallbacks = ["a": ["b"]]
        settings.numRetries = 0
        let router = try Router(
            modelList: [
                .init(modelName: "a", params: .init(model: "openai/m", apiKey: "k", apiBase: "https://up.example/v1")),
                .init(modelName: "b", params: .init(model: "mock/b")),
            ],
            settings: settings, transport: broken, environment: [:])
        let routed = try await router.completion(raw: try RawChatRequest(body: Array(#"{"model":"a","messages":[{"role":"user","content":"x"}]}"#.utf8)))
        #expect(routed.metadata.modelGroup == "b")
        #expect(routed.metadata.attempts.first?.failure?.message.contains("unreadable") == true)
        #expect(broken.requests.withLock { $0.count } == 1)
    }

    @Test("forwarded streams and translated paths agree with the canonical API on the mock")
    func streamsAgree() async throws {
        let server = try await MockUpstreamServer.start()
        defer { Task { try? await server.shutdown() } }
        let router = try Router(
            modelList: [
                .init(modelName: "http", params: .init(model: "openai/gpt-4o", apiKey: "k", apiBase: server.baseURL)),
                .init(modelName: "dies", params: .init(model: "openai/gpt-4o", apiKey: "k", apiBase: server.baseURL(fault: "die_after=0"))),
            ],
            fallbacks: ["dies": ["http"]], numRetries: 0, environment: [:])
        let body = #"{"model":"dies","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"one two"}]}"#
        let stream = try await router.streamCompletion(raw: try RawChatRequest(body: Array(body.utf8)))
        #expect(stream.metadata.modelGroup == "http", "died before content: failed over")
        var frames: [RawStreamFrame] = []
        for try await frame in stream { frames.append(frame) }
        var parser = ServerSentEventParser()
        let chunks = try parser.parse(frames.flatMap(\.bytes)).map { try JSONCoding.decode(ChatChunk.self, from: Array($0.data.utf8)) }
        #expect(chunks.compactMap { $0.choices.first?.delta.content }.joined() == "Echo: one two")
        #expect(frames.last?.usage?.totalTokens ?? 0 > 0)
    }
}
