import SwitchyardCore
import SwitchyardProviders
import Testing

@Suite("Forwarding fast path: adapters and the passthrough stream decoder")
struct RawForwardingProviderTests {
    func raw(_ text: String) throws -> RawChatRequest { try RawChatRequest(body: Array(text.utf8)) }
    func json(_ bytes: [UInt8]) throws -> JSONValue { try JSONCoding.decode(JSONValue.self, from: bytes) }

    @Test("OpenAI: URL, auth and the deployment's model; the same body the decoded path would send")
    func openAI() throws {
        let target = ProviderTarget(provider: "openai", model: "gpt-4o-2024-08-06", apiBase: "https://api.openai.com/v1", apiKey: "sk-1")
        let text = #"{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"temperature":0.5,"num_retries":2,"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}]}"#
        let forwarded = try OpenAIAdapter().rawChatRequest(try raw(text), target: target)
        #expect(forwarded.url == "https://api.openai.com/v1/chat/completions")
        #expect(forwarded.headers["authorization"] == "Bearer sk-1")
        let decodedPath = try OpenAIAdapter().chatRequest(try JSONCoding.decode(ChatRequest.self, from: Array(text.utf8)), target: target)
        #expect(try json(forwarded.body).isEquivalent(to: try json(decodedPath.body).withoutNullMembers))
    }

