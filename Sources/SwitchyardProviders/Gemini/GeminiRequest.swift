import SwitchyardCore

/// The canonical chat request as a Gemini `generateContent` body: system and developer
/// messages → `systemInstruction`; user → `user` and assistant → `model` turns (consecutive
/// turns of one role merged); parts for text, images and files (`inlineData` for data URLs,
/// `fileData` for URLs); tool calls → `functionCall`, tool messages → `functionResponse` (with
/// the call's id and name); the sampling parameters → `generationConfig`; tools →
/// `functionDeclarations` with schemas Gemini accepts; `tool_choice` → `toolConfig`.
enum GeminiRequest {
    static func body(_ request: ChatRequest) throws(UpstreamFailure) -> JSONValue {
        var system: [JSONValue] = []
        var contents: [(role: String, parts: [JSONValue])] = []
        var callNames: [String: String] = [:]

        func append(_ role: String, _ parts: [JSONValue]) {
            guard !parts.isEmpty else { return }
            if let last = contents.last, last.role == role {
                contents[contents.count - 1].parts += parts
            } else {
                contents.append((role, parts))
            }
        }

        for message in request.messages {
            switch message.role {
            case .system, .developer:
                system += try parts(message.content)
            case .assistant:
                // Earlier reasoning is not sent back: Gemini does not take thoughts as input.
                var modelParts = try parts(message.content)
                for call in message.toolCalls ?? [] {
                    guard let name = call.function?.name else { continue }
                    let args = call.function?.arguments.flatMap { try? JSONCoding.decode(JSONValue.self, from: Array($0.utf8)) } ?? .object([:])
                    var functionCall: [String: JSONValue] = ["name": .string(name), "args": args.objectValue != nil ? args : .object([:])]
                    if let id = call.id { functionCall["id"] = .string(id); callNames[id] = name }
                    modelParts.append(["functionCall": .object(functionCall)])
                }
                append("model", modelParts)
            case .tool:
                let id = message.toolCallID ?? ""
                let name = callNames[id] ?? message.name ?? "tool"
                let text = message.content?.text ?? ""
                let parsed = try? JSONCoding.decode(JSONValue.self, from: Array(text.utf8))
                let response: JSONValue = parsed?.objectValue != nil ? (parsed ?? .null) : ["content": .string(text)]
                var functionResponse: [String: JSONValue] = ["name": .string(name), "response": response]
                if !id.isEmpty { functionResponse["id"] = .string(id) }
                append("user", [["functionResponse": .object(functionResponse)]])
            default:
                append("user", try parts(message.content))
            }
        }

        var body: [String: JSONValue] = [
            "contents": .array(contents.map { ["role": .string($0.role), "parts": .array($0.parts)] })
        ]
        if !system.isEmpty { body["systemInstruction"] = ["parts": .array(system)] }

        var config: [String: JSONValue] = [:]
        if let value = request.temperature { config["temperature"] = .double(value) }
        if let value = request.topP { config["topP"] = .double(value) }
        if let value = request.extra["top_k"], !value.isNull { config["topK"] = value }
        if let value = request.maxCompletionTokens ?? request.maxTokens { config["maxOutputTokens"] = .int(value) }
        if let stop = request.stop { config["stopSequences"] = .array(stop.values.map(JSONValue.string)) }
        if let n = request.n { config["candidateCount"] = .int(n) }
        if let value = request.presencePenalty { config["presencePenalty"] = .double(value) }
        if let value = request.frequencyPenalty { config["frequencyPenalty"] = .double(value) }
        if let seed = request.seed { config["seed"] = .int(seed) }
        if let format = request.responseFormat {
            switch format.type {
            case "json_object":
                config["responseMimeType"] = "application/json"
            case "json_schema":
                config["responseMimeType"] = "application/json"
                if let schema = format.jsonSchema?.schema { config["responseSchema"] = GeminiSchema.clean(schema) }
            default:
                break
            }
        }
        if let effort = request.reasoningEffort {
            switch effort {
            case "none", "minimal": config["thinkingConfig"] = ["thinkingBudget": 0]
            case "low": config["thinkingConfig"] = ["thinkingBudget": 1024, "includeThoughts": true]
            case "medium": config["thinkingConfig"] = ["thinkingBudget": 2048, "includeThoughts": true]
            default: config["thinkingConfig"] = ["thinkingBudget": 4096, "includeThoughts": true]
            }
        }
        if !config.isEmpty { body["generationConfig"] = .object(config) }

        let declarations: [JSONValue] = (request.tools ?? []).compactMap { tool in
            guard tool.type == "function", let function = tool.function else { return nil }
            var declaration: [String: JSONValue] = ["name": .string(function.name)]
            if let description = function.description { declaration["description"] = .string(description) }
            if let parameters = function.parameters, let object = parameters.objectValue, !(object["properties"]?.objectValue?.isEmpty ?? true) {
                declaration["parameters"] = GeminiSchema.clean(parameters)
            }
            return .object(declaration)
        }
        if !declarations.isEmpty { body["tools"] = [["functionDeclarations": .array(declarations)]] }
        switch request.toolChoice {
        case .auto?: body["toolConfig"] = ["functionCallingConfig": ["mode": "AUTO"]]
        case .none?: body["toolConfig"] = ["functionCallingConfig": ["mode": "NONE"]]
        case .required?: body["toolConfig"] = ["functionCallingConfig": ["mode": "ANY"]]
        case .function(let name)?: body["toolConfig"] = ["functionCallingConfig": ["mode": "ANY", "allowedFunctionNames": [.string(name)]]]
        default: break
        }
        if let safety = request.extra["safety_settings"] ?? request.extra["safetySettings"] { body["safetySettings"] = safety }
        return .object(body)
    }

