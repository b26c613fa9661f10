import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Switchyard
import SwitchyardCore
import SwitchyardProviders
import Testing

/// The connection pool against a real TLS upstream on loopback that speaks HTTP/2 (or only
/// HTTP/1.1) as ALPN decides.
@Suite("PooledHTTPTransport over HTTP/2")
struct PooledHTTP2Tests {
    /// One event loop, so one pool: connection counts are exact.
    static let oneLoop: any EventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    static func certificate() throws -> TestCertificate {
        guard let certificate = TestCertificate.shared else { throw CertificateUnavailable() }
        return certificate
    }

    struct CertificateUnavailable: Error {}

    /// A transport that trusts the test certificate.
    static func transport(_ change: (inout PooledHTTPTransport.Settings) -> Void = { _ in }) throws -> PooledHTTPTransport {
        var settings = PooledHTTPTransport.Settings()
        settings.trustRoots = .certificates([try certificate().certificate])
        change(&settings)
        return PooledHTTPTransport(settings: settings, group: oneLoop)
    }

    static func get(_ url: String) -> UpstreamRequest { UpstreamRequest(method: "GET", url: url, headers: [:], body: []) }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    static func withUpstream(
        alpn: [String] = ["h2", "http/1.1"], maxStreams: Int = 100, _ body: (TLSUpstream) async throws -> Void
    ) async throws {
        let upstream = try await TLSUpstream.start(alpn: alpn, maxStreams: maxStreams, certificate: try certificate())
        do {
            try await body(upstream)
        } catch {
            try? await upstream.shutdown()
            throw error
        }
        try await upstream.shutdown()
    }

    /// Reads a body to its end or its failure.
    static func drain(_ body: ByteStream) async -> (bytes: [UInt8], failure: TransportError?) {
        var received: [UInt8] = []
        var iterator = body.makeAsyncIterator()
        do {
            while let bytes = try await iterator.next() { received += bytes }
            return (received, nil)
        } catch {
            return (received, error)
        }
    }

    /// Waits up to two seconds for `condition`.
    static func eventually(_ condition: () -> Bool) async throws {
        for _ in 0..<200 where !condition() { try await Task.sleep(for: .milliseconds(10)) }
    }

    @Test("a TLS upstream that chooses h2 gets HTTP/2 requests with a valid head")
    func http2() async throws {
        try await Self.withUpstream { upstream in
            let transport = try Self.transport()
            var headers = HeaderFields()
            headers.add("Authorization", "Bearer sk-test")
            headers.add("Content-Type", "application/json")
            // Connection-specific fields would make the request malformed on HTTP/2.
            headers.add("Connection", "keep-alive")
            headers.add("Keep-Alive", "timeout=5")
            headers.add("Transfer-Encoding", "chunked")
            headers.add("TE", "gzip")
            let post = UpstreamRequest(url: upstream.url("/ok"), headers: headers, body: Array(#"{"a":1}"#.utf8))
            for request in [post, Self.get(upstream.url("/ok"))] {
                let response = try await transport.execute(request, deadline: 10)
                #expect(response.status == 200)
                #expect(Self.text(try await response.body.collect(upTo: 1 << 20)) == "ok HTTP/2")
            }
            let counts = upstream.counts
            #expect(counts.versions == ["2.0", "2.0"])
            #expect(counts.authorities == ["127.0.0.1:\(upstream.port)", "127.0.0.1:\(upstream.port)"])
            #expect(counts.forbiddenHeaders.isEmpty)
            #expect(counts.connections == 1)
        }
    }

    @Test("20 concurrent requests share one HTTP/2 connection")
    func multiplexed() async throws {
        try await Self.withUpstream { upstream in
            let transport = try Self.transport()
            try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        let response = try await transport.execute(Self.get(upstream.url("/slow")), deadline: 10)
                        return Self.text(try await response.body.collect(upTo: 1 << 20))
                    }
                }
                for try await text in group { #expect(text == "ok HTTP/2") }
            }
            #expect(upstream.counts.requests == 20)
            #expect(upstream.counts.connections == 1)
            #expect(upstream.counts.mostStreams > 1)
        }
    }