    @Test("quirks match the decoded path: o-series output cap, a provider's max_tokens, rejected parameters")
    func quirks() throws {
        let reasoning = ProviderTarget(provider: "openai", model: "o3-mini", apiBase: "https://x/v1", apiKey: "k")
        let body = try json(OpenAIAdapter().rawChatRequest(try raw(#"{"model":"o","messages":[{"role":"user","content":"x"}],"max_tokens":9}"#), target: reasoning).body)
        #expect(body["max_completion_tokens"] == 9 && body["max_tokens"] == nil)

        let groqRow = try #require(OpenAICompatibleProvider.named("groq"))
        let groq = ProviderTarget(provider: "groq", model: "llama", apiBase: "https://g/v1", apiKey: "k")
        let renamed = try json(OpenAIAdapter(compatible: groqRow).rawChatRequest(try raw(#"{"model":"g","messages":[{"role":"user","content":"x"}],"max_completion_tokens":7}"#), target: groq).body)
        #expect(renamed["max_tokens"] == 7 && renamed["max_completion_tokens"] == nil)

        guard let strict = OpenAICompatibleProvider.table.first(where: { !$0.unsupportedParameters.isEmpty }),
            let parameter = strict.unsupportedParameters.sorted().first
        else { return }
        let target = ProviderTarget(provider: strict.prefix, model: "m", apiBase: "https://p/v1", apiKey: "k")
        let request = try raw(#"{"model":"m","messages":[{"role":"user","content":"x"}],"\#(parameter)":1}"#)
        #expect(throws: UpstreamFailure.self) { try OpenAIAdapter(compatible: strict).rawChatRequest(request, target: target) }
        var dropping = target
        dropping.dropParams = true
        #expect(try json(OpenAIAdapter(compatible: strict).rawChatRequest(request, target: dropping).body)[parameter] == nil)
    }

    @Test("Azure forwards to the deployment URL with api-key")
    func azure() throws {
        let target = ProviderTarget(provider: "azure", model: "prod-gpt4o", apiBase: "https://r.openai.azure.com", apiKey: "az", apiVersion: "2024-10-21")
        let forwarded = try AzureAdapter().rawChatRequest(try raw(#"{"model":"gpt-4o","messages":[{"role":"user","content":"x"}]}"#), target: target)
        #expect(forwarded.url == "https://r.openai.azure.com/openai/deployments/prod-gpt4o/chat/completions?api-version=2024-10-21")
        #expect(forwarded.headers["api-key"] == "az")
    }

    func sse(_ lines: [String]) -> [UInt8] { Array(lines.map { "data: \($0)\n\n" }.joined().utf8) }

    @Test("the passthrough decoder re-frames events, marks content, reads usage, ends at [DONE]")
    func passthrough() throws {
        var decoder = OpenAIPassthroughDecoder(provider: "openai")
        let events = [
            #"{"id":"c","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"#,
            #"{"id":"c","choices":[{"index":0,"delta":{"content": "Hi"},"finish_reason":null}]}"#,
            #"{"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#,
            #"{"id":"c","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}"#,
            "[DONE]",
        ]
        var frames: [RawStreamFrame] = []
        for byte in sse(events) { frames += try decoder.decode([byte]) }
        frames += try decoder.finish()
        #expect(decoder.isComplete)
        #expect(frames.count == 4)
        #expect(frames.map(\.hasContent) == [false, true, true, true])
        #expect(frames[3].usage?.totalTokens == 4)
        #expect(String(decoding: frames[1].bytes, as: UTF8.self) == "data: \(events[1])\n\n")
    }

    @Test("the events of one read make one frame: every event re-framed in order, content, end and usage from any of them")
    func onePerRead() throws {
        let events = [
            #"{"id":"c","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"#,
            #"{"id":"c","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}"#,
            #"{"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#,
            #"{"id":"c","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}"#,
        ]
        var whole = OpenAIPassthroughDecoder(provider: "openai")
        let frames = try whole.decode(sse(events + ["[DONE]"]) + Array("data: {\"late\":1}\n\n".utf8))
        #expect(whole.isComplete)
        #expect(frames.count == 1)
        #expect(frames.first.map { String(decoding: $0.bytes, as: UTF8.self) } == events.map { "data: \($0)\n\n" }.joined())
        #expect(frames.first?.hasContent == true)
        #expect(frames.first?.isFinal == true)
        #expect(frames.first?.usage?.totalTokens == 4)

        var split = OpenAIPassthroughDecoder(provider: "openai")
        let head = try split.decode(sse([events[0]]) + Array(": keep-alive\n\n".utf8))
        #expect(head.count == 1 && head.first?.hasContent == false && head.first?.isFinal == false)
        #expect(try split.decode(Array(": keep-alive\n\n".utf8)).isEmpty)
        let rest = try split.decode(sse([events[1], events[2]]))
        #expect(rest.count == 1 && rest.first?.hasContent == true && rest.first?.isFinal == true && rest.first?.usage == nil)
    }

    @Test("tool calls count as content; an error event fails with its kind; unreadable events and early ends fail")
    func failures() throws {
        var tools = OpenAIPassthroughDecoder(provider: "p")
        let toolFrames = try tools.decode(sse([#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","function":{"name":"f","arguments":""}}]}}]}"#]))
        #expect(toolFrames.first?.hasContent == true)

        var erring = OpenAIPassthroughDecoder(provider: "p")
        do {
            _ = try erring.decode(sse([#"{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}"#]))
            Issue.record("expected a failure")
        } catch {
            #expect(error.kind == .rateLimited)
        }
        var garbled = OpenAIPassthroughDecoder(provider: "p")
        #expect(throws: UpstreamFailure.self) { try garbled.decode(sse([#"{"id": "broken", "choices": ["#])) }
        var cut = OpenAIPassthroughDecoder(provider: "p")
        _ = try cut.decode(sse([#"{"choices":[{"index":0,"delta":{"content":"partial"}}]}"#]))
        #expect(throws: UpstreamFailure.self) { try cut.finish() }
    }

    /// A stream with every framing the parser knows: OpenAI's own lines, a comment, a `data:`
    /// line without its space, CRLF endings, an event name, an empty event, a BOM-free start.
    static let mixedStream = [
        "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n",
        "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n",
        ": keep-alive\n\n",
        "data:{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":null}]}\n\n",
        "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" the\"},\"finish_reason\":null}]}\r\n\r\n",
        "data: \n\n",
        "event: message\ndata: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"re\"},\"finish_reason\":null}]}\n\n",
        "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n",
        "data: {\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"total_tokens\":7}}\n\n",
        "data: [DONE]\n\n",
        "data: {\"late\":true}\n\n",
    ].joined()

    /// What a client must receive of `mixedStream`: each event with data, as `data: …\n\n`.
    static let mixedRelayed = [
        #"{"id":"c","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"#,
        #"{"id":"c","choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]}"#,
        #"{"id":"c","choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":null}]}"#,
        #"{"id":"c","choices":[{"index":0,"delta":{"content":" the"},"finish_reason":null}]}"#,
        #"{"id":"c","choices":[{"index":0,"delta":{"content":"re"},"finish_reason":null}]}"#,
        #"{"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#,
        #"{"id":"c","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}}"#,
    ].map { "data: \($0)\n\n" }.joined()

    @Test("events read straight from the buffer and events the parser reads relay the same, however the stream is split")
    func everySplit() throws {
        let bytes = Array(Self.mixedStream.utf8)
        for cut in 0...bytes.count {
            for secondCut in [cut, min(bytes.count, cut + 7), min(bytes.count, cut + 120)] {
                var decoder = OpenAIPassthroughDecoder(provider: "openai")
                var frames: [RawStreamFrame] = []
                frames += try decoder.decode(Array(bytes[..<cut]))
                frames += try decoder.decode(Array(bytes[cut..<secondCut]))
                frames += try decoder.decode(Array(bytes[secondCut...]))
                frames += try decoder.finish()
                let relayed = String(decoding: frames.flatMap(\.bytes), as: UTF8.self)
                #expect(relayed == Self.mixedRelayed, "cut at \(cut), \(secondCut)")
                #expect(decoder.isComplete)
                #expect(frames.compactMap(\.usage).last?.totalTokens == 7)
                #expect(frames.contains { $0.isFinal })
                // No frame before the first with text claims content.
                let firstContent = frames.firstIndex { $0.hasContent }
                let textStart = frames.firstIndex { String(decoding: $0.bytes, as: UTF8.self).contains("Hel") }
                #expect(firstContent == textStart, "cut at \(cut), \(secondCut)")
            }
        }
    }

    @Test("a read of OpenAI's own events goes out as it came, up to [DONE]; a BOM at the start is dropped")
    func wholeRead() throws {
        let events = [
            #"{"id":"c","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}"#,
            #"{"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#,
        ]
        var decoder = OpenAIPassthroughDecoder(provider: "openai")
        let frames = try decoder.decode(sse(events + ["[DONE]"]))
        #expect(frames.count == 1)
        #expect(frames.first?.bytes == sse(events))
        #expect(frames.first?.hasContent == true && frames.first?.isFinal == true)
        #expect(decoder.isComplete)

        var marked = OpenAIPassthroughDecoder(provider: "openai")
        let withMark = try marked.decode([0xEF, 0xBB, 0xBF] + sse(events))
        #expect(withMark.first?.bytes == sse(events))
        // A stream whose first byte could start a BOM but does not is read as lines all the same.
        var garbled = OpenAIPassthroughDecoder(provider: "openai")
        #expect(try garbled.decode([0xEF, 0x41, 0x0A] + sse(events)).first?.bytes == sse(events))
    }

    @Test("an unreadable or erring event in the middle of a read fails the stream, wherever it sits")
    func failureMidRead() throws {
        let good = #"{"id":"c","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}"#
        var garbled = OpenAIPassthroughDecoder(provider: "p")
        #expect(throws: UpstreamFailure.self) { try garbled.decode(sse([good, good, #"{"choices":[{"index":0,"#, good])) }
        var erring = OpenAIPassthroughDecoder(provider: "p")
        do {
            _ = try erring.decode(sse([good, #"{"error":{"message":"overloaded","type":"server_error"}}"#]))
            Issue.record("expected a failure")
        } catch {
            #expect(error.kind != .rateLimited)
            #expect(error.message.contains("overloaded"))
        }
    }

    @Test("after the first content, a delta gets a glance: the end and usage still found, names inside text ignored, a shapeless event refused")
    func glanceAfterContent() throws {
        let first = #"{"id":"c","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}"#
        // Text that spells the names the glance looks for, escaped as JSON must escape it.
        let spelled = #"{"id":"c","choices":[{"index":0,"delta":{"content":"\"usage\": \"error\" \"finish_reason\":\"stop\""},"finish_reason":null}]}"#
        let spaced = #"{"id":"c","choices":[{"index":0,"delta":{},"finish_reason" : "length"}]}"#
        let usage = #"{"id":"c","choices":[],"usage":{"prompt_tokens":2,"completion_tokens":5,"total_tokens":7}}"#
        var decoder = OpenAIPassthroughDecoder(provider: "openai")
        let head = try decoder.decode(sse([first]))
        #expect(head.first?.hasContent == true && head.first?.isFinal == false)
        let middle = try decoder.decode(sse([spelled]))
        #expect(middle.first?.bytes == sse([spelled]))
        #expect(middle.first?.isFinal == false && middle.first?.usage == nil)
        let end = try decoder.decode(sse([spaced]))
        #expect(end.first?.isFinal == true)
        let counted = try decoder.decode(sse([usage, "[DONE]"]))
        #expect(counted.first?.usage?.totalTokens == 7)
        #expect(decoder.isComplete)
        _ = try decoder.finish()

        for broken in ["[1,2]", #""text""#, #"{"id":"c","choices":[{"#, "{"] {
            var cut = OpenAIPassthroughDecoder(provider: "p")
            _ = try cut.decode(sse([first]))
            #expect(throws: UpstreamFailure.self, "\(broken)") { try cut.decode(sse([broken])) }
        }
        // An error after content, even inside a delta-shaped event, gets the full look and fails.
        var erring = OpenAIPassthroughDecoder(provider: "p")
        _ = try erring.decode(sse([first]))
        #expect(throws: UpstreamFailure.self) {
            try erring.decode(sse([#"{"id":"c","choices":[],"error":{"message":"Rate limit reached","code":"rate_limit_exceeded"}}"#]))
        }
        // Before content, an event is checked whole.
        var early = OpenAIPassthroughDecoder(provider: "p")
        #expect(throws: UpstreamFailure.self) { try early.decode(sse([#"{"choices":[}"#])) }
    }
}
