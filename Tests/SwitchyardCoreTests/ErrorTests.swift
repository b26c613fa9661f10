import Foundation
import SwitchyardCore
import Testing

@Suite("GatewayError")
struct GatewayErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var error: GatewayError
        var status: Int
        var type: String
        var code: String
        var testDescription: String { "\(error.kind.rawValue)/\(error.failure?.kind.rawValue ?? "-") → \(status)" }
    }

    static let cases: [Case] = [
        Case(error: GatewayError(.invalidRequest, "bad"), status: 400, type: "invalid_request_error", code: "400"),
        Case(error: GatewayError(.unknownModel, "no such model"), status: 400, type: "invalid_request_error", code: "model_not_found"),
        Case(error: GatewayError(.providerNotSupported, "anthropic"), status: 400, type: "invalid_request_error", code: "400"),
        Case(error: GatewayError(.noDeploymentAvailable, "cooling down", retryAfter: 5), status: 429, type: "rate_limit_error", code: "429"),
        Case(error: GatewayError(.deadlineExceeded, "too slow"), status: 408, type: "timeout_error", code: "408"),
        Case(error: GatewayError(.authentication, "no key"), status: 401, type: "authentication_error", code: "401"),
        Case(error: GatewayError(.requestTooLarge, "big"), status: 413, type: "invalid_request_error", code: "413"),
        Case(error: GatewayError(.notFound, "nothing here"), status: 404, type: "invalid_request_error", code: "404"),
        Case(error: GatewayError(.methodNotAllowed, "GET"), status: 405, type: "invalid_request_error", code: "405"),
        Case(error: GatewayError(.configuration, "bad config"), status: 500, type: "internal_server_error", code: "500"),
        Case(error: GatewayError(.internalError, "oops"), status: 500, type: "internal_server_error", code: "500"),
        Case(error: GatewayError(.upstream, "no failure attached"), status: 500, type: "internal_server_error", code: "500"),
        Case(error: upstream(.rateLimited, 429), status: 429, type: "rate_limit_error", code: "429"),
        Case(error: upstream(.timeout, nil), status: 408, type: "timeout_error", code: "408"),
        Case(error: upstream(.server, 503), status: 503, type: "internal_server_error", code: "503"),
        Case(error: upstream(.server, 502), status: 502, type: "internal_server_error", code: "502"),
        Case(error: upstream(.authentication, 401), status: 401, type: "authentication_error", code: "401"),
        Case(error: upstream(.permissionDenied, 403), status: 403, type: "permission_error", code: "403"),
        Case(error: upstream(.notFound, 404), status: 404, type: "invalid_request_error", code: "404"),
        Case(error: upstream(.badRequest, 422), status: 422, type: "invalid_request_error", code: "422"),
        Case(error: upstream(.contextWindowExceeded, 400), status: 400, type: "invalid_request_error", code: "context_length_exceeded"),
        Case(error: upstream(.contentPolicy, 400), status: 400, type: "invalid_request_error", code: "content_policy_violation"),
        Case(error: upstream(.connection, nil), status: 500, type: "internal_server_error", code: "500"),
    ]

    static func upstream(_ kind: UpstreamFailure.Kind, _ status: Int?) -> GatewayError {
        GatewayError(.upstream, "upstream said no", failure: UpstreamFailure(kind, status: status, message: "x"))
    }

    @Test("status, type and code", arguments: cases)
    func statusTypeAndCode(_ item: Case) {
        #expect(item.error.httpStatus == item.status)
        #expect(item.error.errorType == item.type)
        #expect(item.error.errorCode == item.code)
    }

    @Test("openAIBody has OpenAI's four members", arguments: cases)
    func openAIBodyShape(_ item: Case) throws {
        let body = item.error.openAIBody
        #expect(body.objectValue?.keys.sorted() == ["error"])
        let error = try #require(body["error"]?.objectValue)
        #expect(error.keys.sorted() == ["code", "message", "param", "type"])
        #expect(error["message"] == .string(item.error.message))
        #expect(error["type"] == .string(item.type))
        #expect(error["code"] == .string(item.code))
        #expect(error["param"] == .null)
    }

    @Test func openAIBodyCarriesParamAndEncodesAsJSON() throws {
        let error = GatewayError(.invalidRequest, "messages must not be empty", param: "messages")
        let body = try JSON.value(of: error.openAIBody)
        #expect(body == ["error": ["message": "messages must not be empty", "type": "invalid_request_error", "param": "messages", "code": "400"]])
        #expect(error.description.contains("400"))
        #expect(error.description.contains("messages must not be empty"))
    }
}

