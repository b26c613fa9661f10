@testable import Switchyard
import SwitchyardProviders
@testable import SwitchyardServer
import Testing

@Suite("ResponseHeaders: LiteLLM's headers on an answer")
struct ResponseHeadersTests {
    func metadata(upstream: HeaderFields) -> RoutingMetadata {
        RoutingMetadata(
            requestedModel: "m", modelGroup: "m", deploymentID: "d1", deploymentModel: "openai/gpt-4o", provider: "openai",
            apiBase: "https://api.openai.com/v1", attempts: [], retries: 0, fallbacks: 0, latency: 0.2, usage: nil,
            upstreamHeaders: upstream)
    }

    @Test("the upstream's fields pass as llm_provider-…, rate limits and Retry-After as they are too; framing, cookies and the like in any case never")
    func upstreamFields() {
        let upstream: HeaderFields = [
            "Server": "nginx", "DATE": "Sun, 06 Dec 2026 08:00:00 GMT", "Content-Type": "application/json", "content-length": "884",
            "Connection": "keep-alive", "Keep-Alive": "timeout=5", "Set-Cookie": "a=b", "X-Request-ID": "up-1",
            "Content-Encoding": "gzip", "Transfer-Encoding": "chunked", "X-RateLimit-Remaining-Tokens": "99",
            "Retry-After": "2", "OpenAI-Processing-Ms": "120", "Datex": "kept", "Servers": "kept",
        ]
        let headers = ResponseHeaders.routing(metadata(upstream: upstream), requestID: "req-1", totalSeconds: 0.25)
        let upstreamNames = headers.fields.map(\.name).filter { !$0.hasPrefix("x-litellm-") && $0 != "x-request-id" }
        #expect(
            upstreamNames == [
                "x-ratelimit-remaining-tokens", "llm_provider-x-ratelimit-remaining-tokens", "retry-after", "llm_provider-retry-after",
                "llm_provider-openai-processing-ms", "llm_provider-datex", "llm_provider-servers",
            ])
        #expect(headers["x-request-id"] == "req-1")
        #expect(headers["llm_provider-x-ratelimit-remaining-tokens"] == "99")
        #expect(headers["x-litellm-model-id"] == "d1")
    }
}
