import Foundation
import Testing

/// Keeps the README's library example and `ReadmeExampleTests.swift` the same code, so the
/// example the suite compiles and runs is the one readers copy.
@Suite("README example drift")
struct ReadmeDriftTests {
    /// The repository root, from this file's path (`Tests/SwitchyardTests/…`).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The non-blank lines of the first ```swift block of `markdown` that contains `marker`,
    /// leading whitespace trimmed.
    static func swiftBlock(containing marker: String, in markdown: String) -> [String]? {
        var block: [String]?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if var current = block {
                if trimmed == "```" {
                    if current.contains(where: { $0.contains(marker) }) { return current.filter { !$0.isEmpty } }
                    block = nil
                } else {
                    current.append(trimmed)
                    block = current
                }
            } else if trimmed == "```swift" {
                block = []
            }
        }
        return nil
    }

    /// The non-blank lines of a source file, leading whitespace trimmed (trailing too, so an
    /// editor's trailing spaces do not count).
    static func codeLines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    @Test("README's library example is, line for line, the code ReadmeExampleTests compiles and runs")
    func readmeExampleMatchesTest() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let testSource = try String(
            contentsOf: Self.root.appendingPathComponent("Tests/SwitchyardTests/ReadmeExampleTests.swift"), encoding: .utf8)
        let example = try #require(Self.swiftBlock(containing: "let router = try Router(", in: readme), "README.md has no ```swift block with the Router example")
        let testLines = Self.codeLines(testSource)

        // The imports may sit among the test's own; every one of the README's must be there.
        let imports = example.filter { $0.hasPrefix("import ") }
        for line in imports {
            #expect(testLines.contains(line), "ReadmeExampleTests.swift lacks the README's `\(line)`")
        }

        // The rest must appear in the test as one run of lines, in order (the test may wrap it
        // in a function and add lines before and after, not in between).
        let body = example.filter { !$0.hasPrefix("import ") }.map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(!body.isEmpty)
        let starts = testLines.indices.filter { testLines[$0] == body.first }
        let matches = starts.contains { start in
            start + body.count <= testLines.count && Array(testLines[start..<start + body.count]) == body
        }
        if !matches {
            // Name the first README line the closest candidate disagrees on.
            let best = starts.map { start -> (Int, Int) in
                var matched = 0
                while matched < body.count, start + matched < testLines.count, testLines[start + matched] == body[matched] { matched += 1 }
                return (start, matched)
            }.max { $0.1 < $1.1 }
            let detail = best.map { start, matched in
                matched < body.count
                    ? "README line `\(body[matched])` vs test line `\(start + matched < testLines.count ? testLines[start + matched] : "<end of file>")`"
                    : ""
            } ?? "the test has no line `\(body.first ?? "")`"
            Issue.record("README.md's library example and ReadmeExampleTests.swift differ: \(detail)")
        }
    }
}
