import Foundation
import Synchronization
import SwitchyardCore
import SwitchyardProviders
import _CryptoExtras

/// OAuth access tokens for service accounts: a JWT signed with the account's RSA key (RS256)
/// is exchanged at its `token_uri` (grant `jwt-bearer`), and the token is kept until five
/// minutes before it expires. Concurrent requests for the same account share one exchange.
final class GoogleAccessTokens: Sendable {
    static let scope = "https://www.googleapis.com/auth/cloud-platform"
    /// Tokens are renewed this long before they expire.
    static let refreshMargin: Double = 300

    private struct Cached {
        var token: String
        var expires: Double
    }

    private let cache = Mutex<[ServiceAccount: Cached]>([:])
    /// Credentials as loaded, per `vertex_credentials` value: the file is read once, not per request.
    private let accounts = Mutex<[JSONValue?: ServiceAccount]>([:])
    private let inFlight = Mutex<[ServiceAccount: Task<Cached, any Error>]>([:])
    let clock: any RouterClock

    init(clock: any RouterClock) {
        self.clock = clock
    }

    /// The service account for a deployment's `vertex_credentials`, loaded on first use. A
    /// source that cannot be loaded is tried again next time (the file may appear).
    func account(for source: JSONValue?) throws(TransportError) -> ServiceAccount {
        if let known = accounts.withLock({ $0[source] }) { return known }
        let account = try ServiceAccount.load(source)
        accounts.withLock { $0[source] = account }
        return account
    }

    func token(for account: ServiceAccount, via transport: any Transport) async throws(TransportError) -> String {
        let now = clock.now()
        if let cached = cache.withLock({ $0[account] }), cached.expires - Self.refreshMargin > now { return cached.token }
        let task = inFlight.withLock { tasks -> Task<Cached, any Error> in
            if let running = tasks[account] { return running }
            let task = Task { try await self.exchange(account, via: transport) }
            tasks[account] = task
            return task
        }
        do {
            let fresh = try await task.value
            cache.withLock { $0[account] = fresh }
            inFlight.withLock { $0[account] = nil }
            return fresh.token
        } catch {
            inFlight.withLock { $0[account] = nil }
            throw (error as? TransportError) ?? .unauthorized("\(error)")
        }
    }

    private func exchange(_ account: ServiceAccount, via transport: any Transport) async throws -> Cached {
        let issued = Int(clock.wallTime())
        let assertion = try Self.assertion(account, issuedAt: issued)
        let form = "grant_type=\(Self.formEncode("urn:ietf:params:oauth:grant-type:jwt-bearer"))&assertion=\(assertion)"
        let request = UpstreamRequest(
            url: account.tokenURI, headers: ["Content-Type": "application/x-www-form-urlencoded"], body: Array(form.utf8))
        let started = clock.now()
        let response = try await transport.execute(request, deadline: 30)
        let body = try await response.body.collect(upTo: 1 << 20)
        let json = try? JSONCoding.decode(JSONValue.self, from: body)
        guard (200..<300).contains(response.status), let token = json?["access_token"]?.stringValue else {
            let reason = json?["error_description"]?.stringValue ?? json?["error"]?.stringValue ?? "HTTP \(response.status)"
            throw TransportError.unauthorized("the token endpoint refused the service account \(account.clientEmail): \(reason)")
        }
        let lifetime = json?["expires_in"]?.doubleValue ?? 3600
        return Cached(token: token, expires: started + lifetime)
    }

    /// The signed JWT: header `{alg: RS256, typ: JWT, kid}`, claims `iss`, `scope`, `aud`
    /// (the token URI), `iat`, `exp` (an hour later).
    static func assertion(_ account: ServiceAccount, issuedAt: Int) throws(TransportError) -> String {
        var header: [String: JSONValue] = ["alg": "RS256", "typ": "JWT"]
        if let id = account.privateKeyID { header["kid"] = .string(id) }
        let claims: JSONValue = [
            "iss": .string(account.clientEmail), "scope": .string(scope), "aud": .string(account.tokenURI),
            "iat": .int(issuedAt), "exp": .int(issuedAt + 3600),
        ]
        guard let headerBytes = try? JSONCoding.encode(JSONValue.object(header)), let claimBytes = try? JSONCoding.encode(claims) else {
            throw .unauthorized("cannot encode the token request")
        }
        let signingInput = base64URL(headerBytes) + "." + base64URL(claimBytes)
        do {
            let key = try _RSA.Signing.PrivateKey(pemRepresentation: account.privateKeyPEM)
            let signature = try key.signature(for: Array(signingInput.utf8), padding: .insecurePKCS1v1_5)
            return signingInput + "." + base64URL(Array(signature.rawRepresentation))
        } catch {
            throw .unauthorized("the service account's private_key cannot sign (\(error))")
        }
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func formEncode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}

/// Sends through `base` with `Authorization: Bearer <token>` for the deployment's service account.
struct GoogleAuthTransport: Transport {
    let base: any Transport
    let credentials: JSONValue?
    let tokens: GoogleAccessTokens

    func execute(_ request: UpstreamRequest, deadline: Double) async throws(TransportError) -> TransportResponse {
        let account = try tokens.account(for: credentials)
        let token = try await tokens.token(for: account, via: base)
        var authorized = request
        authorized.headers.replace("Authorization", "Bearer \(token)")
        return try await base.execute(authorized, deadline: deadline)
    }
}