    /// Message content as Gemini parts.
    static func parts(_ content: MessageContent?) throws(UpstreamFailure) -> [JSONValue] {
        switch content {
        case nil: return []
        case .text(let text)?: return text.isEmpty ? [] : [["text": .string(text)]]
        case .parts(let parts)?:
            var out: [JSONValue] = []
            for part in parts {
                switch part.type {
                case .text:
                    if let text = part.text, !text.isEmpty { out.append(["text": .string(text)]) }
                case .imageURL:
                    if let url = part.imageURL?.url { out.append(media(url, fallbackType: "image/jpeg")) }
                case .file:
                    if let data = part.file?.fileData { out.append(media(data, fallbackType: "application/pdf")) }
                case .inputAudio:
                    if let audio = part.inputAudio {
                        out.append(["inlineData": ["mimeType": .string("audio/\(audio.format)"), "data": .string(audio.data)]])
                    }
                default:
                    throw UpstreamFailure(.badRequest, message: "Gemini cannot take a content part of type '\(part.type.rawValue)'", provider: "gemini")
                }
            }
            return out
        }
    }

    /// A data URL as `inlineData`, any other URL as `fileData` (type from its extension).
    static func media(_ url: String, fallbackType: String) -> JSONValue {
        if url.hasPrefix("data:"), let comma = url.firstIndex(of: ",") {
            let header = url[url.index(url.startIndex, offsetBy: 5)..<comma]
            let mime = header.split(separator: ";").first.map(String.init) ?? fallbackType
            return ["inlineData": ["mimeType": .string(mime), "data": .string(String(url[url.index(after: comma)...]))]]
        }
        let lower = url.lowercased().split(separator: "?").first.map(String.init) ?? url.lowercased()
        let types = [
            ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp", ".gif": "image/gif",
            ".pdf": "application/pdf", ".mp3": "audio/mp3", ".wav": "audio/wav", ".mp4": "video/mp4",
        ]
        let mime = types.first { lower.hasSuffix($0.key) }?.value ?? fallbackType
        return ["fileData": ["mimeType": .string(mime), "fileUri": .string(url)]]
    }
}
