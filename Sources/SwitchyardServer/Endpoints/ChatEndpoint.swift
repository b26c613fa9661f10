import Foundation
import Switchyard

/// `POST /v1/chat/completions` (and `/chat/completions`, `/openai/deployments/{model}/chat/completions`).
enum ChatEndpoint {
    static func handle(_ request: GatewayRequest, pathModel: String?, router: Router, log: inout RequestLog) async -> GatewayResponse {
        var chat: ChatRequest
        switch RequestDecoding.decode(ChatRequest.self, request.body, pathModel: pathModel) {
        case .success(let decoded): chat = decoded
        case .failure(let error): return ErrorResponses.openAI(error)
        }
        if let pathModel { chat.model = pathModel }
        log.model = chat.model
        if chat.messages.isEmpty {
            return ErrorResponses.openAI(GatewayError(.invalidRequest, "Invalid 'messages': empty array. Expected an array with at least one message.", param: "messages"))
        }
        let options = RequestDecoding.options(request.headers)
        let started = ContinuousClock.now
        do {
            if chat.isStreaming {
                let stream = try await router.streamCompletion(chat, options: options)
                log.record(stream.metadata)
                var headers = ResponseHeaders.routing(stream.metadata, requestID: log.requestID, totalSeconds: seconds(since: started))
                headers.replace("Content-Type", "text/event-stream")
                headers.replace("Cache-Control", "no-cache")
                return GatewayResponse(status: 200, headers: headers, body: .stream { writer in
                    try await relay(stream, to: &writer)
                })
            }
            let routed = try await router.completion(chat, options: options)
            log.record(routed.metadata)
            let headers = ResponseHeaders.routing(routed.metadata, requestID: log.requestID, totalSeconds: seconds(since: started))
            return .json(200, encoding: routed.value, headers: headers)
        } catch let error as GatewayError {
            log.record(error)
            return ErrorResponses.openAI(error)
        } catch {
            return ErrorResponses.openAI(GatewayError(.internalError, "The request was cancelled or failed unexpectedly: \(error)"))
        }
    }

    /// Writes each chunk as an SSE event, then `data: [DONE]`; a failure after the first
    /// chunk becomes an error event (and no `[DONE]`).
    static func relay(_ stream: ChatStream, to writer: inout any ResponseChunkWriter) async throws {
        do {
            for try await chunk in stream {
                try await writer.write(ServerSentEvent.encodeData(try JSONCoding.encode(chunk)))
            }
        } catch let error as GatewayError {
            try await writer.write(ErrorResponses.streamEvent(error))
            return
        }
        try await writer.write(ServerSentEvent.done.encoded)
    }
}

func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
}
