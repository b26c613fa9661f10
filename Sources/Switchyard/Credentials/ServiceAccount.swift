import Foundation
import SwitchyardCore

/// A Google service account key (the JSON file Google Cloud hands out), as `vertex_credentials`
/// gives it: the JSON itself (a string or an object), or the path of the file.
struct ServiceAccount: Sendable, Hashable {
    var clientEmail: String
    var privateKeyPEM: String
    var privateKeyID: String?
    var tokenURI: String

    static let defaultTokenURI = "https://oauth2.googleapis.com/token"

    /// Reads the credentials; a clear `.unauthorized` error when they cannot be used.
    static func load(_ source: JSONValue?) throws(TransportError) -> ServiceAccount {
        let json: JSONValue
        switch source {
        case .object?:
            json = source ?? .null
        case .string(let text)?:
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.hasPrefix("{") {
                guard let parsed = try? JSONCoding.decode(JSONValue.self, from: Array(trimmed.utf8)) else {
                    throw .unauthorized("vertex_credentials is not valid JSON")
                }
                json = parsed
            } else {
                guard let data = FileManager.default.contents(atPath: trimmed) else {
                    throw .unauthorized("cannot read the service account file \(trimmed)")
                }
                guard let parsed = try? JSONCoding.decode(JSONValue.self, from: Array(data)) else {
                    throw .unauthorized("the service account file \(trimmed) is not valid JSON")
                }
                json = parsed
            }
        default:
            throw .unauthorized("no service account credentials (vertex_credentials or GOOGLE_APPLICATION_CREDENTIALS)")
        }
        guard let email = json["client_email"]?.stringValue, let key = json["private_key"]?.stringValue else {
            throw .unauthorized("the service account credentials need client_email and private_key")
        }
        return ServiceAccount(
            clientEmail: email, privateKeyPEM: key, privateKeyID: json["private_key_id"]?.stringValue,
            tokenURI: json["token_uri"]?.stringValue ?? defaultTokenURI)
    }
}
