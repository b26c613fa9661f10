import SwitchyardCore

/// A Gemini `GenerateContentResponse` (a whole answer, or one chunk of a stream) read into
/// canonical choices: text parts → content, `thought` parts → reasoning, `functionCall` parts →
/// tool calls, finish reasons mapped, `usageMetadata` → usage (thoughts counted as completion
/// and as reasoning tokens, cached content as cached prompt tokens). A prompt or answer
/// blocked for safety is a content-policy failure, so `content_policy_fallbacks` apply.
struct GeminiResponse {
    struct Candidate {
        var index: Int
        var text: String
        var reasoning: String
        var calls: [(id: String?, name: String, arguments: String)]
        var finishReason: String?
    }

    var id: String?
    var model: String?
    var candidates: [Candidate]
    var usage: Usage?

    init(_ json: JSONValue, provider: String) throws(UpstreamFailure) {
        if let blocked = json["promptFeedback"]?["blockReason"]?.stringValue, (json["candidates"]?.arrayValue ?? []).isEmpty {
            throw UpstreamFailure(
                .contentPolicy, status: 400, message: "Gemini blocked the prompt (\(blocked)) under its safety settings", provider: provider)
        }
        id = json["responseId"]?.stringValue
        model = json["modelVersion"]?.stringValue
        candidates = []
        for (position, candidate) in (json["candidates"]?.arrayValue ?? []).enumerated() {
            var text = "", reasoning = ""
            var calls: [(id: String?, name: String, arguments: String)] = []
            for part in candidate["content"]?["parts"]?.arrayValue ?? [] {
                if let call = part["functionCall"] {
                    let args = call["args"] ?? .object([:])
                    let arguments = (try? JSONCoding.encode(args)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
                    calls.append((call["id"]?.stringValue, call["name"]?.stringValue ?? "", arguments))
                } else if let value = part["text"]?.stringValue {
                    if part["thought"]?.boolValue == true { reasoning += value } else { text += value }
                }
            }
            let raw = candidate["finishReason"]?.stringValue
            if let raw, Self.safetyReasons.contains(raw), text.isEmpty, calls.isEmpty {
                throw UpstreamFailure(
                    .contentPolicy, status: 400, message: "Gemini stopped the answer (\(raw)) under its safety settings", provider: provider)
            }
            candidates.append(Candidate(
                index: candidate["index"]?.intValue ?? position, text: text, reasoning: reasoning, calls: calls,
                finishReason: raw.map { Self.finishReason($0, calledTools: !calls.isEmpty) }))
        }
        if let metadata = json["usageMetadata"]?.objectValue {
            let prompt = metadata["promptTokenCount"]?.intValue ?? 0
            let thoughts = metadata["thoughtsTokenCount"]?.intValue
            let completion = (metadata["candidatesTokenCount"]?.intValue ?? 0) + (thoughts ?? 0)
            let cached = metadata["cachedContentTokenCount"]?.intValue
            usage = Usage(
                promptTokens: prompt, completionTokens: completion, totalTokens: metadata["totalTokenCount"]?.intValue ?? prompt + completion,
                promptTokensDetails: cached.map { .init(cachedTokens: $0) },
                completionTokensDetails: thoughts.map { .init(reasoningTokens: $0) })
        }
    }

    static let safetyReasons: Set<String> = ["SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY"]

    static func finishReason(_ raw: String, calledTools: Bool) -> String {
        if safetyReasons.contains(raw) { return "content_filter" }
        switch raw {
        case "MAX_TOKENS": return "length"
        case "STOP", "FINISH_REASON_UNSPECIFIED": return calledTools ? "tool_calls" : "stop"
        case "MALFORMED_FUNCTION_CALL", "UNEXPECTED_TOOL_CALL": return "stop"
        default: return calledTools ? "tool_calls" : "stop"
        }
    }

    static func toolCalls(_ calls: [(id: String?, name: String, arguments: String)], firstIndex: Int, idPrefix: String) -> [ToolCall] {
        calls.enumerated().map { offset, call in
            ToolCall(
                index: firstIndex + offset, id: call.id ?? "call_\(idPrefix)_\(firstIndex + offset)", type: "function",
                function: FunctionCall(name: call.name, arguments: call.arguments))
        }
    }
}
