import ArgumentParser
import Foundation
import SwitchyardMock
import SwitchyardProviders

struct MockUpstream: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mock-upstream",
        abstract: "Run a mock OpenAI-compatible upstream (chat, streaming, embeddings, models) with fault directives.",
        discussion: """
            Faults are chosen per request by the path (/fault/<directive>/v1/...) or the x-mock-fault header:
            status=N, fail_first=N, rate_limit, retry_after=S, context_window, content_policy, latency_ms=N,
            chunk_delay_ms=N, die_after=N, hang, malformed, key=NAME (separate with ';').
            """)

    @Option(name: .long, help: "The address to listen on.")
    var host: String = "127.0.0.1"

    @Option(name: .long, help: "The port to listen on (0 picks a free one).")
    var port: Int = 8080

    @Option(name: .long, help: "Milliseconds added before every answer.")
    var latencyMs: Double = 0

    @Option(name: .long, help: "Comma-separated models for GET /v1/models.")
    var models: String = "gpt-4o,gpt-4o-mini,text-embedding-3-small"

    func run() async throws {
        let responder = MockResponder(models: models.split(separator: ",").map(String.init), baseLatency: latencyMs / 1000)
        let server = try await MockUpstreamServer.start(host: host, port: port, responder: responder)
        FileHandle.standardOutput.write(Data("mock upstream listening on http://\(server.host):\(server.port)/v1\n".utf8))
        try await withSignalShutdown { try await server.shutdown() }
        try await server.waitUntilClosed()
    }
}

/// Waits for SIGTERM or SIGINT, then runs `shutdown`.
func withSignalShutdown(_ shutdown: @escaping @Sendable () async throws -> Void) async throws {
    let signals = AsyncStream<Int32> { continuation in
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { continuation.yield(signalNumber) }
            source.resume()
            SignalSources.keep(source)
        }
    }
    for await _ in signals {
        try await shutdown()
        return
    }
}

/// Keeps signal sources alive for the life of the process.
enum SignalSources {
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []
    static func keep(_ source: any DispatchSourceSignal) { sources.append(source) }
}
