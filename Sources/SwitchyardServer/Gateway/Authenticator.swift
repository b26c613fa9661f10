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
        // The key is read, hashed and compared in the header's own UTF-8 bytes: no copies.
        let matches: Bool? =
            if var authorization = headers["authorization"] {
                authorization.withUTF8 { Self.matches(Self.bearerKey(in: $0), keyDigest) }
            } else if var apiKey = headers["x-api-key"] ?? headers["api-key"] {
                apiKey.withUTF8 { Self.matches($0[...], keyDigest) }
            } else {
                nil
            }
        switch matches {
        case nil: return GatewayError(.authentication, "Authentication Error, no API key passed in. Send your key as 'Authorization: Bearer <key>'.")
        case false?: return GatewayError(.authentication, "Authentication Error, invalid API key.")
        case true?: return nil
        }
    }

    /// Whether `key` hashes to `digest`; nil when it is empty (no key passed).
    static func matches(_ key: Slice<UnsafeBufferPointer<UInt8>>, _ digest: [UInt8]) -> Bool? {
        guard !key.isEmpty else { return nil }
        let presented = SHA256.hash(data: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: key)))
        return presented.withUnsafeBytes { constantTimeEqual($0, digest) }
    }

    /// The key in an `Authorization` value: after `Bearer ` (any case, spaces around it
    /// dropped), or the whole value without its leading spaces.
    static func bearerKey(in value: UnsafeBufferPointer<UInt8>) -> Slice<UnsafeBufferPointer<UInt8>> {
        let space = UInt8(ascii: " ")
        var key = value[...].drop { $0 == space }
        let scheme = bearerScheme
        guard key.count >= scheme.count, zip(key.prefix(scheme.count), scheme).allSatisfy({ $0 | 0x20 == $1 }) else { return key }
        key = key.dropFirst(scheme.count).drop { $0 == space }
        while key.last == space { key = key.dropLast() }
        return key
    }

    private static let bearerScheme = Array("bearer ".utf8)

    /// Equal-length digests compared without an early exit.
    static func constantTimeEqual(_ a: UnsafeRawBufferPointer, _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in b.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
