/// The usual chat request read without the `Codable` machinery: a translated request's decode
/// went mostly to the generic containers (a keyed lookup and a type check per member), for
/// bodies that are almost always a model, string messages and a few numbers.
extension ChatRequest {
    /// The request in `bytes`: the usual shape (see `init?(usual:)`) read straight from the
    /// scanned bytes, anything else by the decoder, which also gives every error. Both give
    /// equal requests.
    public static func decoded(from bytes: [UInt8]) throws -> ChatRequest {
        try decoded(JSONObjectScan(bytes), bytes)
    }

    /// `decoded(from:)` for a body already scanned (the server's `RawChatRequest` holds its scan).
    public static func decoded(from scan: JSONObjectScan) throws -> ChatRequest {
        try decoded(scan, scan.bytes)
    }

    private static func decoded(_ scan: JSONObjectScan?, _ bytes: [UInt8]) throws -> ChatRequest {
        if let scan, let request = ChatRequest(usual: scan) { return request }
        guard let value = JSONValue.parse(bytes) else { throw JSONCoding.malformed }
        return try JSONValueDecoder.decode(ChatRequest.self, from: value, at: LazyCodingPath())
    }

    /// A request whose members are all among the plain ones (model, messages, and numbers,
    /// flags and strings), each of its type or null, none repeated; its messages as
    /// `ChatMessage.appendUsual` reads them. Nil for anything else.
    init?(usual scan: JSONObjectScan) {
        guard let model = scan.member("model").flatMap({ scan.scalar(at: $0.value)?.stringValue }),
            let items = scan.items("messages")
        else { return nil }
        var messages: [ChatMessage] = []
        messages.reserveCapacity(items.count)
        for item in items {
            // Read into its place in the array: a message made and then appended was copied.
            guard let object = JSONObjectScan(scan.bytes, at: item), ChatMessage.appendUsual(object, to: &messages) else { return nil }
        }
        self.init(model: model, messages: messages)
        var seen = Usual.Seen()
        for member in scan.members {
            let name = scan.key(member)
            let value = scan.scalar(at: member.value)
            let read: Bool
            switch name {
            case "model", "messages": read = seen.first(name == "model" ? 0 : 1)
            case "temperature": read = seen.first(2) && Usual.double(value, into: &temperature)
            case "top_p": read = seen.first(3) && Usual.double(value, into: &topP)
            case "presence_penalty": read = seen.first(4) && Usual.double(value, into: &presencePenalty)
            case "frequency_penalty": read = seen.first(5) && Usual.double(value, into: &frequencyPenalty)
            case "n": read = seen.first(6) && Usual.int(value, into: &n)
            case "max_tokens": read = seen.first(7) && Usual.int(value, into: &maxTokens)
            case "max_completion_tokens": read = seen.first(8) && Usual.int(value, into: &maxCompletionTokens)
            case "seed": read = seen.first(9) && Usual.int(value, into: &seed)
            case "top_logprobs": read = seen.first(10) && Usual.int(value, into: &topLogprobs)
            case "logprobs": read = seen.first(11) && Usual.bool(value, into: &logprobs)
            case "stream": read = seen.first(12) && Usual.bool(value, into: &stream)
            case "parallel_tool_calls": read = seen.first(13) && Usual.bool(value, into: &parallelToolCalls)
            case "store": read = seen.first(14) && Usual.bool(value, into: &store)
            case "user": read = seen.first(15) && Usual.string(value, into: &user)
            case "reasoning_effort": read = seen.first(16) && Usual.string(value, into: &reasoningEffort)
            case "verbosity": read = seen.first(17) && Usual.string(value, into: &verbosity)
            case "safety_identifier": read = seen.first(18) && Usual.string(value, into: &safetyIdentifier)
            case "prompt_cache_key": read = seen.first(19) && Usual.string(value, into: &promptCacheKey)
            case "prompt_cache_retention": read = seen.first(20) && Usual.string(value, into: &promptCacheRetention)
            case "service_tier": read = seen.first(21) && Usual.string(value, into: &serviceTier)
            default: read = false
            }
            guard read else { return nil }
        }
    }
}

extension ChatMessage {
    /// Appends the message when it has a string role and only string (or null) content, name,
    /// tool call id, refusal and reasoning, none repeated; false (`messages` unchanged) for
    /// anything else.
    static func appendUsual(_ scan: JSONObjectScan, to messages: inout [ChatMessage]) -> Bool {
        guard let role = scan.member("role").flatMap({ scan.scalar(at: $0.value)?.stringValue }) else { return false }
        messages.append(ChatMessage(role: Role(rawValue: role)))
        guard messages[messages.count - 1].readUsual(scan) else {
            messages.removeLast()
            return false
        }
        return true
    }

    /// Reads the members after the role (see `appendUsual`).
    private mutating func readUsual(_ scan: JSONObjectScan) -> Bool {
        var seen = Usual.Seen()
        for member in scan.members {
            let value = scan.scalar(at: member.value)
            let read: Bool
            switch scan.key(member) {
            case "role": read = seen.first(0)
            case "content":
                switch value {
                case .string(let text)?: content = .text(text); read = seen.first(1)
                case .null?: read = seen.first(1)
                default: read = false
                }
            case "name": read = seen.first(2) && Usual.string(value, into: &self.name)
            case "tool_call_id": read = seen.first(3) && Usual.string(value, into: &toolCallID)
            case "refusal": read = seen.first(4) && Usual.string(value, into: &refusal)
            case "reasoning_content": read = seen.first(5) && Usual.string(value, into: &reasoningContent)
            default: read = false
            }
            guard read else { return false }
        }
        return true
    }
}

/// A member read as the decoder reads an optional of its type: null is absent, a number is a
/// `Double` (an integer converted), an integer only from an integer; false for anything else.
/// A scalar's value is nil for an object or array: false, as for a value of the wrong type.
private enum Usual {
    /// The members read so far, by their place in the reader's list: a repeated member (whose
    /// first value the decoder keeps) is left to the decoder.
    struct Seen {
        var bits: UInt32 = 0

        mutating func first(_ place: Int) -> Bool {
            let bit: UInt32 = 1 << place
            defer { bits |= bit }
            return bits & bit == 0
        }
    }

    static func read<T>(_ value: JSONValue?, into slot: inout T?, _ extract: (JSONValue) -> T?) -> Bool {
        guard let value else { return false }
        if case .null = value {
            slot = nil
            return true
        }
        guard let read = extract(value) else { return false }
        slot = read
        return true
    }

    static func double(_ value: JSONValue?, into slot: inout Double?) -> Bool {
        read(value, into: &slot) {
            switch $0 {
            case .int(let number): Double(number)
            case .double(let number): number
            default: nil
            }
        }
    }

    static func int(_ value: JSONValue?, into slot: inout Int?) -> Bool {
        read(value, into: &slot) { if case .int(let number) = $0 { number } else { nil } }
    }

    static func bool(_ value: JSONValue?, into slot: inout Bool?) -> Bool {
        read(value, into: &slot) { if case .bool(let flag) = $0 { flag } else { nil } }
    }

    static func string(_ value: JSONValue?, into slot: inout String?) -> Bool {
        read(value, into: &slot) { if case .string(let text) = $0 { text } else { nil } }
    }
}
