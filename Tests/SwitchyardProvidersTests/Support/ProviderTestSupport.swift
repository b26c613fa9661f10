@_exported import SwitchyardTestSupport
import Foundation
import SwitchyardCore
import SwitchyardProviders
import Testing

/// The OpenAI fixtures of the core test target, read from the source tree (this target has no
/// resources of its own).
enum OpenAIFixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // SwitchyardProvidersTests
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("SwitchyardCoreTests/Fixtures/openai")

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    static func lines(_ name: String) throws -> [[UInt8]] {
        try bytes(name).split(separator: UInt8(ascii: "\n")).map(Array.init).filter { !$0.isEmpty }
    }
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

func json(_ bytes: [UInt8]) throws -> JSONValue { try JSONCoding.decode(JSONValue.self, from: bytes) }

func json(_ text: String) throws -> JSONValue { try json(Array(text.utf8)) }

extension Optional {
    /// True for `.none`; `== nil` is ambiguous for `JSONValue?` (`JSONValue` is `ExpressibleByNilLiteral`).
    var isAbsent: Bool {
        if case .none = self { return true }
        return false
    }
}

/// Runs `body`, returning the `UpstreamFailure` it throws (nil when it does not throw; any
/// other error is recorded as an issue).
func failure<T>(_ body: () throws -> T, sourceLocation: SourceLocation = #_sourceLocation) -> UpstreamFailure? {
    do {
        _ = try body()
        return nil
    } catch let failure as UpstreamFailure {
        return failure
    } catch {
        Issue.record("expected an UpstreamFailure, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

