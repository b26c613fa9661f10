import Foundation
import Switchyard
import SwitchyardConfig
import Testing

/// Real LiteLLM configs — one using every documented key, LiteLLM's documentation examples, and
/// configs shaped like those users posted in LiteLLM's issues — must start with at most warnings.
@Suite("LiteLLM config fixtures")
struct ConfigFixtureTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static var fixtures: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") && !$0.contains("_included") }.sorted()
    }

    /// A plausible value for every `os.environ/NAME` the file mentions.
    static func environment(for text: String) -> [String: String] {
        var environment: [String: String] = [:]
        let pattern = try? NSRegularExpression(pattern: "os\\.environ/([A-Za-z0-9_]+)")
        let range = NSRange(text.startIndex..., in: text)
        for match in pattern?.matches(in: text, range: range) ?? [] {
            guard let nameRange = Range(match.range(at: 1), in: text) else { continue }
            let name = String(text[nameRange])
            let upper = name.uppercased()
            if upper.hasSuffix("PORT") {
                environment[name] = "6379"
            } else if ["RPM", "TPM", "TIMEOUT", "RETRIES", "LIMIT", "TTL", "SECONDS", "MAX_TOKENS"].contains(where: upper.contains) {
                environment[name] = "60"
            } else if ["URL", "BASE", "ENDPOINT", "HOST"].contains(where: upper.contains) {
                environment[name] = upper.contains("HOST") ? "redis.internal" : "https://example.test/v1"
            } else {
                environment[name] = "sk-test-\(name.lowercased())"
            }
        }
        return environment
    }

    @Test("there are fixtures to check")
    func fixturesExist() {
        #expect(Self.fixtures.count >= 10, "\(Self.fixtures)")
        #expect(Self.fixtures.contains("litellm_all_keys.yaml"))
    }

    @Test("each fixture loads with at most warnings and makes a router", arguments: fixtures)
    func loads(_ name: String) throws {
        let text = try String(contentsOf: Self.directory.appendingPathComponent(name), encoding: .utf8)
        let result = ConfigLoader.load(yaml: text, environment: Self.environment(for: text)) { include in
            try String(contentsOf: Self.directory.appendingPathComponent(include), encoding: .utf8)
        }
        #expect(result.issues.errors.isEmpty, "\(name): \(result.issues.errors)")
        let config = try #require(result.config)
        #expect(!config.modelList.isEmpty)
        let router = try config.makeRouter()
        #expect(!router.modelGroups.isEmpty)
        // A key is warned about once, not once per mention.
        let warnedPaths = result.issues.warnings.map(\.path)
        #expect(Set(warnedPaths).count == warnedPaths.count, "\(name): duplicate warnings")
    }

    @Test("the all-keys fixture warns only about keys Switchyard does not implement, never about unknown ones")
    func allKeysKnown() throws {
        let text = try String(contentsOf: Self.directory.appendingPathComponent("litellm_all_keys.yaml"), encoding: .utf8)
        let result = ConfigLoader.load(yaml: text, environment: Self.environment(for: text)) { include in
            try String(contentsOf: Self.directory.appendingPathComponent(include), encoding: .utf8)
        }
        let unknown = result.issues.warnings.filter { $0.message.hasPrefix("unknown key") }
        #expect(unknown.isEmpty, "keys LiteLLM documents but Switchyard does not recognise: \(unknown.map(\.path))")
    }
}
