import Switchyard

/// `POST /v1/embeddings` (and `/embeddings`, `/openai/deployments/{model}/embeddings`).
enum EmbeddingsEndpoint {
    @inline(never)  // its own frame, not part of `Gateway.dispatch`'s
    static func handle(_ request: GatewayRequest, pathModel: String?, router: Router, log: inout RequestLog) async -> GatewayResponse {
        var embedding: EmbeddingRequest
        switch RequestDecoding.decode(EmbeddingRequest.self, request.body, pathModel: pathModel) {
        case .success(let decoded): embedding = decoded
        case .failure(let error): return ErrorResponses.openAI(error)
        }
        if let pathModel { embedding.model = pathModel }
        log.model = embedding.model
        let started = ContinuousClock.now
        do {
            let routed = try await router.embedding(embedding, options: RequestDecoding.options(request.headers))
            log.record(routed.metadata)
            let headers = ResponseHeaders.routing(routed.metadata, requestID: log.requestID, totalSeconds: seconds(since: started))
            return .json(200, encoding: routed.value, headers: headers)
        } catch let error as GatewayError {
            log.record(error)
            return ErrorResponses.openAI(
                error, headers: ResponseHeaders.failure(error, model: log.model, requestID: log.requestID, totalSeconds: seconds(since: started)))
        } catch {
            return ErrorResponses.openAI(GatewayError(.internalError, "The request was cancelled or failed unexpectedly: \(error)"))
        }
    }
}
