import Foundation
import Synchronization
import SwitchyardCore

/// The mock upstream's behaviour: OpenAI's chat (plain and streamed, tool calls included),
/// embeddings and model list, with request validation like OpenAI's and the faults of a
/// `MockDirective`. It only decides what to answer; playing the answer out (delays, breaking a
/// connection) is the caller's job. Thread-safe; the only state is the `fail_first` counters.
public final class MockResponder: Sendable {
    /// Models listed by `GET /v1/models`.
    public let models: [String]
    /// Added to every directive's latency (the `--latency-ms` knob).
    public let baseLatency: Double
    let counters = Mutex<[String: Int]>([:])
    private let sequence = Atomic<Int>(0)

    /// The next answer number (ids of mock answers).
    func nextNumber() -> Int { sequence.add(1, ordering: .relaxed).newValue }

    public init(models: [String] = ["gpt-4o", "gpt-4o-mini", "text-embedding-3-small"], baseLatency: Double = 0) {
        self.models = models
        self.baseLatency = baseLatency
    }

    /// The header that carries a directive.
    public static let directiveHeader = "x-mock-fault"

    /// Answers one HTTP request. `path` may start with `/fault/<directive>/`; the `x-mock-fault`
    /// header adds to it. `now` (seconds since 1970) stamps `created`.
    public func respond(method: String, path: String, headers: HeaderFields, body: [UInt8], now: Double) -> MockReply {
        var (route, directiveText) = Self.splitFaultPath(path)
        if let header = headers[Self.directiveHeader] { directiveText += ";" + header }
        if let query = route.firstIndex(of: "?") { route = String(route[..<query]) }
        let (directive, unknown) = MockDirective.parse(directiveText)
        if !unknown.isEmpty {
            return error(400, "mock upstream: unknown fault directive(s) \(unknown.joined(separator: ", "))", type: "invalid_request_error")
        }
        switch (method, route) {
        case ("GET", let r) where r.hasSuffix("/health") || r == "/":
            return .answer(status: 200, headers: ["Content-Type": "application/json"], body: Array(#"{"status":"ok"}"#.utf8), delay: 0, truncateAt: nil)
        case ("GET", let r) where r.hasSuffix("/models"):
            return json(200, ModelList(data: models.map { ModelCard(id: $0, created: Int(now), ownedBy: "switchyard-mock") }))
        case ("GET", let r) where r.contains("/models/"):
            let id = r.components(separatedBy: "/models/").last ?? ""
            guard models.contains(id) else { return error(404, "The model '\(id)' does not exist", type: "invalid_request_error", code: "model_not_found") }
            return json(200, ModelCard(id: id, created: Int(now), ownedBy: "switchyard-mock"))
        case ("POST", let r) where r.hasSuffix("/chat/completions"):
            return chat(body: body, directive: directive, directiveText: directiveText, now: now)
        case ("POST", let r) where r.hasSuffix("/token"):
            return oauthToken(body: body)
        case ("POST", let r) where r.contains("/publishers/anthropic/models/") && (r.hasSuffix(":rawPredict") || r.hasSuffix(":streamRawPredict")):
            return vertexClaude(headers: headers, body: body, directive: directive, directiveText: directiveText, now: now)
        case ("POST", let r) where r.contains("/models/") && (r.hasSuffix(":generateContent") || r.hasSuffix(":streamGenerateContent") || r.hasSuffix(":batchEmbedContents") || r.hasSuffix(":predict")):
            return gemini(route: r, headers: headers, body: body, directive: directive, directiveText: directiveText, now: now)
        case ("POST", let r) where r.hasSuffix("/v1/messages"):
            return anthropicMessages(headers: headers, body: body, directive: directive, directiveText: directiveText, now: now)
        case ("POST", let r) where r.hasSuffix("/embeddings"):
            return embeddings(body: body, directive: directive, directiveText: directiveText)
        case (_, let r) where r.hasSuffix("/chat/completions") || r.hasSuffix("/embeddings") || r.hasSuffix("/models"):
            return error(405, "Method \(method) not allowed on \(r)", type: "invalid_request_error")
        default:
            return error(404, "Unknown route \(method) \(route)", type: "invalid_request_error")
        }
    }

    /// Splits `/fault/<directive>/v1/chat/completions` into the route and the directive text.
    static func splitFaultPath(_ path: String) -> (route: String, directive: String) {
        guard path.hasPrefix("/fault/") else { return (path, "") }
        let rest = path.dropFirst("/fault/".count)
        guard let slash = rest.firstIndex(of: "/") else { return ("/", String(rest).removingPercentEncoding) }
        return (String(rest[slash...]), String(rest[..<slash]).removingPercentEncoding)
    }

    // MARK: chat

    func chat(body: [UInt8], directive fromRequest: MockDirective, directiveText: String, now: Double) -> MockReply {
        let request: ChatRequest
        do {
            request = try JSONCoding.decode(ChatRequest.self, from: body)
        } catch {
            return self.error(400, "Invalid request body: \(JSONCoding.describe(error))", type: "invalid_request_error")
        }
        if request.messages.isEmpty {
            return self.error(400, "Invalid 'messages': empty array. Expected an array with minimum length 1.", type: "invalid_request_error", param: "messages")
        }
        var directive = fromRequest
        var fixedContent: String?
        if let mock = request.extra["mock_response"]?.stringValue {
            if let magic = MockDirective.fromLiteLLMMockResponse(mock) { directive = magic } else { fixedContent = mock }
        }
        if let fault = fault(directive, directiveText: directiveText) { return fault }
        let latency = baseLatency + directive.latency
        if directive.malformed {
            if request.isStreaming {
                return .stream(headers: Self.sseHeaders, events: [Array("data: {\"id\": \"broken\", \"choices\": [\n\n".utf8)], delay: latency, interval: 0, complete: true)
            }
            return .answer(status: 200, headers: ["Content-Type": "application/json"], body: Array(#"{"id": "chatcmpl-broken", "choices": ["#.utf8), delay: latency, truncateAt: nil)
        }
        let number = nextNumber()
        let id = "chatcmpl-mock-\(number)"
        let content = fixedContent ?? Self.echo(of: request)
        let toolCall = Self.forcedToolCall(request, number: number)
        let usage = Self.usage(request: request, content: content)
        if request.isStreaming {
            let events = MockStream.events(
                id: id, created: Int(now), model: request.model, content: content, toolCall: toolCall, usage: usage,
                includeUsage: request.streamOptions?.includeUsage == true)
            if let dieAfter = directive.dieAfter {
                return .stream(headers: Self.sseHeaders, events: Array(events.prefix(1 + dieAfter)), delay: latency, interval: directive.chunkDelay, complete: false)
            }
            return .stream(headers: Self.sseHeaders, events: events, delay: latency, interval: directive.chunkDelay, complete: true)
        }
        let message: ChatMessage = toolCall.map { .assistant(toolCalls: [$0]) } ?? .assistant(content)
        let response = ChatResponse(
            id: id, created: Int(now), model: request.model,
            choices: [.init(index: 0, message: message, finishReason: toolCall == nil ? "stop" : "tool_calls")],
            usage: usage, systemFingerprint: "fp_switchyard_mock")
        let body = encoded(response)
        return .answer(
            status: 200, headers: Self.jsonHeaders.appending(Self.rateLimits(remaining: 9_999)), body: body, delay: latency,
            truncateAt: directive.dieAfter.map { min($0, body.count / 2) })
    }

    /// The error this directive calls for now, if any (counting `fail_first`).
    func fault(_ directive: MockDirective, directiveText: String) -> MockReply? {
        if directive.hang { return .hang }
        if let failFirst = directive.failFirst {
            let key = directive.key ?? directiveText
            let seen = counters.withLock { counters -> Int in
                let count = counters[key, default: 0]
                counters[key] = count + 1
                return count
            }
            guard seen < failFirst else { return nil }
        }
        var extraHeaders: HeaderFields = [:]
        if let retryAfter = directive.retryAfter {
            extraHeaders.add("Retry-After", retryAfter == retryAfter.rounded() ? String(Int(retryAfter)) : String(retryAfter))
        }
        let latency = baseLatency + directive.latency
        if directive.contextWindow {
            return error(400, "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens. Please reduce the length of the messages.", type: "invalid_request_error", param: "messages", code: "context_length_exceeded", headers: extraHeaders, delay: latency)
        }
        if directive.contentPolicy {
            return error(400, "Your request was rejected as a result of our safety system.", type: "invalid_request_error", code: "content_policy_violation", headers: extraHeaders, delay: latency)
        }
        let status = directive.status ?? (directive.failFirst != nil ? 500 : nil)
        guard let status else { return nil }
        switch status {
        case 429:
            return error(
                429, "Rate limit reached for requests (mock upstream).", type: "requests", code: "rate_limit_exceeded",
                headers: extraHeaders.appending(Self.rateLimits(remaining: 0)), delay: latency)
        case 401: return error(401, "Incorrect API key provided (mock upstream).", type: "invalid_request_error", code: "invalid_api_key", headers: extraHeaders, delay: latency)
        case 404: return error(404, "The model does not exist (mock upstream).", type: "invalid_request_error", code: "model_not_found", headers: extraHeaders, delay: latency)
        default: return error(status, "The mock upstream failed on purpose with HTTP \(status).", type: status >= 500 ? "server_error" : "invalid_request_error", headers: extraHeaders, delay: latency)
        }
    }

    // MARK: embeddings

    func embeddings(body: [UInt8], directive: MockDirective, directiveText: String) -> MockReply {
        let request: EmbeddingRequest
        do {
            request = try JSONCoding.decode(EmbeddingRequest.self, from: body)
        } catch {
            return self.error(400, "Invalid request body: \(JSONCoding.describe(error))", type: "invalid_request_error")
        }
        if let fault = fault(directive, directiveText: directiveText) { return fault }
        let texts: [String]
        switch request.input {
        case .text(let text): texts = [text]
        case .texts(let list): texts = list
        case .tokens(let tokens): texts = [tokens.map(String.init).joined(separator: " ")]
        case .tokenArrays(let arrays): texts = arrays.map { $0.map(String.init).joined(separator: " ") }
        }
        let dimensions = max(1, min(request.dimensions ?? 8, 4096))
        let base64 = request.encodingFormat == "base64"
        let data = texts.enumerated().map { index, text in
            let vector = Self.vector(for: text, dimensions: dimensions)
            return EmbeddingResponse.Embedding(index: index, embedding: base64 ? .base64(Self.base64Float32(vector)) : .floats(vector))
        }
        let tokens = texts.reduce(0) { $0 + Self.estimateTokens($1) }
        return json(200, EmbeddingResponse(data: data, model: request.model, usage: .init(promptTokens: tokens, totalTokens: tokens)), delay: baseLatency + directive.latency)
    }

    // MARK: helpers

    static let sseHeaders: HeaderFields = ["Content-Type": "text/event-stream", "Cache-Control": "no-cache"]

    /// The answer when nothing else is asked for: the last user message, echoed.
    static func echo(of request: ChatRequest) -> String {
        let lastUser = request.messages.last { $0.role == .user }?.textContent
        return "Echo: " + (lastUser ?? "(no user message)")
    }

    /// A tool call when the request forces one (`tool_choice: required` or a named function).
    static func forcedToolCall(_ request: ChatRequest, number: Int) -> ToolCall? {
        guard let tools = request.tools, let first = tools.first(where: { $0.function != nil })?.function else { return nil }
        switch request.toolChoice {
        case .required?: return .function(id: "call_mock_\(number)", name: first.name, arguments: "{}")
        case .function(let name)?: return .function(id: "call_mock_\(number)", name: name, arguments: "{}")
        default: return nil
        }
    }

    static func estimateTokens(_ text: String) -> Int { max(1, (text.utf8.count + 3) / 4) }

    static func usage(request: ChatRequest, content: String) -> Usage {
        let prompt = request.messages.reduce(0) { $0 + estimateTokens($1.textContent ?? "") + 3 }
        let completion = estimateTokens(content)
        return Usage(promptTokens: prompt, completionTokens: completion)
    }

    /// A deterministic unit-length vector for `text`.
    static func vector(for text: String, dimensions: Int) -> [Double] {
        var state: UInt64 = 14_695_981_039_346_656_037
        for byte in text.utf8 { state = (state ^ UInt64(byte)) &* 1_099_511_628_211 }
        var values: [Double] = []
        values.reserveCapacity(dimensions)
        for _ in 0..<dimensions {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            values.append(Double(Int64(bitPattern: state >> 11) % 2000 - 1000) / 1000)
        }
        let norm = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? values.map { ($0 / norm * 1e6).rounded() / 1e6 } : values
    }

    static func base64Float32(_ values: [Double]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * 4)
        for value in values {
            let bits = Float(value).bitPattern
            bytes.append(contentsOf: [UInt8(bits & 0xFF), UInt8((bits >> 8) & 0xFF), UInt8((bits >> 16) & 0xFF), UInt8(bits >> 24)])
        }
        return Base64.encode(bytes)
    }

    static let jsonHeaders: HeaderFields = ["Content-Type": "application/json"]

    /// OpenAI's rate-limit headers, as its chat answers (and its 429s) carry them.
    static func rateLimits(remaining: Int) -> HeaderFields {
        [
            "x-ratelimit-limit-requests": "10000", "x-ratelimit-remaining-requests": String(remaining),
            "x-ratelimit-reset-requests": remaining == 0 ? "6s" : "6ms",
        ]
    }

    func encoded<T: Encodable>(_ value: T) -> [UInt8] {
        (try? JSONCoding.encode(value)) ?? Array("{}".utf8)
    }

    func json<T: Encodable>(_ status: Int, _ value: T, delay: Double? = nil) -> MockReply {
        .answer(status: status, headers: Self.jsonHeaders, body: encoded(value), delay: delay ?? baseLatency, truncateAt: nil)
    }

    func error(
        _ status: Int, _ message: String, type: String, param: String? = nil, code: String? = nil,
        headers: HeaderFields = [:], delay: Double = 0
    ) -> MockReply {
        let body: JSONValue = ["error": ["message": .string(message), "type": .string(type), "param": param.map(JSONValue.string) ?? .null, "code": code.map(JSONValue.string) ?? .null]]
        var allHeaders: HeaderFields = ["Content-Type": "application/json"]
        allHeaders.fields.append(contentsOf: headers.fields)
        return .answer(status: status, headers: allHeaders, body: (try? JSONCoding.encode(body)) ?? [], delay: delay, truncateAt: nil)
    }
}

extension String {
    /// `%XX` sequences decoded (for directives written in a URL path).
    var removingPercentEncoding: String {
        var bytes: [UInt8] = []
        var iterator = Array(utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
