import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Switchyard
import SwitchyardServer
import Testing

@Suite("Hummingbird adapter")
struct HummingbirdAdapterTests {
    func app(maxRequestBytes: Int? = nil) throws -> some ApplicationProtocol {
        GatewayServer(host: "127.0.0.1", port: 0).application(try makeGateway(maxRequestBytes: maxRequestBytes), logger: Logger(label: "test"))
    }

    @Test("requests and headers travel both ways")
    func roundTrip() async throws {
        try await app().test(.router) { client in
            let response = try await client.execute(
                uri: "/v1/chat/completions?trace=1", method: .post,
                headers: [.authorization: "Bearer \(masterKey)", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"via hb"}]}"#))
            #expect(response.status == .ok)
            #expect(response.headers.first { $0.name.canonicalName == "x-litellm-model-id" }?.value == "mini-1")
            #expect(String(buffer: response.body).contains("Echo: via hb"))
        }
    }

    @Test("a body over the limit is a 413 in OpenAI's shape")
    func tooLarge() async throws {
        try await app(maxRequestBytes: 1024).test(.live) { client in
            let big = String(repeating: "x", count: 4096)
            let response = try await client.execute(
                uri: "/v1/chat/completions", method: .post, headers: [.authorization: "Bearer \(masterKey)"],
                body: ByteBuffer(string: #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"\#(big)"}]}"#))
            #expect(response.status == .contentTooLarge)
            #expect(String(buffer: response.body).contains("(1024 bytes, general_settings.max_request_size_mb)"))
        }
    }

    @Test("a streamed answer arrives as SSE")
    func streaming() async throws {
        try await app().test(.live) { client in
            let response = try await client.execute(
                uri: "/v1/chat/completions", method: .post, headers: [.authorization: "Bearer \(masterKey)"],
                body: ByteBuffer(string: #"{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"s t"}]}"#))
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/event-stream")
            let text = String(buffer: response.body)
            #expect(text.hasSuffix("data: [DONE]\n\n"))
            #expect(text.contains(#""content":"s ""#))
        }
    }
}