@Suite("UpstreamFailure")
struct UpstreamFailureTests {
    @Test func httpStatusPerKind() {
        #expect(UpstreamFailure(.rateLimited, status: 200, message: "").httpStatus == 429)
        #expect(UpstreamFailure(.timeout, status: 504, message: "").httpStatus == 408)
        #expect(UpstreamFailure(.server, status: 503, message: "").httpStatus == 503)
        #expect(UpstreamFailure(.server, status: 529, message: "").httpStatus == 529)
        #expect(UpstreamFailure(.server, status: 409, message: "").httpStatus == 500)
        #expect(UpstreamFailure(.server, message: "").httpStatus == 500)
        #expect(UpstreamFailure(.authentication, status: 401, message: "").httpStatus == 401)
        #expect(UpstreamFailure(.permissionDenied, status: 403, message: "").httpStatus == 403)
        #expect(UpstreamFailure(.notFound, status: 404, message: "").httpStatus == 404)
        #expect(UpstreamFailure(.badRequest, status: 422, message: "").httpStatus == 422)
        #expect(UpstreamFailure(.badRequest, status: 500, message: "").httpStatus == 400)
        #expect(UpstreamFailure(.badRequest, message: "").httpStatus == 400)
        #expect(UpstreamFailure(.contextWindowExceeded, status: 413, message: "").httpStatus == 400)
        #expect(UpstreamFailure(.contentPolicy, status: 403, message: "").httpStatus == 400)
        #expect(UpstreamFailure(.connection, message: "").httpStatus == 500)
    }

    @Test func exceptionClassNamesMatchLiteLLMPolicyKeys() {
        func names(_ kind: UpstreamFailure.Kind, _ status: Int? = nil) -> [String] {
            UpstreamFailure(kind, status: status, message: "").exceptionClassNames
        }
        #expect(names(.rateLimited) == ["RateLimitError"])
        #expect(names(.timeout) == ["TimeoutError", "Timeout"])
        #expect(names(.server, 500) == ["InternalServerError"])
        #expect(names(.server, 502) == ["BadGatewayError", "InternalServerError"])
        #expect(names(.server, 503) == ["ServiceUnavailableError", "InternalServerError"])
        #expect(names(.authentication) == ["AuthenticationError"])
        #expect(names(.permissionDenied) == ["PermissionDeniedError"])
        #expect(names(.notFound) == ["NotFoundError"])
        #expect(names(.badRequest) == ["BadRequestError"])
        #expect(names(.contextWindowExceeded) == ["ContextWindowExceededError", "BadRequestError"])
        #expect(names(.contentPolicy) == ["ContentPolicyViolationError", "BadRequestError"])
        #expect(names(.connection) == ["APIConnectionError", "InternalServerError"])
        // Every kind has a name, most specific first, ending in a LiteLLM base class.
        for kind in UpstreamFailure.Kind.allCases {
            #expect(!names(kind).isEmpty, "\(kind)")
            #expect(names(kind).allSatisfy { $0.hasSuffix("Error") || $0 == "Timeout" }, "\(kind)")
        }
    }

    @Test func transientKinds() {
        let transient = UpstreamFailure.Kind.allCases.filter { UpstreamFailure($0, message: "").isTransient }
        #expect(Set(transient) == [.rateLimited, .timeout, .server, .connection])
    }

    @Test func descriptionNamesKindStatusAndMessage() {
        let failure = UpstreamFailure(.rateLimited, status: 429, message: "slow down", retryAfter: 2, provider: "openai")
        #expect(failure.description == "rateLimited (429): slow down")
    }
}
