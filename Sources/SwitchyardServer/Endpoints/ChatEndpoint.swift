import Foundation
import Switchyard

/// `POST /v1/chat/completions` (and `/chat/completions`, `/openai/deployments/{model}/chat/completions`).
/// The body is read only as far as routing needs (`RawChatRequest`); the router forwards it as it
/// came to OpenAI-dialect deployments and translates it for the others.
enum ChatEndpoint {
    @inline(never)  // its own frame, not part of `Gateway.dispatch`'s
    static func handle(_ request: GatewayRequest, pathModel: String?, router: Router, log: inout RequestLog) async -> GatewayResponse {
        // What is done before and after the router's answer is in synchronous functions out of
        // line: this async function's frame (allocated per request) then holds only what
        // crosses the `await`.
        let chat: RawChatRequest
        let options: RequestOptions
        switch prepare(request, pathModel: pathModel, log: &log) {
        case .refused(let response): return response
        case .ready(let ready, let readyOptions): (chat, options) = (ready, readyOptions)
        }
        let started = ContinuousClock.now
        do {
            if chat.isStreaming {
                return streamed(try await router.streamCompletion(raw: chat, options: options), log: &log, started: started)
            }
            return answered(try await router.completion(raw: chat, options: options), log: &log, started: started)
        } catch {
            return failed(error, log: &log, started: started)
        }
    }

    private enum Prepared {
        case ready(RawChatRequest, RequestOptions)
        case refused(GatewayResponse)
    }

    /// The body read as far as routing needs, and the options from LiteLLM's headers.
    @inline(never)
    private static func prepare(_ request: GatewayRequest, pathModel: String?, log: inout RequestLog) -> Prepared {
        do {
            let chat = try RawChatRequest(body: request.body, pathModel: pathModel)
            log.model = chat.model
            return .ready(chat, RequestDecoding.options(request.headers))
        } catch {
            return .refused(ErrorResponses.openAI(error))
        }
    }

    @inline(never)
    private static func answered(_ routed: RoutedResponse<[UInt8]>, log: inout RequestLog, started: ContinuousClock.Instant) -> GatewayResponse {
        log.record(routed.metadata)
        let headers = ResponseHeaders.routing(routed.metadata, requestID: log.requestID, totalSeconds: seconds(since: started))
        return .json(200, routed.value, headers: headers)
    }

    @inline(never)
    private static func streamed(_ stream: RawChatStream, log: inout RequestLog, started: ContinuousClock.Instant) -> GatewayResponse {
        log.record(stream.metadata)
        let headers = ResponseHeaders.streamed(stream.metadata, requestID: log.requestID, totalSeconds: seconds(since: started))
        return GatewayResponse(status: 200, headers: headers, body: .stream { writer in
            try await relay(stream, to: &writer)
        })
    }

    @inline(never)
    private static func failed(_ error: any Error, log: inout RequestLog, started: ContinuousClock.Instant) -> GatewayResponse {
        guard let error = error as? GatewayError else {
            return ErrorResponses.openAI(GatewayError(.internalError, "The request was cancelled or failed unexpectedly: \(error)"))
        }
        log.record(error)
        return ErrorResponses.openAI(
            error, headers: ResponseHeaders.failure(error, model: log.model, requestID: log.requestID, totalSeconds: seconds(since: started)))
    }

    /// Writes each frame, then `data: [DONE]`; a failure after the first frame becomes an error
    /// event (and no `[DONE]`). Each batch is sent at once, except one that ends the answer:
    /// that waits for `[DONE]` and the end of the response, so all three leave in one write.
    static func relay(_ stream: RawChatStream, to writer: inout any ResponseChunkWriter) async throws {
        // Its frame lives as long as the stream: what is built between the awaits is built out of line.
        do {
            var iterator = stream.makeAsyncIterator()
            while let batch = try await iterator.nextBatch() {
                try await writer.write(joined(batch), flush: !(batch.last?.isFinal ?? false))
            }
        } catch let error as GatewayError {
            try await writer.write(streamEvent(error))
            return
        }
        try await writer.write(ServerSentEvent.done.encoded, flush: false)
    }

    /// A batch's frames as one write.
    @inline(never)
    private static func joined(_ batch: [RawStreamFrame]) -> [UInt8] {
        if batch.count == 1 { return batch[0].bytes }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(batch.reduce(0) { $0 + $1.bytes.count })
        for frame in batch { bytes.append(contentsOf: frame.bytes) }
        return bytes
    }

    @inline(never)
    private static func streamEvent(_ error: GatewayError) -> [UInt8] { ErrorResponses.streamEvent(error) }
}

func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
}
