import SwitchyardCore

/// Google's Gemini API (`gemini/` models; `gemini-*` names are inferred): `generateContent`,
/// `streamGenerateContent?alt=sse` and `batchEmbedContents` under
/// `{api_base}/models/{model}`, keyed by `x-goog-api-key`.
public struct GeminiAdapter: ProviderAdapter, EmbeddingsAdapter {
    public static let defaultBase = "https://generativelanguage.googleapis.com/v1beta"

    public init() {}

    public func chatRequest(_ request: ChatRequest, target: ProviderTarget) throws(UpstreamFailure) -> UpstreamRequest {
        let body = try GeminiRequest.body(request)
        let method = request.isStreaming ? "streamGenerateContent?alt=sse" : "generateContent"
        return UpstreamRequest(url: target.url("/models/\(target.model):\(method)"), headers: headers(target), body: try UpstreamRequest.jsonBody(body, for: target))
    }

    public func chatResponse(_ answer: UpstreamAnswer, target: ProviderTarget) throws(UpstreamFailure) -> ChatResponse {
        guard let json = try? JSONCoding.decode(JSONValue.self, from: answer.body) else {
            throw UpstreamFailure(.connection, status: answer.status, message: "Gemini sent an answer that is not JSON", provider: target.provider)
        }
        let response = try GeminiResponse(json, provider: target.provider)
        let id = response.id.map { "chatcmpl-" + $0 } ?? "chatcmpl-gemini-\(Int(answer.receivedAt))"
        let choices = response.candidates.map { candidate -> ChatResponse.Choice in
            var message = ChatMessage(role: .assistant, content: candidate.calls.isEmpty || !candidate.text.isEmpty ? .text(candidate.text) : nil)
            if !candidate.reasoning.isEmpty { message.reasoningContent = candidate.reasoning }
            if !candidate.calls.isEmpty { message.toolCalls = GeminiResponse.toolCalls(candidate.calls, firstIndex: 0, idPrefix: id).map { call in
                var call = call
                call.index = nil
                return call
            } }
            return .init(index: candidate.index, message: message, finishReason: candidate.finishReason ?? "stop")
        }
        return ChatResponse(id: id, created: Int(answer.receivedAt), model: response.model ?? target.model, choices: choices, usage: response.usage)
    }

    public func chatStreamDecoder(target: ProviderTarget) -> any ChatStreamDecoder {
        GeminiStreamDecoder(model: target.model, provider: target.provider, created: 0)
    }

    /// Gemini's `{"error":{"code","message","status"}}`; a safety refusal behind a 400 is a
    /// content-policy failure, a prompt over the limit a context-window one.
    public func failure(_ answer: UpstreamAnswer, target: ProviderTarget) -> UpstreamFailure {
        var failure = UpstreamFailureClassifier.classify(answer, provider: target.provider)
        if failure.kind == .badRequest || failure.kind == .server {
            let lower = failure.message.lowercased()
            if lower.contains("input token count") && lower.contains("exceeds") { failure.kind = .contextWindowExceeded }
        }
        return failure
    }

    public func embeddingRequest(_ request: EmbeddingRequest, target: ProviderTarget) throws(UpstreamFailure) -> UpstreamRequest {
        let texts = try request.input.texts(for: target, providerName: "Gemini")
        let requests: [JSONValue] = texts.map { text in
            var item: [String: JSONValue] = ["model": .string("models/\(target.model)"), "content": ["parts": [["text": .string(text)]]]]
            if let dimensions = request.dimensions { item["outputDimensionality"] = .int(dimensions) }
            return .object(item)
        }
        return UpstreamRequest(
            url: target.url("/models/\(target.model):batchEmbedContents"), headers: headers(target), body: try UpstreamRequest.jsonBody(["requests": .array(requests)], for: target))
    }

    public func embeddingResponse(_ answer: UpstreamAnswer, target: ProviderTarget) throws(UpstreamFailure) -> EmbeddingResponse {
        guard let json = try? JSONCoding.decode(JSONValue.self, from: answer.body), let list = json["embeddings"]?.arrayValue else {
            throw UpstreamFailure(.connection, status: answer.status, message: "Gemini sent an embeddings answer without embeddings", provider: target.provider)
        }
        let data = list.enumerated().map { index, item in
            EmbeddingResponse.Embedding(index: index, embedding: .floats((item["values"]?.arrayValue ?? []).compactMap(\.doubleValue)))
        }
        return EmbeddingResponse(data: data, model: target.model, usage: nil)
    }

    func headers(_ target: ProviderTarget) -> HeaderFields {
        UpstreamRequest.jsonHeaders(target, adding: target.apiKey.map { ["x-goog-api-key": $0] } ?? [:])
    }
}
