import Foundation
import NIOCore
import NIOPosix
@testable import Switchyard
import SwitchyardCore
import SwitchyardMock
import SwitchyardProviders
import Testing

/// The NIO connection pool against real HTTP servers on loopback.
@Suite("PooledHTTPTransport")
struct PooledHTTPTransportTests {
    /// One event loop, so one pool: connection counts are exact.
    static let oneLoop: any EventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    static func chatRequest(_ server: MockUpstreamServer, fault: String? = nil, text: String = "hello", stream: Bool = false) -> UpstreamRequest {
        let base = fault.map { server.baseURL(fault: $0) } ?? server.baseURL
        let body = #"{"model":"gpt-4o-mini","stream":\#(stream),"messages":[{"role":"user","content":"\#(text)"}]}"#
        var headers = HeaderFields()
        headers.add("Authorization", "Bearer sk-test")
        headers.add("Content-Type", "application/json")
        return UpstreamRequest(url: base + "/chat/completions", headers: headers, body: Array(body.utf8))
    }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test("sequential requests reuse one keep-alive connection")
    func keepAlive() async throws {
        try await withMockUpstream { server in
            let transport = PooledHTTPTransport(settings: .init(), group: Self.oneLoop)
            for _ in 0..<5 {
                let response = try await transport.execute(Self.chatRequest(server), deadline: 10)
                #expect(response.status == 200)
                let body = Self.text(try await response.body.collect(upTo: 1 << 20))
                #expect(body.contains("Echo: hello"))
            }
            #expect(server.acceptedConnections == 1)
        }
    }

