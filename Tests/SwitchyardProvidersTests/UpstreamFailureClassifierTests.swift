import Foundation
import SwitchyardCore
import SwitchyardProviders
import Testing

@Suite("UpstreamFailureClassifier")
struct UpstreamFailureClassifierTests {
    static func classify(_ status: Int, _ body: String = "{}", headers: HeaderFields = [:], receivedAt: Double = 0) -> UpstreamFailure {
        UpstreamFailureClassifier.classify(
            UpstreamAnswer(status: status, headers: headers, body: bytes(body), receivedAt: receivedAt), provider: "openai")
    }

    @Test("each status maps to its kind", arguments: [
        (400, UpstreamFailure.Kind.badRequest), (401, .authentication), (403, .permissionDenied), (404, .notFound),
        (408, .timeout), (409, .server), (413, .badRequest), (422, .badRequest), (429, .rateLimited),
        (500, .server), (502, .server), (503, .server), (504, .timeout), (529, .server),
    ])
    func statusToKind(status: Int, kind: UpstreamFailure.Kind) {
        let failure = Self.classify(status, #"{"error":{"message":"something went wrong","type":"x","param":null,"code":null}}"#)
        #expect(failure.kind == kind)
        #expect(failure.status == status)
        #expect(failure.provider == "openai")
        #expect(failure.message == "something went wrong")
    }

    @Test func contextWindowFromOpenAIsRealErrorBody() throws {
        let body = try OpenAIFixtures.bytes("error_context_length.json")
        let failure = UpstreamFailureClassifier.classify(UpstreamAnswer(status: 400, body: body), provider: "openai")
        #expect(failure.kind == .contextWindowExceeded)
        #expect(failure.message.hasPrefix("This model's maximum context length is 128000 tokens."))
        #expect(failure.httpStatus == 400)
        #expect(failure.exceptionClassNames.first == "ContextWindowExceededError")
    }

    @Test func contextWindowFromTheCodeAlone() {
        let failure = Self.classify(400, #"{"error":{"message":"Your input exceeds the limits of this model.","type":"invalid_request_error","param":"input","code":"context_length_exceeded"}}"#)
        #expect(failure.kind == .contextWindowExceeded)
        #expect(UpstreamFailureClassifier.kind(status: 400, message: "", code: "context_length_exceeded") == .contextWindowExceeded)
        // Other providers' wording.
        #expect(UpstreamFailureClassifier.kind(status: 400, message: "prompt is too long: 210000 tokens > 200000 maximum", code: nil) == .contextWindowExceeded)
        #expect(UpstreamFailureClassifier.kind(status: 413, message: "Input is too long for requested model.", code: nil) == .contextWindowExceeded)
    }

    @Test func otherFixtureErrors() throws {
        func kind(_ status: Int, _ name: String) throws -> UpstreamFailure {
            UpstreamFailureClassifier.classify(UpstreamAnswer(status: status, body: try OpenAIFixtures.bytes(name)), provider: "openai")
        }
        #expect(try kind(429, "error_rate_limit.json").kind == .rateLimited)
        #expect(try kind(401, "error_invalid_api_key.json").kind == .authentication)
        #expect(try kind(404, "error_model_not_found.json").kind == .notFound)
        #expect(try kind(400, "error_unsupported_parameter.json").kind == .badRequest)
        let nullCode = try kind(400, "error_invalid_request_null_code.json")
        #expect(nullCode.kind == .badRequest)
        #expect(nullCode.message == "-1 is less than the minimum of 1 - 'dimensions'")
    }

    @Test func contentPolicy() {
        let openAI = Self.classify(400, #"{"error":{"code":"content_policy_violation","message":"Your request was rejected as a result of our safety system.","param":null,"type":"invalid_request_error"}}"#)
        #expect(openAI.kind == .contentPolicy)
        let azure = Self.classify(400, #"{"error":{"message":"The response was filtered due to the prompt triggering Azure OpenAI's content management policy.","type":null,"param":"prompt","code":"content_filter","status":400,"innererror":{"code":"ResponsibleAIPolicyViolation"}}}"#)
        #expect(azure.kind == .contentPolicy)
        // A 403 carrying a safety refusal is a content-policy failure, other 403s are permissions.
        #expect(Self.classify(403, #"{"error":{"message":"Blocked due to safety settings."}}"#).kind == .contentPolicy)
        #expect(Self.classify(403, #"{"error":{"message":"Project does not have access to model."}}"#).kind == .permissionDenied)
        // A 5xx is never reclassified by its text.
        #expect(Self.classify(500, #"{"error":{"message":"content filter service unavailable"}}"#).kind == .server)
    }

    @Test func quotaAndRateLimitCodesBehindA400() {
        #expect(Self.classify(400, #"{"error":{"message":"slow down","code":"rate_limit_exceeded"}}"#).kind == .rateLimited)
        #expect(Self.classify(400, #"{"error":{"message":"quota","code":"insufficient_quota"}}"#).kind == .rateLimited)
    }

    @Test func messageAndCodeFromDifferentBodyShapes() {
        func read(_ body: String) -> String {
            let (message, code) = UpstreamFailureClassifier.errorMessageAndCode(bytes(body))
            return "\(message)|\(code ?? "-")"
        }
        #expect(read(#"{"error":"plain string"}"#) == "plain string|-")
        #expect(read(#"{"error":{"message":"m","code":429}}"#) == "m|429")
        #expect(read(#"{"error":{"message":"m","type":"server_error"}}"#) == "m|server_error")
        #expect(read(#"{"message":"top","code":"c"}"#) == "top|c")
        #expect(read(#"{"detail":"Not authenticated"}"#) == "Not authenticated|-")
        #expect(read("  <html>Bad Gateway</html>\n") == "<html>Bad Gateway</html>|-")
        // An empty body still gives a message that says what happened.
        let empty = UpstreamFailureClassifier.classify(UpstreamAnswer(status: 502, body: []), provider: "groq")
        #expect(empty.message == "HTTP 502 from groq")
        #expect(empty.kind == .server)
    }

    // MARK: Retry-After

    static func retryAfter(_ headers: HeaderFields, now: Double = 0) -> Double? {
        UpstreamFailureClassifier.retryAfterSeconds(headers, now: now)
    }

    @Test func retryAfterSeconds() {
        #expect(Self.retryAfter(["Retry-After": "7"]) == 7)
        #expect(Self.retryAfter(["retry-after": " 20 "]) == 20)
        #expect(Self.retryAfter(["Retry-After": "0"]) == 0)
        let failure = Self.classify(429, #"{"error":{"message":"slow"}}"#, headers: ["Retry-After": "3"])
        #expect(failure.retryAfter == 3)
        #expect(Self.classify(429).retryAfter == nil)
    }

    @Test func retryAfterFractionalSeconds() {
        #expect(Self.retryAfter(["Retry-After": "1.5"]) == 1.5)
        #expect(Self.retryAfter(["Retry-After": "0.084"]) == 0.084)
    }

    @Test func retryAfterMilliseconds() {
        #expect(Self.retryAfter(["retry-after-ms": "250"]) == 0.25)
        #expect(Self.retryAfter(["Retry-After-Ms": "1500.5"]) == 1.5005)
        // The millisecond header wins over the seconds header.
        #expect(Self.retryAfter(["Retry-After": "20", "retry-after-ms": "84"]) == 0.084)
        // An unreadable millisecond header falls back to Retry-After.
        #expect(Self.retryAfter(["retry-after-ms": "soon", "Retry-After": "2"]) == 2)
    }

    @Test func retryAfterHTTPDateIsRelativeToReceivedAt() {
        let date = "Wed, 21 Oct 2015 07:28:00 GMT"  // 1445412480
        #expect(Self.retryAfter(["Retry-After": date], now: 1_445_412_450) == 30)
        #expect(Self.retryAfter(["Retry-After": "Sun, 06 Nov 1994 08:49:37 GMT"], now: 784_111_700) == 77)
        #expect(Self.retryAfter(["Retry-After": "Thu, 29 Feb 2024 23:59:59 GMT"], now: 1_709_251_190) == 9)
        // A date in the past means "now".
        #expect(Self.retryAfter(["Retry-After": date], now: 1_445_412_500) == 0)
        let failure = Self.classify(503, "{}", headers: ["Retry-After": date], receivedAt: 1_445_412_470)
        #expect(failure.retryAfter == 10)
    }

    @Test("garbage Retry-After gives nil", arguments: [
        "", "soon", "-5", "NaN", "inf", "Infinity", "1e400", "Wed, 21 Oct 2015", "Wed, 21 Foo 2015 07:28:00 GMT",
        "Wed, 21 Oct 2015 07:28 GMT", "Wed, 41 Oct 2015 07:28:00 GMT", "Wed, 21 Oct 2015 27:28:00 GMT",
        "Wed, 21 Oct 999999999999999999 07:28:00 GMT", "Wed, 21 Oct -999999999999999999 07:28:00 GMT",
    ])
    func garbageRetryAfter(value: String) {
        #expect(Self.retryAfter(["Retry-After": value], now: 1_445_412_450).isAbsent, "Retry-After: \(value)")
        #expect(Self.retryAfter(["retry-after-ms": value]).isAbsent, "retry-after-ms: \(value)")
    }
}
