import Foundation
import SwitchyardCore

/// The mock upstream's Gemini API (`POST …/models/{model}:generateContent`,
/// `:streamGenerateContent?alt=sse`, `:batchEmbedContents`), strict where a wrong translation
/// would show: it wants `x-goog-api-key`, refuses members Gemini does not have (an
/// OpenAI-shaped body fails: "Unknown name \"messages\""), roles other than `user` and
/// `model`, schema keys Gemini rejects, a `functionResponse` without a name; it answers in
/// Gemini's shapes, streams `data:` events with CRLF endings, and plays faults as Gemini
/// does (a safety block is a 200 with `promptFeedback.blockReason`).
extension MockResponder {
    static let geminiMembers: Set<String> = [
        "contents", "systemInstruction", "system_instruction", "generationConfig", "generation_config", "tools", "toolConfig",
        "tool_config", "safetySettings", "safety_settings", "cachedContent", "cached_content", "labels",
    ]
    static let geminiSchemaKeys: Set<String> = GeminiSchemaKeys.allowed

    func gemini(route: String, headers: HeaderFields, body: [UInt8], directive: MockDirective, directiveText: String, now: Double) -> MockReply {
        let vertex = route.contains("/publishers/google/")
        if vertex {
            guard Self.bearerIsMockToken(headers) else {
                return geminiError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token.")
            }
        } else if headers["x-goog-api-key"]?.isEmpty ?? true {
            return geminiError(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.")
        }
        guard let json = try? JSONCoding.decode(JSONValue.self, from: body), let object = json.objectValue else {
            return geminiError(400, "INVALID_ARGUMENT", "Invalid JSON payload received.")
        }
        let model = route.components(separatedBy: "/models/").last?.components(separatedBy: ":").first ?? "gemini"
        if route.hasSuffix(":batchEmbedContents") { return geminiEmbeddings(object, directive: directive, directiveText: directiveText) }
        if route.hasSuffix(":predict") { return vertexEmbeddings(object, directive: directive, directiveText: directiveText) }
        if let unknown = object.keys.sorted().first(where: { !Self.geminiMembers.contains($0) }) {
            return geminiError(400, "INVALID_ARGUMENT", "Invalid JSON payload received. Unknown name \"\(unknown)\": Cannot find field.")
        }
        guard let contents = object["contents"]?.arrayValue, !contents.isEmpty else {
            return geminiError(400, "INVALID_ARGUMENT", "* GenerateContentRequest.contents: contents is not specified")
        }
        var lastUserText: String?
        for (index, content) in contents.enumerated() {
            guard let role = content["role"]?.stringValue, role == "user" || role == "model" else {
                return geminiError(400, "INVALID_ARGUMENT", "Please use a valid role: user, model.")
            }
            guard let parts = content["parts"]?.arrayValue, !parts.isEmpty else {
                return geminiError(400, "INVALID_ARGUMENT", "* GenerateContentRequest.contents[\(index)].parts: contents.parts must not be empty.")
            }
            for part in parts {
                if let response = part["functionResponse"], response["name"]?.stringValue?.isEmpty ?? true {
                    return geminiError(400, "INVALID_ARGUMENT", "* GenerateContentRequest.contents[\(index)].parts: function_response.name: Name cannot be empty.")
                }
                if role == "user", let text = part["text"]?.stringValue { lastUserText = text }
            }
        }
        var declarations: [String] = []
        for (index, tool) in (object["tools"]?.arrayValue ?? []).enumerated() {
            for (position, declaration) in (tool["functionDeclarations"]?.arrayValue ?? []).enumerated() {
                if let parameters = declaration["parameters"], let bad = Self.badSchemaKey(parameters) {
                    return geminiError(400, "INVALID_ARGUMENT", "Invalid JSON payload received. Unknown name \"\(bad)\" at 'tools[\(index)].function_declarations[\(position)].parameters': Cannot find field.")
                }
                if let name = declaration["name"]?.stringValue { declarations.append(name) }
            }
        }
        if let schema = object["generationConfig"]?["responseSchema"], let bad = Self.badSchemaKey(schema) {
            return geminiError(400, "INVALID_ARGUMENT", "Invalid JSON payload received. Unknown name \"\(bad)\" at 'generation_config.response_schema': Cannot find field.")
        }
        if directive.contextWindow {
            return geminiError(400, "INVALID_ARGUMENT", "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).")
        }
        let latency = baseLatency + directive.latency
        if directive.contentPolicy {
            let blocked: JSONValue = ["promptFeedback": ["blockReason": "SAFETY"], "usageMetadata": ["promptTokenCount": 5, "totalTokenCount": 5]]
            return .answer(status: 200, headers: Self.jsonHeaders, body: (try? JSONCoding.encode(blocked)) ?? [], delay: latency, truncateAt: nil)
        }
        if let fault = fault(directive, directiveText: directiveText) { return Self.geminiShaped(fault) }
        let number = nextNumber()
        let text = "Echo: " + (lastUserText ?? "(no user message)")
        let mode = object["toolConfig"]?["functionCallingConfig"]?["mode"]?.stringValue
        let allowed = object["toolConfig"]?["functionCallingConfig"]?["allowedFunctionNames"]?.arrayValue?.first?.stringValue
        let call = mode == "ANY" ? (allowed ?? declarations.first) : nil
        let promptTokens = Self.estimateTokens(lastUserText ?? "") + 3
        func usage(_ completion: Int) -> JSONValue {
            ["promptTokenCount": .int(promptTokens), "candidatesTokenCount": .int(completion), "totalTokenCount": .int(promptTokens + completion)]
        }
        func response(_ parts: [JSONValue], finish: String?, completion: Int) -> JSONValue {
            var candidate: [String: JSONValue] = ["content": ["role": "model", "parts": .array(parts)], "index": 0]
            if let finish { candidate["finishReason"] = .string(finish) }
            return ["candidates": [.object(candidate)], "usageMetadata": usage(completion), "modelVersion": .string(model), "responseId": .string("mock-\(number)")]
        }
        let answerParts: [JSONValue] = call.map { [["functionCall": ["name": .string($0), "args": .object([:])]]] } ?? [["text": .string(text)]]
        if route.hasSuffix(":streamGenerateContent") {
            var events: [[UInt8]] = []
            if call != nil {
                events.append(Self.geminiEvent(response(answerParts, finish: "STOP", completion: 3)))
            } else {
                let words = MockStream.words(text)
                for (index, word) in words.enumerated() {
                    let last = index == words.count - 1
                    events.append(Self.geminiEvent(response([["text": .string(word)]], finish: last ? "STOP" : nil, completion: index + 1)))
                }
            }
            if let dieAfter = directive.dieAfter {
                return .stream(headers: Self.sseHeaders, events: Array(events.prefix(dieAfter)), delay: latency, interval: directive.chunkDelay, complete: false)
            }
            return .stream(headers: Self.sseHeaders, events: events, delay: latency, interval: directive.chunkDelay, complete: true)
        }
        let bytes = (try? JSONCoding.encode(response(answerParts, finish: "STOP", completion: Self.estimateTokens(text)))) ?? []
        return .answer(status: 200, headers: Self.jsonHeaders, body: bytes, delay: latency, truncateAt: directive.dieAfter.map { min($0, bytes.count / 2) })
    }

    func geminiEmbeddings(_ object: [String: JSONValue], directive: MockDirective, directiveText: String) -> MockReply {
        guard let requests = object["requests"]?.arrayValue, !requests.isEmpty else {
            return geminiError(400, "INVALID_ARGUMENT", "* BatchEmbedContentsRequest.requests: requests is not specified")
        }
        if let fault = fault(directive, directiveText: directiveText) { return Self.geminiShaped(fault) }
        let embeddings: [JSONValue] = requests.map { request in
            let text = request["content"]?["parts"]?.arrayValue?.compactMap { $0["text"]?.stringValue }.joined() ?? ""
            let dimensions = max(1, min(request["outputDimensionality"]?.intValue ?? 8, 4096))
            return ["values": .array(Self.vector(for: text, dimensions: dimensions).map(JSONValue.double))]
        }
        return .answer(status: 200, headers: Self.jsonHeaders, body: (try? JSONCoding.encode(JSONValue.object(["embeddings": .array(embeddings)]))) ?? [], delay: baseLatency + directive.latency, truncateAt: nil)
    }

    /// The first key of a schema (recursively) that Gemini's `Schema` does not have.
    static func badSchemaKey(_ schema: JSONValue) -> String? {
        guard let object = schema.objectValue else { return nil }
        if let bad = object.keys.sorted().first(where: { !geminiSchemaKeys.contains($0) }) { return bad }
        for (_, property) in object["properties"]?.objectValue ?? [:] { if let bad = badSchemaKey(property) { return bad } }
        if let items = object["items"], let bad = badSchemaKey(items) { return bad }
        for option in object["anyOf"]?.arrayValue ?? [] { if let bad = badSchemaKey(option) { return bad } }
        return nil
    }

    static func geminiEvent(_ value: JSONValue) -> [UInt8] {
        Array("data: ".utf8) + ((try? JSONCoding.encode(value)) ?? []) + Array("\r\n\r\n".utf8)
    }

    func geminiError(_ status: Int, _ code: String, _ message: String) -> MockReply {
        let body: JSONValue = ["error": ["code": .int(status), "message": .string(message), "status": .string(code)]]
        return .answer(status: status, headers: Self.jsonHeaders, body: (try? JSONCoding.encode(body)) ?? [], delay: baseLatency, truncateAt: nil)
    }

    /// A fault reply (OpenAI-shaped) re-rendered as Gemini's error for its status.
    static func geminiShaped(_ reply: MockReply) -> MockReply {
        guard case .answer(let status, let headers, let body, let delay, let truncateAt) = reply, status >= 400 else { return reply }
        let message = (try? JSONCoding.decode(JSONValue.self, from: body))?["error"]?["message"]?.stringValue ?? "mock upstream error"
        let code: String
        switch status {
        case 400: code = "INVALID_ARGUMENT"
        case 401: code = "UNAUTHENTICATED"
        case 403: code = "PERMISSION_DENIED"
        case 404: code = "NOT_FOUND"
        case 429: code = "RESOURCE_EXHAUSTED"
        case 503: code = "UNAVAILABLE"
        case 504: code = "DEADLINE_EXCEEDED"
        default: code = "INTERNAL"
        }
        let gemini: JSONValue = ["error": ["code": .int(status), "message": .string(message), "status": .string(code)]]
        return .answer(status: status, headers: headers, body: (try? JSONCoding.encode(gemini)) ?? body, delay: delay, truncateAt: truncateAt)
    }
}