    @Test("at most maxConnectionsPerEndpoint connections; the rest wait in line and are served")
    func boundedPool() async throws {
        try await withMockUpstream(latency: 0.05) { server in
            var settings = PooledHTTPTransport.Settings()
            settings.maxConnectionsPerEndpoint = 2
            let transport = PooledHTTPTransport(settings: settings, group: Self.oneLoop)
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        let response = try await transport.execute(Self.chatRequest(server), deadline: 10)
                        _ = try await response.body.collect(upTo: 1 << 20)
                        return response.status
                    }
                }
                for try await status in group { #expect(status == 200) }
            }
            #expect(server.acceptedConnections == 2)
        }
    }

    @Test("a reused connection the upstream closed is retried once on a new one")
    func staleKeepAliveRetried() async throws {
        let server = try await ClosesReusedConnectionsServer.start()
        defer { Task { try? await server.shutdown() } }
        let transport = PooledHTTPTransport(settings: .init(), group: Self.oneLoop)
        let request = UpstreamRequest(url: "http://127.0.0.1:\(server.port)/v1/models", headers: [:], body: [])
        for _ in 0..<2 {
            let response = try await transport.execute(request, deadline: 10)
            #expect(response.status == 200)
            #expect(Self.text(try await response.body.collect(upTo: 1024)) == "ok")
        }
        // The second request met the closed connection, then went out on a new one.
        #expect(server.requests == 3)
        #expect(server.connections == 2)
    }

    @Test("an answer whole in one read comes whole; one whose body is still arriving streams, every byte in order")
    func wholeOrStreaming() async throws {
        try await withMockUpstream { server in
            let transport = PooledHTTPTransport(settings: .init(), group: Self.oneLoop)
            let plain = try await transport.execute(Self.chatRequest(server), deadline: 10)
            let whole = try #require(plain.body.whole)
            #expect(Self.text(whole).contains("Echo: hello"))
            #expect(try await plain.body.collect(upTo: 1 << 20) == whole)
            var chunks = 0
            for try await _ in plain.body { chunks += 1 }
            #expect(chunks == 1)
            await #expect(throws: TransportError.responseTooLarge(limit: 10)) { try await plain.body.collect(upTo: 10) }

            let paced = try await transport.execute(
                Self.chatRequest(server, fault: "chunk_delay_ms=30", text: "one two three", stream: true), deadline: 10)
            #expect(paced.body.whole == nil)
            let text = Self.text(try await paced.body.collect(upTo: 1 << 20))
            #expect(text.contains(#""content":"one ""#) && text.contains(#""content":"three""#))
            #expect(text.hasSuffix("data: [DONE]\n\n"))
        }
    }

    @Test("every byte of a stream that breaks off arrives before the error")
    func bytesBeforeBreak() async throws {
        try await withMockUpstream { server in
            let transport = PooledHTTPTransport(settings: .init(), group: Self.oneLoop)
            let response = try await transport.execute(
                Self.chatRequest(server, fault: "die_after=2", text: "one two three four", stream: true), deadline: 10)
            #expect(response.status == 200)
            // Let the break arrive before reading anything.
            try await Task.sleep(for: .milliseconds(200))
            var received: [UInt8] = []
            var iterator = response.body.makeAsyncIterator()
            var failure: TransportError?
            do {
                while let bytes = try await iterator.next() { received += bytes }
            } catch let error as TransportError {
                failure = error
            }
            let text = Self.text(received)
            #expect(text.contains(#""content":"Echo: ""#))
            #expect(text.contains(#""content":"one ""#))
            #expect(!text.contains("[DONE]"))
            guard case .connectionClosed? = failure else {
                Issue.record("expected connectionClosed, got \(String(describing: failure))")
                return
            }
        }
    }

    @Test("a slow reader pauses the connection without losing or reordering bytes")
    func backPressure() async throws {
        try await withMockUpstream { server in
            var settings = PooledHTTPTransport.Settings()
            settings.bodyHighWatermark = 256
            let transport = PooledHTTPTransport(settings: settings, group: Self.oneLoop)
            let words = (0..<400).map { "w\($0)" }
            let response = try await transport.execute(
                Self.chatRequest(server, text: words.joined(separator: " "), stream: true), deadline: 30)
            var received: [UInt8] = []
            var reads = 0
            for try await bytes in response.body {
                received += bytes
                reads += 1
                if reads % 10 == 0 { try await Task.sleep(for: .milliseconds(2)) }
            }
            let text = Self.text(received)
            #expect(text.hasSuffix("data: [DONE]\n\n"))
            // The words come back in order.
            var position = text.startIndex
            for word in words.prefix(400) {
                guard let found = text.range(of: "\"\(word) ", range: position..<text.endIndex)
                    ?? text.range(of: "\"\(word)\"", range: position..<text.endIndex)
                else {
                    Issue.record("missing or out of order: \(word)")
                    return
                }
                position = found.upperBound
            }
            // And the connection went back to the pool for the next request.
            let again = try await transport.execute(Self.chatRequest(server), deadline: 10)
            _ = try await again.body.collect(upTo: 1 << 20)
            #expect(server.acceptedConnections == 1)
        }
    }

    @Test("an upstream that never answers times out at the deadline")
    func deadline() async throws {
        try await withMockUpstream { server in
            let transport = PooledHTTPTransport(settings: .init(), group: Self.oneLoop)
            let start = ContinuousClock.now
            await #expect(throws: TransportError.timedOut) {
                _ = try await transport.execute(Self.chatRequest(server, fault: "hang"), deadline: 0.3)
            }
            let elapsed = seconds(since: start)
            #expect(elapsed >= 0.25 && elapsed < 3)
        }
    }

    @Test("cancelled before its start reaches the loop, or while waiting in line for a connection: cancelled at once")
    func cancelledEarly() async throws {
        try await withMockUpstream { server in
            var settings = PooledHTTPTransport.Settings()
            settings.maxConnectionsPerEndpoint = 1
            let transport = PooledHTTPTransport(settings: settings, group: Self.oneLoop)
            // Cancelled before it calls the transport: the cancellation reaches the loop first.
            let early = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return try await transport.execute(Self.chatRequest(server), deadline: 10)
            }
            await #expect(throws: TransportError.cancelled) { _ = try await early.value }

            // A slow stream holds the only connection; the next request waits in line and is
            // cancelled there.
            let holder = try await transport.execute(Self.chatRequest(server, fault: "chunk_delay_ms=300", stream: true), deadline: 10)
            #expect(holder.status == 200)
            let waiting = Task { try await transport.execute(Self.chatRequest(server), deadline: 10) }
            try await Task.sleep(for: .milliseconds(100))
            let start = ContinuousClock.now
            waiting.cancel()
            await #expect(throws: TransportError.cancelled) { _ = try await waiting.value }
            #expect(seconds(since: start) < 1)
        }
    }

    @Test("a refused connection fails at once as connectFailed")
    func refused() async throws {
        let transport = PooledHTTPTransport(settings: .init(), group: Self.oneLoop)
        let request = UpstreamRequest(url: "http://127.0.0.1:\(deadPort())/v1/models", headers: [:], body: [])
        do {
            _ = try await transport.execute(request, deadline: 10)
            Issue.record("expected a failure")
        } catch {
            guard case .connectFailed = error else {
                Issue.record("expected connectFailed, got \(error)")
                return
            }
        }
    }

    @Test("a URL that is not http(s) is an invalid request")
    func invalidURL() async throws {
        let transport = PooledHTTPTransport(settings: .init(), group: Self.oneLoop)
        for url in ["ftp://example.com/x", "http://", "http://host:99999/x", "not a url"] {
            do {
                _ = try await transport.execute(UpstreamRequest(url: url, headers: [:], body: []), deadline: 1)
                Issue.record("\(url) was accepted")
            } catch {
                guard case .invalidRequest = error else {
                    Issue.record("\(url): expected invalidRequest, got \(error)")
                    continue
                }
            }
        }
    }

    @Test("a header that would break the request's framing is refused before anything is sent")
    func badHeaders() async throws {
        try await withMockUpstream { server in
            let transport = PooledHTTPTransport(settings: .init(), group: Self.oneLoop)
            let bad: [(String, String)] = [
                ("Authorization", "Bearer sk-test\n"), ("Authorization", "Bearer sk\r\nX-Injected: 1"), ("X-Key", "a\u{0}b"),
                ("Bad Name", "v"), ("", "v"), ("X-Ünicode", "v"), ("X:Colon", "v"),
            ]
            for (name, value) in bad {
                var request = Self.chatRequest(server)
                request.headers.add(name, value)
                do {
                    _ = try await transport.execute(request, deadline: 5)
                    Issue.record("\(name.debugDescription): \(value.debugDescription) was sent")
                } catch {
                    guard case .invalidRequest? = error as? TransportError else {
                        Issue.record("\(name.debugDescription): expected invalidRequest, got \(error)")
                        continue
                    }
                }
            }
            #expect(server.acceptedConnections == 0)
            // Values the rules allow (tabs, non-ASCII text, token punctuation) go through.
            var fine = Self.chatRequest(server)
            fine.headers.add("X-Note", "tab\there, café")
            fine.headers.add("X-Odd_Name!#$%&'*+.^`|~", "1")
            // A framing field is the transport's own: dropped, not judged.
            fine.headers.add("Connection", "close\r\n")
            let response = try await transport.execute(fine, deadline: 5)
            #expect(response.status == 200)
        }
    }

    @Test("a reader that stops early closes that connection; the pool goes on serving")
    func abandonedBody() async throws {
        try await withMockUpstream { server in
            let transport = PooledHTTPTransport(settings: .init(), group: Self.oneLoop)
            do {
                let response = try await transport.execute(
                    Self.chatRequest(server, fault: "chunk_delay_ms=400", text: "a b c d e f g h i j k l m n o p", stream: true), deadline: 10)
                var iterator = response.body.makeAsyncIterator()
                _ = try await iterator.next()
            }
            let response = try await transport.execute(Self.chatRequest(server), deadline: 10)
            #expect(response.status == 200)
            #expect(Self.text(try await response.body.collect(upTo: 1 << 20)).contains("Echo: hello"))
            #expect(server.acceptedConnections == 2)
        }
    }
}
