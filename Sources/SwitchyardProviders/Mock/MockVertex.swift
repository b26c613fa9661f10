import Foundation
import Synchronization
import SwitchyardCore

/// The mock upstream's Google side of Vertex AI: an OAuth token endpoint that checks the
/// service account's JWT the way Google does (RS256, `iss`, `scope`, `aud`, at most an hour),
/// Claude through `rawPredict` / `streamRawPredict` (Bearer token, `anthropic_version`
/// `vertex-2023-10-16` in the body, no `model`), and text embeddings through `predict`.
extension MockResponder {
    /// Token exchanges so far (tells a test whether tokens are cached).
    public var tokenExchanges: Int { counters.withLock { $0["mock-token-exchanges", default: 0] } }

    static let mockTokenPrefix = "ya29.mock-"

    static func bearerIsMockToken(_ headers: HeaderFields) -> Bool {
        headers["authorization"]?.hasPrefix("Bearer " + mockTokenPrefix) ?? false
    }

    func oauthToken(body: [UInt8]) -> MockReply {
        func refuse(_ description: String) -> MockReply {
            let json: JSONValue = ["error": "invalid_grant", "error_description": .string(description)]
            return .answer(status: 400, headers: Self.jsonHeaders, body: (try? JSONCoding.encode(json)) ?? [], delay: 0, truncateAt: nil)
        }
        var form: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
            form[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        guard form["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer" else { return refuse("Invalid grant_type") }
        let pieces = (form["assertion"] ?? "").split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard pieces.count == 3, !pieces[2].isEmpty, let header = Self.jwtPart(pieces[0]), let claims = Self.jwtPart(pieces[1]) else {
            return refuse("Invalid JWT Signature.")
        }
        guard header["alg"] == "RS256", header["typ"] == "JWT" else { return refuse("Invalid JWT header: alg must be RS256") }
        guard let iss = claims["iss"]?.stringValue, iss.contains("@") else { return refuse("Invalid JWT: iss must be the service account email") }
        guard claims["scope"]?.stringValue?.contains("https://www.googleapis.com/auth/cloud-platform") == true else {
            return refuse("Invalid OAuth scope or ID token audience provided.")
        }
        guard claims["aud"]?.stringValue?.hasSuffix("/token") == true else { return refuse("Invalid JWT: aud must be the token URI") }
        guard let iat = claims["iat"]?.intValue, let exp = claims["exp"]?.intValue, exp > iat, exp - iat <= 3600 else {
            return refuse("Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.")
        }
        let number = counters.withLock { counters -> Int in
            counters["mock-token-exchanges", default: 0] += 1
            return counters["mock-token-exchanges", default: 0]
        }
        let json: JSONValue = ["access_token": .string("\(Self.mockTokenPrefix)\(number)"), "expires_in": 3599, "token_type": "Bearer"]
        return .answer(status: 200, headers: Self.jsonHeaders, body: (try? JSONCoding.encode(json)) ?? [], delay: 0, truncateAt: nil)
    }

    static func jwtPart(_ text: String) -> JSONValue? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64) else { return nil }
        return try? JSONCoding.decode(JSONValue.self, from: Array(data))
    }

    func vertexClaude(headers: HeaderFields, body: [UInt8], directive: MockDirective, directiveText: String, now: Double) -> MockReply {
        guard Self.bearerIsMockToken(headers) else {
            return anthropicError(401, "authentication_error", "Request had invalid authentication credentials. Expected OAuth 2 access token.")
        }
        guard var object = (try? JSONCoding.decode(JSONValue.self, from: body))?.objectValue else {
            return anthropicError(400, "invalid_request_error", "The request body is not valid JSON.")
        }
        guard object["anthropic_version"]?.stringValue == "vertex-2023-10-16" else {
            return anthropicError(400, "invalid_request_error", "anthropic_version: vertex-2023-10-16 is required in the body")
        }
        guard object["model"] == nil else {
            return anthropicError(400, "invalid_request_error", "model: Extra inputs are not permitted (the model is in the URL)")
        }
        // Otherwise it is the Messages API: check and answer it as such.
        object["anthropic_version"] = nil
        object["model"] = "vertex-claude"
        var anthropicHeaders = headers
        anthropicHeaders.replace("x-api-key", "vertex")
        anthropicHeaders.replace("anthropic-version", "2023-06-01")
        return anthropicMessages(
            headers: anthropicHeaders, body: (try? JSONCoding.encode(JSONValue.object(object))) ?? [], directive: directive,
            directiveText: directiveText, now: now)
    }

    func vertexEmbeddings(_ object: [String: JSONValue], directive: MockDirective, directiveText: String) -> MockReply {
        guard let instances = object["instances"]?.arrayValue, !instances.isEmpty else {
            return geminiError(400, "INVALID_ARGUMENT", "instances: required")
        }
        if let fault = fault(directive, directiveText: directiveText) { return Self.geminiShaped(fault) }
        let dimensions = max(1, min(object["parameters"]?["outputDimensionality"]?.intValue ?? 8, 4096))
        let predictions: [JSONValue] = instances.map { instance in
            let text = instance["content"]?.stringValue ?? ""
            return ["embeddings": [
                "values": .array(Self.vector(for: text, dimensions: dimensions).map(JSONValue.double)),
                "statistics": ["token_count": .int(Self.estimateTokens(text)), "truncated": false],
            ]]
        }
        return .answer(status: 200, headers: Self.jsonHeaders, body: (try? JSONCoding.encode(JSONValue.object(["predictions": .array(predictions)]))) ?? [], delay: baseLatency + directive.latency, truncateAt: nil)
    }
}
