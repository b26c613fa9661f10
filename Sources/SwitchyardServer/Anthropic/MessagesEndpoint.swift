import Foundation
import Switchyard

/// `POST /v1/messages` and `/v1/messages/count_tokens`: Anthropic's Messages API over any
/// deployment. The request is translated to the canonical chat request, routed like any other
/// (retries, fallbacks, cooldowns), and the answer comes back as an Anthropic message or event
/// stream; every error is in Anthropic's shape.
enum MessagesEndpoint {
    @inline(never)  // its own frame, not part of `Gateway.dispatch`'s
    static func handle(_ request: GatewayRequest, router: Router, log: inout RequestLog) async -> GatewayResponse {
        let call: MessagesCall
        do {
            call = try MessagesCall(body: request.body, headers: request.headers)
        } catch {
            return ErrorResponses.anthropic(error)
        }
        log.model = call.model
        let options = RequestDecoding.options(request.headers)
        let started = ContinuousClock.now
        do {
            if call.isStreaming {
                let stream = try await router.streamMessages(call, options: options)
                log.record(stream.metadata)
                let headers = ResponseHeaders.streamed(stream.metadata, requestID: log.requestID, totalSeconds: seconds(since: started))
                return GatewayResponse(status: 200, headers: headers, body: .stream { writer in
                    try await relay(stream, to: &writer)
                })
            }
            let routed = try await router.messages(call, options: options)
            log.record(routed.metadata)
            let headers = ResponseHeaders.routing(routed.metadata, requestID: log.requestID, totalSeconds: seconds(since: started))
            return .json(200, routed.value, headers: headers)
        } catch let error as GatewayError {
            log.record(error)
            return ErrorResponses.anthropic(
                error, headers: ResponseHeaders.failure(error, model: log.model, requestID: log.requestID, totalSeconds: seconds(since: started)))
        } catch {
            return ErrorResponses.anthropic(GatewayError(.internalError, "The request was cancelled or failed unexpectedly: \(error)"))
        }
    }

    /// Writes the events as they come (a batch at once); a failure after the stream started
    /// ends it with an `error` event (Anthropic's way), without `message_stop`.
    static func relay(_ stream: RawChatStream, to writer: inout any ResponseChunkWriter) async throws {
        do {
            var iterator = stream.makeAsyncIterator()
            while let batch = try await iterator.nextBatch() {
                var bytes: [UInt8] = []
                for frame in batch { bytes.append(contentsOf: frame.bytes) }
                if !bytes.isEmpty { try await writer.write(bytes) }
            }
        } catch let error as GatewayError {
            try await writer.write(ErrorResponses.anthropicStreamEvent(error))
        }
    }

    /// `{"input_tokens": N}`: an estimate (about four characters per token over the text of the
    /// system prompt, messages and tools), the same for every deployment. The model must be
    /// one this gateway routes.
    static func countTokens(_ request: GatewayRequest, router: Router) -> GatewayResponse {
        let chat: ChatRequest
        do {
            chat = try MessagesRequest.chatRequest(request.body, requireMaxTokens: false)
        } catch {
            return ErrorResponses.anthropic(error)
        }
        guard router.canRoute(chat.model) else {
            return ErrorResponses.anthropic(GatewayError(.unknownModel, "Invalid model name passed in model=\(chat.model)"))
        }
        return .json(200, encoding: ["input_tokens": TokenEstimate.count(chat)])
    }
}

/// A tokenizer-free token estimate: characters / 4, rounded up, plus a few tokens per message.
enum TokenEstimate {
    static func count(_ request: ChatRequest) -> Int {
        var characters = 0
        var messages = 0
        for message in request.messages {
            messages += 1
            switch message.content {
            case .text(let text)?: characters += text.count
            case .parts(let parts)?:
                for part in parts { characters += part.text?.count ?? 0 }
            case nil: break
            }
            for call in message.toolCalls ?? [] { characters += (call.function?.name?.count ?? 0) + (call.function?.arguments?.count ?? 0) }
        }
        for tool in request.tools ?? [] {
            characters += (tool.function?.name.count ?? 0) + (tool.function?.description?.count ?? 0)
            if let schema = tool.function?.parameters, let bytes = try? JSONCoding.encode(schema) { characters += bytes.count }
        }
        return (characters + 3) / 4 + messages * 3
    }
}
