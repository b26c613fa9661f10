import Foundation
@testable import Switchyard
import SwitchyardCore
import SwitchyardMock
import SwitchyardProviders
import Testing
import _CryptoExtras

/// Vertex AI over real HTTP: a throwaway service account, the mock's token endpoint and its
/// Vertex routes (Gemini and Claude).
@Suite("Vertex AI over real HTTP")
struct VertexLiveTests {
    /// One throwaway 2048-bit key for the suite (generating one costs a CPU-second in a debug build).
    static let sharedKey: _RSA.Signing.PrivateKey? = try? _RSA.Signing.PrivateKey(keySize: .bits2048)

    /// A service account with the suite's throwaway key, pointing at `tokenURI`.
    static func serviceAccount(tokenURI: String) throws -> (json: String, key: _RSA.Signing.PrivateKey) {
        let key = try #require(sharedKey)
        let object: JSONValue = [
            "type": "service_account", "project_id": "demo-project", "private_key_id": "kid-1",
            "private_key": .string(key.pemRepresentation), "client_email": "gateway@demo-project.iam.gserviceaccount.com",
            "token_uri": .string(tokenURI),
        ]
        return (String(decoding: try JSONCoding.encode(object), as: UTF8.self), key)
    }

    static func deployment(_ group: String, model: String, server: MockUpstreamServer, credentials: String, location: String = "us-east5") -> Deployment {
        Deployment(
            modelName: group,
            params: .init(
                model: "vertex_ai/\(model)", apiBase: "http://\(server.host):\(server.port)",
                extra: ["vertex_project": "demo-project", "vertex_location": .string(location), "vertex_credentials": .string(credentials)]),
            modelInfo: .init(id: group))
    }

    @Test("the signed JWT verifies with the account's public key and carries Google's claims")
    func assertion() throws {
        let (json, key) = try Self.serviceAccount(tokenURI: "https://oauth2.googleapis.com/token")
        let account = try ServiceAccount.load(.string(json))
        let jwt = try GoogleAccessTokens.assertion(account, issuedAt: 1_700_000_000)
        let parts = jwt.split(separator: ".").map(String.init)
        #expect(parts.count == 3)
        func decode(_ text: String) throws -> Data {
            var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            while base64.count % 4 != 0 { base64 += "=" }
            return try #require(Data(base64Encoded: base64))
        }
        let header = try JSONCoding.decode(JSONValue.self, from: Array(try decode(parts[0])))
        let claims = try JSONCoding.decode(JSONValue.self, from: Array(try decode(parts[1])))
        #expect(header == ["alg": "RS256", "typ": "JWT", "kid": "kid-1"])
        #expect(claims["iss"] == "gateway@demo-project.iam.gserviceaccount.com")
        #expect(claims["scope"] == "https://www.googleapis.com/auth/cloud-platform")
        #expect(claims["aud"] == "https://oauth2.googleapis.com/token")
        #expect(claims["exp"]?.intValue == 1_700_003_600)
        let signature = _RSA.Signing.RSASignature(rawRepresentation: try decode(parts[2]))
        #expect(key.publicKey.isValidSignature(signature, for: Array("\(parts[0]).\(parts[1])".utf8), padding: .insecurePKCS1v1_5))
        #expect(!key.publicKey.isValidSignature(signature, for: Array("\(parts[0]).x".utf8), padding: .insecurePKCS1v1_5))
    }

    @Test("Gemini and Claude on Vertex answer, plain and streamed, with one token exchange for all")
    func geminiAndClaude() async throws {
        let responder = MockResponder()
        let server = try await MockUpstreamServer.start(responder: responder)
        defer { Task { try? await server.shutdown() } }
        let (json, _) = try Self.serviceAccount(tokenURI: "http://\(server.host):\(server.port)/token")
        let router = try Router(
            modelList: [
                Self.deployment("vertex-gemini", model: "gemini-2.5-pro", server: server, credentials: json),
                Self.deployment("vertex-claude", model: "claude-sonnet-4-5@20250929", server: server, credentials: json, location: "global"),
            ],
            settings: RouterSettings(), environment: [:])
        #expect(router.warnings.isEmpty)
        for group in ["vertex-gemini", "vertex-claude"] {
            let response = try await router.completion(model: group, messages: [.user("hello \(group)")])
            #expect(response.choices[0].message.content == .text("Echo: hello \(group)"))
            let stream = try await router.streamCompletion(model: group, messages: [.user("a b c")])
            let (chunks, error) = await stream.drain()
            #expect(error == nil)
            #expect(chunks.compactMap { $0.choices.first?.delta.content }.joined() == "Echo: a b c")
            // Neither dialect's events carry a time: each chunk has the stream's start.
            #expect(!chunks.isEmpty && chunks.allSatisfy { abs(Double($0.created) - Date().timeIntervalSince1970) < 120 }, "\(group)")
        }
        #expect(responder.tokenExchanges == 1, "the token is cached and shared")
    }

    @Test("credentials from a file path work; unusable credentials fail as authentication errors")
    func credentialSources() async throws {
        let responder = MockResponder()
        let server = try await MockUpstreamServer.start(responder: responder)
        defer { Task { try? await server.shutdown() } }
        let (json, _) = try Self.serviceAccount(tokenURI: "http://\(server.host):\(server.port)/token")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sa-\(UUID().uuidString).json").path
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let router = try Router(
            modelList: [
                Self.deployment("from-file", model: "gemini-2.5-flash", server: server, credentials: path),
                Self.deployment("missing-file", model: "gemini-2.5-flash", server: server, credentials: "/nonexistent/sa.json"),
            ],
            settings: RouterSettings(), environment: [:])
        let response = try await router.completion(model: "from-file", messages: [.user("from a file")])
        #expect(response.choices[0].message.content == .text("Echo: from a file"))
        // The file is read once: with it gone, the deployment keeps working.
        try FileManager.default.removeItem(atPath: path)
        let again = try await router.completion(model: "from-file", messages: [.user("file gone")])
        #expect(again.choices[0].message.content == .text("Echo: file gone"))
        let error = try await #require(throws: GatewayError.self) {
            try await router.completion(model: "missing-file", messages: [.user("hi")])
        }
        #expect(error.httpStatus == 401)
        #expect(error.message.contains("cannot read the service account file /nonexistent/sa.json"))
    }

    @Test("a deployment without project or credentials loads with a warning")
    func misconfigured() throws {
        let router = try Router(
            modelList: [Deployment(modelName: "v", params: .init(model: "vertex_ai/gemini-2.5-pro"))], settings: RouterSettings(), environment: [:])
        #expect(router.warnings.count == 1)
        #expect(router.warnings.first?.contains("vertex_project") == true)
    }
}