    @Test("the upstream's SETTINGS_MAX_CONCURRENT_STREAMS is respected: no stream is refused, more connections open")
    func peerStreamLimit() async throws {
        try await Self.withUpstream(maxStreams: 5) { upstream in
            let transport = try Self.transport()
            try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        let response = try await transport.execute(Self.get(upstream.url("/slow")), deadline: 10)
                        return Self.text(try await response.body.collect(upTo: 1 << 20))
                    }
                }
                for try await text in group { #expect(text == "ok HTTP/2") }
            }
            #expect(upstream.counts.requests == 20)
            #expect(upstream.counts.mostStreams <= 5)
            #expect(upstream.counts.connections >= 2 && upstream.counts.connections <= 4)
        }
    }

    @Test("TLS to a port nobody listens on fails every waiting exchange as connectFailed at once")
    func refusedTLS() async throws {
        let transport = try Self.transport()
        let url = "https://127.0.0.1:\(deadPort())/ok"
        let start = ContinuousClock.now
        await withTaskGroup(of: TransportError?.self) { group in
            for _ in 0..<5 {
                group.addTask {
                    do {
                        _ = try await transport.execute(Self.get(url), deadline: 10)
                        return nil
                    } catch {
                        return error as? TransportError
                    }
                }
            }
            for await failure in group {
                guard case .connectFailed? = failure else {
                    Issue.record("expected connectFailed, got \(String(describing: failure))")
                    continue
                }
            }
        }
        // At once, not after the 10 s connect timeout (the margin is for the parallel suite on two cores).
        #expect(seconds(since: start) < 5)
    }

    @Test("past maxConcurrentStreams a second connection opens, and past maxConnectionsPerEndpoint requests wait")
    func streamLimit() async throws {
        try await Self.withUpstream { upstream in
            let transport = try Self.transport {
                $0.maxConcurrentStreams = 5
                $0.maxConnectionsPerEndpoint = 2
            }
            try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        let response = try await transport.execute(Self.get(upstream.url("/slow")), deadline: 10)
                        return Self.text(try await response.body.collect(upTo: 1 << 20))
                    }
                }
                for try await text in group { #expect(text == "ok HTTP/2") }
            }
            #expect(upstream.counts.requests == 20)
            #expect(upstream.counts.connections == 2)
        }
    }

    @Test("a slow reader holds the upstream back through the stream's window, losing and reordering nothing")
    func backPressure() async throws {
        try await Self.withUpstream { upstream in
            let transport = try Self.transport { $0.bodyHighWatermark = 1_024 }
            let chunks = 2_000  // 1 MB
            let response = try await transport.execute(Self.get(upstream.url("/stream?chunks=\(chunks)")), deadline: 30)
            #expect(response.status == 200)
            // Nothing read yet: the stream's flow-control window stops the upstream well short of the end.
            try await Task.sleep(for: .milliseconds(500))
            let sentWhilePaused = upstream.counts.bytesWritten
            #expect(sentWhilePaused < chunks * 512 / 4, "the upstream sent \(sentWhilePaused) bytes to a paused reader")
            var received: [UInt8] = []
            var reads = 0
            for try await bytes in response.body {
                received += bytes
                reads += 1
                if reads % 20 == 0 { try await Task.sleep(for: .milliseconds(1)) }
            }
            #expect(received.count == chunks * 512)
            #expect(Self.text(received) == TLSUpstream.streamBody(chunks: chunks))
            // The connection goes on serving.
            let again = try await transport.execute(Self.get(upstream.url("/ok")), deadline: 10)
            #expect(Self.text(try await again.body.collect(upTo: 1024)) == "ok HTTP/2")
            #expect(upstream.counts.connections == 1)
        }
    }

    @Test("a TLS upstream that offers only http/1.1 is served over HTTP/1.1 keep-alive")
    func alpnFallback() async throws {
        try await Self.withUpstream(alpn: ["http/1.1"]) { upstream in
            let transport = try Self.transport()
            for _ in 0..<3 {
                let response = try await transport.execute(Self.get(upstream.url("/ok")), deadline: 10)
                #expect(Self.text(try await response.body.collect(upTo: 1024)) == "ok HTTP/1.1")
            }
            // Concurrent requests each get a connection of their own once ALPN said http/1.1.
            try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        let response = try await transport.execute(Self.get(upstream.url("/slow")), deadline: 10)
                        return Self.text(try await response.body.collect(upTo: 1 << 20))
                    }
                }
                for try await text in group { #expect(text == "ok HTTP/1.1") }
            }
            #expect(upstream.counts.versions.allSatisfy { $0 == "1.1" })
            #expect(upstream.counts.connections == 4)
        }
    }

    @Test("with http2 off, a TLS upstream that offers h2 is served over HTTP/1.1")
    func http2Off() async throws {
        try await Self.withUpstream { upstream in
            let transport = try Self.transport { $0.http2 = false }
            let response = try await transport.execute(Self.get(upstream.url("/ok")), deadline: 10)
            #expect(Self.text(try await response.body.collect(upTo: 1024)) == "ok HTTP/1.1")
        }
    }

    @Test("an untrusted certificate fails as connectFailed")
    func untrusted() async throws {
        try await Self.withUpstream { upstream in
            let transport = PooledHTTPTransport(settings: .init(), group: Self.oneLoop)
            do {
                _ = try await transport.execute(Self.get(upstream.url("/ok")), deadline: 10)
                Issue.record("expected a failure")
            } catch {
                guard case .connectFailed(let detail)? = error as? TransportError else {
                    Issue.record("expected connectFailed, got \(error)")
                    return
                }
                #expect(detail.hasPrefix("TLS"))
            }
        }
    }

    @Test("a TLS handshake that never completes fails at the connect timeout as connectFailed")
    func handshakeTimeout() async throws {
        // Accepts connections and never says a word.
        let silent = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = silent.localAddress?.port ?? 0
        let transport = try Self.transport { $0.connectTimeout = .milliseconds(300) }
        let start = ContinuousClock.now
        do {
            _ = try await transport.execute(Self.get("https://127.0.0.1:\(port)/ok"), deadline: 10)
            Issue.record("expected a failure")
        } catch {
            guard case .connectFailed? = error as? TransportError else {
                Issue.record("expected connectFailed, got \(error)")
                try await silent.close()
                return
            }
        }
        #expect(seconds(since: start) < 3)
        try await silent.close()
    }

    @Test("a stream past the upstream's GOAWAY is sent again on a new connection")
    func goAwayRetried() async throws {
        try await Self.withUpstream { upstream in
            let transport = try Self.transport()
            for _ in 0..<2 {
                let response = try await transport.execute(Self.get(upstream.url("/goaway")), deadline: 10)
                #expect(response.status == 200)
                #expect(Self.text(try await response.body.collect(upTo: 1024)) == "ok HTTP/2")
            }
            // The second request met the GOAWAY, then went out on a new connection.
            #expect(upstream.counts.requests == 3)
            #expect(upstream.counts.connections == 2)
        }
    }

    @Test("after GOAWAY the streams it names finish, and new exchanges go to a new connection")
    func goAwayDrains() async throws {
        try await Self.withUpstream { upstream in
            let transport = try Self.transport()
            _ = try await transport.execute(Self.get(upstream.url("/ok")), deadline: 10).body.collect(upTo: 1024)
            async let drained: String = {
                let response = try await transport.execute(Self.get(upstream.url("/drain")), deadline: 10)
                return Self.text(try await response.body.collect(upTo: 1024))
            }()
            try await Self.eventually { upstream.counts.requests == 2 }
            try await Task.sleep(for: .milliseconds(50))
            let response = try await transport.execute(Self.get(upstream.url("/ok")), deadline: 10)
            #expect(Self.text(try await response.body.collect(upTo: 1024)) == "ok HTTP/2")
            #expect(try await drained == "ok HTTP/2")
            #expect(upstream.counts.requests == 3)
            #expect(upstream.counts.connections == 2)
        }
    }

    @Test("connections outlive a dropped transport: they close later without it")
    func droppedTransport() async throws {
        try await Self.withUpstream { upstream in
            for path in ["/drain", "/hang", "/die", "/ok"] {
                for _ in 0..<5 {
                    let transport = try Self.transport()
                    let response = try await transport.execute(Self.get(upstream.url(path)), deadline: 10)
                    var iterator = response.body.makeAsyncIterator()
                    _ = try? await iterator.next()
                }
            }
            // The upstream closes its side of every connection when it stops (below), with
            // no transport left to hear of it.
            try await Task.sleep(for: .milliseconds(300))
        }
        try await Task.sleep(for: .milliseconds(200))
    }

    @Test("a connection that breaks mid-body fails its exchange after every byte that arrived")
    func connectionLost() async throws {
        try await Self.withUpstream { upstream in
            let transport = try Self.transport()
            let response = try await transport.execute(Self.get(upstream.url("/die")), deadline: 10)
            #expect(response.status == 200)
            try await Task.sleep(for: .milliseconds(200))
            let (bytes, failure) = await Self.drain(response.body)
            #expect(Self.text(bytes) == "partial-")
            guard case .connectionClosed? = failure else {
                Issue.record("expected connectionClosed, got \(String(describing: failure))")
                return
            }
            // The pool opens a new connection for the next request.
            let again = try await transport.execute(Self.get(upstream.url("/ok")), deadline: 10)
            #expect(Self.text(try await again.body.collect(upTo: 1024)) == "ok HTTP/2")
            #expect(upstream.counts.connections == 2)
        }
    }

    @Test("a reset stream fails only its own exchange")
    func streamReset() async throws {
        try await Self.withUpstream { upstream in
            let transport = try Self.transport()
            // One connection first, so that everything below shares it.
            _ = try await transport.execute(Self.get(upstream.url("/ok")), deadline: 10).body.collect(upTo: 1024)
            async let reset: (bytes: [UInt8], failure: TransportError?) = {
                let response = try await transport.execute(Self.get(upstream.url("/reset")), deadline: 10)
                return await Self.drain(response.body)
            }()
            try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<5 {
                    group.addTask {
                        let response = try await transport.execute(Self.get(upstream.url("/slow")), deadline: 10)
                        return Self.text(try await response.body.collect(upTo: 1 << 20))
                    }
                }
                for try await text in group { #expect(text == "ok HTTP/2") }
            }
            let (bytes, failure) = try await reset
            #expect(Self.text(bytes) == "partial-")
            guard case .connectionClosed? = failure else {
                Issue.record("expected connectionClosed, got \(String(describing: failure))")
                return
            }
            #expect(upstream.counts.connections == 1)
        }
    }

    @Test("cancelling an exchange or dropping its body resets only its stream")
    func cancellation() async throws {
        try await Self.withUpstream { upstream in
            let transport = try Self.transport()
            // Cancelled while waiting for the head.
            let waiting = Task { try await transport.execute(Self.get(upstream.url("/hang-silent")), deadline: 10) }
            try await Self.eventually { upstream.counts.requests == 1 }
            waiting.cancel()
            do {
                _ = try await waiting.value
                Issue.record("expected a failure")
            } catch {
                #expect(error as? TransportError == .cancelled)
            }
            // A body dropped after its first chunk.
            do {
                let response = try await transport.execute(Self.get(upstream.url("/hang")), deadline: 10)
                var iterator = response.body.makeAsyncIterator()
                #expect(try await iterator.next().map(Self.text) == "first")
            }
            try await Self.eventually { upstream.counts.resets == 2 }
            #expect(upstream.counts.resets == 2)
            // An exchange past its deadline resets its stream too.
            await #expect(throws: TransportError.timedOut) {
                _ = try await transport.execute(Self.get(upstream.url("/hang-silent")), deadline: 0.3)
            }
            try await Self.eventually { upstream.counts.resets == 3 }
            #expect(upstream.counts.resets == 3)
            // The connection goes on serving.
            let response = try await transport.execute(Self.get(upstream.url("/ok")), deadline: 10)
            #expect(Self.text(try await response.body.collect(upTo: 1024)) == "ok HTTP/2")
            #expect(upstream.counts.connections == 1)
        }
    }
}
