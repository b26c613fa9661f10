import Foundation
import Switchyard

/// `POST /v1/chat/completions` (and `/chat/completions`, `/openai/deployments/{model}/chat/completions`).
/// The body is read only as far as routing needs (`RawChatRequest`); the router forwards it as it
/// came to OpenAI-dialect deployments and translates it for the others.
enum ChatEndpoint {
    static func handle(_ request: GatewayRequest, pathModel: String?, router: Router, log: inout RequestLog) async -> GatewayResponse {
        let chat: RawChatRequest
        do {
            chat = try RawChatRequest(body: request.body, pathModel: pathModel)
        } catch {
            return ErrorResponses.openAI(error)
        }
        log.model = chat.model
        let options = RequestDecoding.options(request.headers)
        let started = ContinuousClock.now
        do {
            if chat.isStreaming {
                let stream = try await router.streamCompletion(raw: chat, options: options)
                log.record(stream.metadata)
                var headers = ResponseHeaders.routing(stream.metadata, requestID: log.requestID, totalSeconds: seconds(since: started))
                headers.replace("Content-Type", "text/event-stream")
                headers.replace("Cache-Control", "no-cache")
                return GatewayResponse(status: 200, headers: headers, body: .stream { writer in
                    try await relay(stream, to: &writer)
                })
            }
            let routed = try await router.completion(raw: chat, options: options)
            log.record(routed.metadata)
            let headers = ResponseHeaders.routing(routed.metadata, requestID: log.requestID, totalSeconds: seconds(since: started))
            return .json(200, routed.value, headers: headers)
        } catch let error as GatewayError {
            log.record(error)
            return ErrorResponses.openAI(
                error, headers: ResponseHeaders.failure(error, model: log.model, requestID: log.requestID, totalSeconds: seconds(since: started)))
        } catch {
            return ErrorResponses.openAI(GatewayError(.internalError, "The request was cancelled or failed unexpectedly: \(error)"))
        }
    }

    /// Writes each frame, then `data: [DONE]`; a failure after the first frame becomes an error
    /// event (and no `[DONE]`). Each batch is sent at once, except one that ends the answer:
    /// that waits for `[DONE]` and the end of the response, so all three leave in one write.
    static func relay(_ stream: RawChatStream, to writer: inout any ResponseChunkWriter) async throws {
        do {
            var iterator = stream.makeAsyncIterator()
            while let batch = try await iterator.nextBatch() {
                let flush = !(batch.last?.isFinal ?? false)
                if batch.count == 1 {
                    try await writer.write(batch[0].bytes, flush: flush)
                } else {
                    var bytes: [UInt8] = []
                    bytes.reserveCapacity(batch.reduce(0) { $0 + $1.bytes.count })
                    for frame in batch { bytes.append(contentsOf: frame.bytes) }
                    try await writer.write(bytes, flush: flush)
                }
            }
        } catch let error as GatewayError {
            try await writer.write(ErrorResponses.streamEvent(error))
            return
        }
        try await writer.write(ServerSentEvent.done.encoded, flush: false)
    }
}

func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
}
