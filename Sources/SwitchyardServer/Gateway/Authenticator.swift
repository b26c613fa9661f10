import Crypto
import SwitchyardCore
import SwitchyardProviders

/// Checks the master key. Accepted as `Authorization: Bearer …`, `x-api-key` or `api-key`
/// (the OpenAI, Anthropic and Azure SDKs' ways), compared in constant time, never logged.
struct Authenticator: Sendable {
    /// SHA-256 of the master key; nil when the gateway is open.
    private let keyDigest: [UInt8]?

    init(masterKey: String?) {
        keyDigest = masterKey.map { Array(SHA256.hash(data: Array($0.utf8))) }
    }

    var isOpen: Bool { keyDigest == nil }

    /// nil when the request may pass; else the 401 to answer with.
    func check(_ headers: HeaderFields) -> GatewayError? {
        guard let keyDigest else { return nil }
        guard let presented = Self.presentedKey(headers), !presented.isEmpty else {
            return GatewayError(.authentication, "Authentication Error, no API key passed in. Send your key as 'Authorization: Bearer <key>'.")
        }
        let digest = Array(SHA256.hash(data: Array(presented.utf8)))
        guard Self.constantTimeEqual(digest, keyDigest) else {
            return GatewayError(.authentication, "Authentication Error, invalid API key.")
        }
        return nil
    }

    static func presentedKey(_ headers: HeaderFields) -> String? {
        if let authorization = headers["authorization"] {
            let trimmed = authorization.drop { $0 == " " }
            if trimmed.lowercased().hasPrefix("bearer ") { return String(trimmed.dropFirst(7)).trimmingCharacters(in: " ") }
            return String(trimmed)
        }
        return headers["x-api-key"] ?? headers["api-key"]
    }

    /// Equal-length digests compared without an early exit.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}

extension String {
    func trimmingCharacters(in character: Character) -> String {
        var text = Substring(self)
        while text.first == character { text.removeFirst() }
        while text.last == character { text.removeLast() }
        return String(text)
    }
}
