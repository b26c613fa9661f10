import Foundation
import Switchyard
import Testing

/// A slow consumer of a fast stream holds the upstream back, end to end: the router's stream
/// buffers a bounded number of events, the transport stops reading past its watermark, and the
/// upstream's socket fills. Without that, the whole answer would pile up in the gateway.
@Suite("Streaming back-pressure")
struct StreamBackPressureTests {
    static func router(_ server: FloodingStreamServer) throws -> Router {
        try Router(
            modelList: [
                Deployment(modelName: "flood", params: .init(model: "openai/m", apiKey: "sk-test", apiBase: server.baseURL), modelInfo: .init(id: "f1"))
            ],
            environment: [:])
    }

    @Test("a consumer that stops reading stops the upstream: what it sent stays bounded")
    func slowConsumerBoundsTheUpstream() async throws {
        let server = try await FloodingStreamServer.start()
        defer { Task { try? await server.shutdown() } }
        let stream = try await Self.router(server).streamCompletion(model: "flood", messages: [.user("go")])
        var iterator = stream.makeAsyncIterator()
        let first = try await iterator.next()
        #expect(first?.choices.first?.delta.content?.hasPrefix("flood") == true)

        // The consumer pauses; the upstream fills what the buffers hold (socket buffers, the
        // transport's watermark, the stream's bounded queue), then has to stop. Unbounded, it
        // goes on at the ~100 MB a second the flood produces.
        // Settled: no byte for three samples in a row (one quiet sample can be the flood's
        // thread waiting for a core while the rest of the suite runs).
        var settled = server.bytesWritten
        var quiet = 0
        let deadline = ContinuousClock.now + .seconds(8)
        while ContinuousClock.now < deadline && quiet < 3 {
            try await Task.sleep(for: .milliseconds(200))
            let now = server.bytesWritten
            quiet = now == settled ? quiet + 1 : 0
            settled = now
        }
        #expect(settled < 48 << 20, "the upstream sent \(settled) bytes to a consumer that took one chunk")
        try await Task.sleep(for: .milliseconds(300))
        #expect(server.bytesWritten == settled, "the upstream kept going while the consumer waited")

        // Reading again lets it go on.
        var more = 0
        while more < 60_000, server.bytesWritten == settled, try await iterator.next() != nil { more += 1 }
        #expect(server.bytesWritten > settled)
    }

    @Test("dropping a stream that is still running closes its upstream connection")
    func droppedStreamStopsTheUpstream() async throws {
        let server = try await FloodingStreamServer.start()
        defer { Task { try? await server.shutdown() } }
        do {
            let stream = try await Self.router(server).streamCompletion(model: "flood", messages: [.user("go")])
            var iterator = stream.makeAsyncIterator()
            _ = try await iterator.next()
        }
        let deadline = ContinuousClock.now + .seconds(5)
        while !server.clientClosed && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(server.clientClosed)
    }
}
