import HTTPTypes
import Hummingbird
import NIOCore
import Switchyard

/// Carries gateway requests over Hummingbird: converts the request (refusing bodies over the
/// limit before reading them whole), calls the gateway, and writes its response, streamed
/// bodies included.
struct GatewayResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let gateway: Gateway

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        let limit = gateway.maxRequestBytes
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            return Self.response(ErrorResponses.openAI(ErrorResponses.tooLarge(limit: limit)))
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            return Self.response(ErrorResponses.openAI(ErrorResponses.tooLarge(limit: limit)))
        }
        var headers = HeaderFields()
        for field in request.headers { headers.add(field.name.canonicalName, field.value) }
        let (path, query) = GatewayRequest.split(uri: request.uri.description)
        let gatewayRequest = GatewayRequest(
            method: request.method.rawValue, path: path, query: query, headers: headers, body: Array(body.readableBytesView))
        return Self.response(await gateway.handle(gatewayRequest))
    }

    static func response(_ response: GatewayResponse) -> Response {
        var fields = HTTPFields()
        for field in response.headers {
            if let name = HTTPField.Name(field.name) { fields.append(HTTPField(name: name, value: field.value)) }
        }
        let status = HTTPResponse.Status(code: response.status)
        switch response.body {
        case .bytes(let bytes):
            return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        case .stream(let write):
            return Response(status: status, headers: fields, body: ResponseBody { writer in
                var chunkWriter: any ResponseChunkWriter = BodyWriter(writer: writer)
                try await write(&chunkWriter)
                try await writer.finish(nil)
            })
        }
    }
}

/// Hummingbird's body writer as a `ResponseChunkWriter`.
struct BodyWriter: ResponseChunkWriter {
    var writer: any ResponseBodyWriter

    mutating func write(_ bytes: [UInt8]) async throws {
        try await writer.write(ByteBuffer(bytes: bytes))
    }
}
