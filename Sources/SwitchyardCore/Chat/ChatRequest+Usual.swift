/// The usual chat request read without the `Codable` machinery: a translated request's decode
/// went mostly to the generic containers (a keyed lookup and a type check per member), for
/// bodies that are almost always a model, string messages and a few numbers.
extension ChatRequest {
    /// The request in `bytes`: the usual shape (see `init?(usual:)`) read straight from the parsed
    /// value, anything else by the decoder, which also gives every error. Both give equal requests.
    public static func decoded(from bytes: [UInt8]) throws -> ChatRequest {
        guard let value = JSONValue.parse(bytes) else { throw JSONCoding.malformed }
        if let request = ChatRequest(usual: value) { return request }
        return try JSONValueDecoder.decode(ChatRequest.self, from: value, at: LazyCodingPath())
    }

    /// A request whose members are all among the plain ones (model, messages, and numbers,
    /// flags and strings), each of its type or null; its messages as `ChatMessage(usual:)`
    /// reads them. Nil for anything else.
    init?(usual value: JSONValue) {
        guard case .object(let members) = value, case .string(let model)? = members["model"],
            case .array(let items)? = members["messages"]
        else { return nil }
        var messages: [ChatMessage] = []
        messages.reserveCapacity(items.count)
        for item in items {
            guard let message = ChatMessage(usual: item) else { return nil }
            messages.append(message)
        }
        self.init(model: model, messages: messages)
        for (name, member) in members {
            let read: Bool
            switch name {
            case "model", "messages": read = true
            case "temperature": read = Usual.double(member, into: &temperature)
            case "top_p": read = Usual.double(member, into: &topP)
            case "presence_penalty": read = Usual.double(member, into: &presencePenalty)
            case "frequency_penalty": read = Usual.double(member, into: &frequencyPenalty)
            case "n": read = Usual.int(member, into: &n)
            case "max_tokens": read = Usual.int(member, into: &maxTokens)
            case "max_completion_tokens": read = Usual.int(member, into: &maxCompletionTokens)
            case "seed": read = Usual.int(member, into: &seed)
            case "top_logprobs": read = Usual.int(member, into: &topLogprobs)
            case "logprobs": read = Usual.bool(member, into: &logprobs)
            case "stream": read = Usual.bool(member, into: &stream)
            case "parallel_tool_calls": read = Usual.bool(member, into: &parallelToolCalls)
            case "store": read = Usual.bool(member, into: &store)
            case "user": read = Usual.string(member, into: &user)
            case "reasoning_effort": read = Usual.string(member, into: &reasoningEffort)
            case "verbosity": read = Usual.string(member, into: &verbosity)
            case "safety_identifier": read = Usual.string(member, into: &safetyIdentifier)
            case "prompt_cache_key": read = Usual.string(member, into: &promptCacheKey)
            case "prompt_cache_retention": read = Usual.string(member, into: &promptCacheRetention)
            case "service_tier": read = Usual.string(member, into: &serviceTier)
            default: read = false
            }
            guard read else { return nil }
        }
    }
}

extension ChatMessage {
    /// A message with a string role and only string (or null) content, name, tool call id,
    /// refusal and reasoning; nil for anything else.
    init?(usual value: JSONValue) {
        guard case .object(let members) = value, case .string(let role)? = members["role"] else { return nil }
        self.init(role: Role(rawValue: role))
        for (name, member) in members {
            let read: Bool
            switch name {
            case "role": read = true
            case "content":
                switch member {
                case .string(let text): content = .text(text); read = true
                case .null: read = true
                default: read = false
                }
            case "name": read = Usual.string(member, into: &self.name)
            case "tool_call_id": read = Usual.string(member, into: &toolCallID)
            case "refusal": read = Usual.string(member, into: &refusal)
            case "reasoning_content": read = Usual.string(member, into: &reasoningContent)
            default: read = false
            }
            guard read else { return nil }
        }
    }
}

/// A member read as the decoder reads an optional of its type: null is absent, a number is a
/// `Double` (an integer converted), an integer only from an integer; false for anything else.
private enum Usual {
    static func read<T>(_ value: JSONValue, into slot: inout T?, _ extract: (JSONValue) -> T?) -> Bool {
        if case .null = value {
            slot = nil
            return true
        }
        guard let read = extract(value) else { return false }
        slot = read
        return true
    }

    static func double(_ value: JSONValue, into slot: inout Double?) -> Bool {
        read(value, into: &slot) {
            switch $0 {
            case .int(let number): Double(number)
            case .double(let number): number
            default: nil
            }
        }
    }

    static func int(_ value: JSONValue, into slot: inout Int?) -> Bool {
        read(value, into: &slot) { if case .int(let number) = $0 { number } else { nil } }
    }

    static func bool(_ value: JSONValue, into slot: inout Bool?) -> Bool {
        read(value, into: &slot) { if case .bool(let flag) = $0 { flag } else { nil } }
    }

    static func string(_ value: JSONValue, into slot: inout String?) -> Bool {
        read(value, into: &slot) { if case .string(let text) = $0 { text } else { nil } }
    }
}
