import Foundation
import Logging
import NIOCore
import NIOPosix
import Switchyard
@testable import SwitchyardServer
import Testing

/// The NIO HTTP server carrying the gateway, over real loopback connections.
@Suite("HTTP server")
struct HTTPServerTests {
    /// Runs `body` against a server for a gateway on the mock deployments.
    func withServer<T>(maxRequestBytes: Int? = nil, _ body: (HTTPServer) async throws -> T) async throws -> T {
        let server = try await HTTPServer.start(try makeGateway(maxRequestBytes: maxRequestBytes), host: "127.0.0.1", port: 0)
        do {
            let result = try await body(server)
            await server.close()
            return result
        } catch {
            await server.close()
            throw error
        }
    }

    func request(_ server: HTTPServer, _ path: String, json: String, headers: [(String, String)] = []) -> UpstreamRequest {
        var fields: HeaderFields = ["Authorization": "Bearer \(masterKey)", "Content-Type": "application/json"]
        for (name, value) in headers { fields.add(name, value) }
        return UpstreamRequest(url: "http://127.0.0.1:\(server.port)\(path)", headers: fields, body: Array(json.utf8))
    }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test("requests and headers travel both ways, query strings included")
    func roundTrip() async throws {
        try await withServer { server in
            let client = PooledHTTPTransport()
            let response = try await client.execute(
                request(server, "/v1/chat/completions?trace=1", json: #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"via nio"}]}"#,
                    headers: [("x-request-id", "req-123")]),
                deadline: 10)
            #expect(response.status == 200)
            #expect(response.headers["x-litellm-model-id"] == "mini-1")
            #expect(response.headers["x-request-id"] == "req-123")
            #expect(response.headers["content-type"] == "application/json")
            let body = Self.text(try await response.body.collect(upTo: 1 << 20))
            #expect(body.contains("Echo: via nio"))
            #expect(response.headers["content-length"] == String(body.utf8.count))
        }
    }

    @Test("a body over the limit is a 413 in OpenAI's shape, and the server goes on serving")
    func tooLarge() async throws {
        try await withServer(maxRequestBytes: 1024) { server in
            let client = PooledHTTPTransport()
            let big = String(repeating: "x", count: 4096)
            let response = try await client.execute(
                request(server, "/v1/chat/completions", json: #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"\#(big)"}]}"#),
                deadline: 10)
            #expect(response.status == 413)
            let body = Self.text(try await response.body.collect(upTo: 1 << 20))
            #expect(body.contains("(1024 bytes, general_settings.max_request_size_mb)"))
            #expect(body.contains(#""type":"#))
            let next = try await client.execute(
                request(server, "/v1/chat/completions", json: #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"small"}]}"#),
                deadline: 10)
            #expect(next.status == 200)
        }
    }

    @Test("a declared body over the limit gets its 413 before it is sent, and the connection closes")
    func tooLargeEarly() async throws {
        try await withServer(maxRequestBytes: 1024) { server in
            let started = ContinuousClock.now
            // 50 MB announced, 64 KB sent, and the client waits for an answer.
            let answer = try await rawExchangeOffPool(
                port: server.port,
                "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50000000\r\n\r\n"
                    + String(repeating: "x", count: 65_536))
            #expect(answer.hasPrefix("HTTP/1.1 413"))
            #expect(answer.lowercased().contains("connection: close"))
            #expect(answer.contains(#""code":"#) && answer.contains("max_request_size_mb"))
            #expect(ContinuousClock.now - started < .seconds(4))
        }
    }

    @Test("headers larger than the server accepts get a 431 in OpenAI's shape")
    func headersTooLarge() async throws {
        try await withServer { server in
            let answer = try await rawExchangeOffPool(
                port: server.port, "GET /health/liveliness HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "y", count: 200_000))\r\n\r\n")
            #expect(answer.hasPrefix("HTTP/1.1 431"))
            #expect(answer.contains(#"{"error":{"#))
        }
    }

    @Test("a request whose body stops arriving gets a 408 after the idle timeout, and its connection closes")
    func stalledBody() async throws {
        let server = try await HTTPServer.start(try makeGateway(), host: "127.0.0.1", port: 0, idleTimeout: 1)
        let started = ContinuousClock.now
        let answer = try await rawExchangeOffPool(
            port: server.port,
            "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"model\"")
        await server.close()
        #expect(answer.hasPrefix("HTTP/1.1 408"))
        #expect(answer.contains(#""message":"The request did not arrive in full"#))
        #expect(ContinuousClock.now - started < .seconds(4))
    }

    @Test("a keep-alive connection stays open while requests keep coming, and closes after the idle timeout without them")
    func idleKeepAlive() async throws {
        let server = try await HTTPServer.start(try makeGateway(), host: "127.0.0.1", port: 0, idleTimeout: 2)
        let port = server.port
        // Five gaps of 0.5 s: 2.5 s in all, past the 2-second idle timeout, never idle for it
        // (the margins leave room for a client thread starved on a loaded two-core machine).
        let session = try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try keepAliveSession(port: port, gaps: [0.5, 0.5, 0.5, 0.5, 0.5]) }) }.start()
        }
        await server.close()
        #expect(session.answers == 6)
        let closedAfter = try #require(session.closedAfter)
        #expect(closedAfter > 1.9 && closedAfter < 3.5)
    }

    @Test("a drain that runs out of time closes the connections left, streams included")
    func drainTimeout() async throws {
        let gateway = try makeGateway([
            Deployment(modelName: "slow", params: .init(model: "mock/slow", extra: ["mock_fault": "chunk_delay_ms=200"]), modelInfo: .init(id: "slow-1"))
        ])
        let server = try await HTTPServer.start(gateway, host: "127.0.0.1", port: 0)
        let words = (0..<50).map { "w\($0)" }.joined(separator: " ")
        let response = try await PooledHTTPTransport().execute(
            request(server, "/v1/chat/completions", json: #"{"model":"slow","stream":true,"messages":[{"role":"user","content":"\#(words)"}]}"#),
            deadline: 30)
        let started = ContinuousClock.now
        let drained = await first({ await server.drain() }, orAfter: 0.3)
        #expect(!drained)  // a 10-second stream outlasts a 0.3-second drain
        #expect(server.openConnections == 1)
        await server.close()
        var text = ""
        do {
            for try await bytes in response.body { text += Self.text(bytes) }
        } catch {}
        #expect(!text.contains("[DONE]"))
        #expect(ContinuousClock.now - started < .seconds(3))
        let deadline = ContinuousClock.now + .seconds(2)
        while server.openConnections > 0 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(server.openConnections == 0)
    }

    @Test("a streamed answer arrives as SSE, chunk by chunk, ending in [DONE]")
    func streaming() async throws {
        try await withServer { server in
            let client = PooledHTTPTransport()
            let response = try await client.execute(
                request(server, "/v1/chat/completions", json: #"{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"s t"}]}"#),
                deadline: 10)
            #expect(response.status == 200)
            #expect(response.headers["content-type"] == "text/event-stream")
            #expect(response.headers["transfer-encoding"] == "chunked")
            let text = Self.text(try await response.body.collect(upTo: 1 << 20))
            #expect(text.hasSuffix("data: [DONE]\n\n"))
            #expect(text.contains(#""content":"s ""#))
        }
    }

    @Test("a malformed request gets a 400 and its connection closes; others are unaffected")
    func malformed() async throws {
        try await withServer { server in
            let answer = try await rawExchangeOffPool(port: server.port, "THIS IS NOT HTTP\r\n\r\n")
            #expect(answer.hasPrefix("HTTP/1.1 400"))
            #expect(answer.contains(#"{"error":{"#) && answer.contains(#""message":"Malformed HTTP request"#))
            let client = PooledHTTPTransport()
            let ok = try await client.execute(
                UpstreamRequest(method: "GET", url: "http://127.0.0.1:\(server.port)/health/liveliness", headers: [:], body: []), deadline: 10)
            #expect(ok.status == 200)
        }
    }

    @Test("pipelined requests are answered in order, each with its own answer")
    func pipelining() async throws {
        try await withServer { server in
            func chat(_ text: String, close: Bool = false) -> String {
                let body = #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"\#(text)"}]}"#
                return "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(masterKey)\r\n"
                    + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
                    + (close ? "Connection: close\r\n" : "") + "\r\n" + body
            }
            // Five requests in one write; the last asks to close, so the exchange ends.
            let answer = try await rawExchangeOffPool(
                port: server.port, chat("one") + chat("two") + "GET /health/liveliness HTTP/1.1\r\nHost: x\r\n\r\n" + chat("three") + chat("four", close: true))
            let statuses = answer.components(separatedBy: "HTTP/1.1 ").dropFirst().map { $0.prefix(3) }
            #expect(statuses == ["200", "200", "200", "200", "200"])
            var position = answer.startIndex
            for expected in ["Echo: one", "Echo: two", "I'm alive!", "Echo: three", "Echo: four"] {
                guard let found = answer.range(of: expected, range: position..<answer.endIndex) else {
                    Issue.record("missing or out of order: \(expected)")
                    return
                }
                position = found.upperBound
            }
        }
    }

    @Test("a chunked request body is read whole and answered")
    func chunkedRequest() async throws {
        try await withServer { server in
            let body = #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"in chunks"}]}"#
            let bytes = Array(body.utf8)
            let first = String(decoding: bytes[..<20], as: UTF8.self)
            let rest = String(decoding: bytes[20...], as: UTF8.self)
            let chunked = String(first.utf8.count, radix: 16) + "\r\n" + first + "\r\n"
                + String(rest.utf8.count, radix: 16) + ";ext=1\r\n" + rest + "\r\n0\r\n\r\n"
            let answer = try await rawExchangeOffPool(
                port: server.port,
                "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(masterKey)\r\n"
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunked)
            #expect(answer.hasPrefix("HTTP/1.1 200"))
            #expect(answer.contains("Echo: in chunks"))
        }
    }

    @Test("a request with both Content-Length and Transfer-Encoding is refused with 400 and the connection closes")
    func ambiguousFraming() async throws {
        try await withServer { server in
            // The shape of a request-smuggling attempt: a proxy in front that went by the
            // Content-Length would see one request where a Transfer-Encoding reader sees two.
            let answer = try await rawExchangeOffPool(
                port: server.port,
                "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 44\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "0\r\n\r\nGET /health/liveliness HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(answer.hasPrefix("HTTP/1.1 400"))
            #expect(answer.contains("both Content-Length and Transfer-Encoding"))
            #expect(!answer.contains("I'm alive"), "nothing after the refused request is served")
        }
    }

    @Test("HTTP/1.0 and Connection: close get their answer and then the connection closes")
    func connectionClose() async throws {
        try await withServer { server in
            let answer = try await rawExchangeOffPool(port: server.port, "GET /health/liveliness HTTP/1.0\r\n\r\n")
            #expect(answer.hasPrefix("HTTP/1.0 200"))
            #expect(answer.lowercased().contains("connection: close"))
            let closing = try await rawExchangeOffPool(port: server.port, "GET /health/liveliness HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(closing.hasPrefix("HTTP/1.1 200"))
            #expect(closing.hasSuffix("\"I'm alive!\""))
        }
    }

    @Test("a streamed answer's chunks are framed exactly: hex sizes, CRLFs, and the last chunk")
    func chunkFraming() async throws {
        try await withServer { server in
            let body = #"{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"one two three four"}]}"#
            let answer = try await rawExchangeOffPool(
                port: server.port,
                "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(masterKey)\r\n"
                    + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body)
            let parts = answer.components(separatedBy: "\r\n\r\n")
            let head = parts[0].lowercased()
            #expect(head.hasPrefix("http/1.1 200"))
            #expect(head.contains("transfer-encoding: chunked") && !head.contains("content-length"))
            // Undo the chunking by hand, in bytes: every size must match the bytes that follow it.
            let bytes = Array(answer.utf8)
            let crlf = Array("\r\n".utf8)
            func lineEnd(from start: Int) -> Int? {
                (start..<max(start, bytes.count - 1)).first { bytes[$0] == crlf[0] && bytes[$0 + 1] == crlf[1] }
            }
            var position = try #require(answer.range(of: "\r\n\r\n")).upperBound.utf16Offset(in: answer)
            var decoded: [UInt8] = []
            var chunks = 0
            var ended = false
            while let end = lineEnd(from: position) {
                let size = try #require(Int(String(decoding: bytes[position..<end], as: UTF8.self), radix: 16))
                position = end + 2
                if size == 0 {
                    #expect(Array(bytes[position...]) == crlf)
                    ended = true
                    break
                }
                try #require(position + size + 2 <= bytes.count)
                decoded += bytes[position..<(position + size)]
                #expect(Array(bytes[(position + size)..<(position + size + 2)]) == crlf)
                position += size + 2
                chunks += 1
            }
            #expect(ended)
            let text = String(decoding: decoded, as: UTF8.self)
            #expect(chunks > 1)
            #expect(text.hasPrefix("data: {"))
            #expect(text.hasSuffix("data: [DONE]\n\n"))
            #expect(text.contains(#""content":"four""#))
        }
    }

    @Test("an HTTP/1.0 client gets a stream without chunked framing, ended by closing the connection")
    func http10Stream() async throws {
        try await withServer { server in
            let body = #"{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"a b"}]}"#
            // Even when it asks to keep the connection: its stream can only end with it.
            let answer = try await rawExchangeOffPool(
                port: server.port,
                "POST /v1/chat/completions HTTP/1.0\r\nConnection: keep-alive\r\nAuthorization: Bearer \(masterKey)\r\n"
                    + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body)
            let head = answer.components(separatedBy: "\r\n\r\n")[0].lowercased()
            #expect(head.hasPrefix("http/1.0 200"))
            #expect(head.contains("connection: close"))
            #expect(!head.contains("transfer-encoding") && !head.contains("content-length"))
            #expect(answer.hasSuffix("\r\n\r\ndata: [DONE]\n\n") || answer.hasSuffix("}\n\ndata: [DONE]\n\n"))
            #expect(!answer.contains("\r\n0\r\n"))
        }
    }

    @Test("an HTTP/1.0 client that asks for keep-alive is told so and keeps its connection")
    func http10KeepAlive() async throws {
        try await withServer { server in
            // Two requests on one connection: the first keeps it, the second (1.0's default) closes it.
            let answer = try await rawExchangeOffPool(
                port: server.port,
                "GET /health/liveliness HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /health/liveliness HTTP/1.0\r\n\r\n")
            let answers = answer.components(separatedBy: "HTTP/1.0 200 OK").dropFirst()
            #expect(answers.count == 2)
            #expect(answers.first?.lowercased().contains("connection: keep-alive\r\n") == true)
            #expect(answers.last?.lowercased().contains("connection: close\r\n") == true)
        }
    }

    @Test("a client that sends Expect: 100-continue is told to go on before its answer")
    func expectContinue() async throws {
        try await withServer { server in
            let body = #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"continue"}]}"#
            let head = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(masterKey)\r\n"
                + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n"
            let answer = try await rawExchangeOffPool(port: server.port, head + body)
            #expect(answer.hasPrefix("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n"))
            #expect(answer.contains("Echo: continue"))
            // Without the field, no interim answer.
            let plain = try await rawExchangeOffPool(port: server.port, head.replacingOccurrences(of: "Expect: 100-continue\r\n", with: "") + body)
            #expect(plain.hasPrefix("HTTP/1.1 200 OK\r\n"))
        }
    }

    @Test("a HEAD request gets the head with its Content-Length and no body")
    func headRequest() async throws {
        try await withServer { server in
            let answer = try await rawExchangeOffPool(
                port: server.port, "HEAD /v1/models HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(answer.hasPrefix("HTTP/1.1 405"))
            let length = answer.lowercased().components(separatedBy: "content-length: ").dropFirst().first?.prefix { $0.isNumber }
            #expect(Int(length ?? "") ?? 0 > 0)
            #expect(answer.hasSuffix("\r\n\r\n"))
            #expect(!answer.contains("{"))
        }
    }

    @Test("drain lets a stream in flight finish, then stops serving")
    func drain() async throws {
        let gateway = try makeGateway([
            Deployment(modelName: "slow", params: .init(model: "mock/slow", extra: ["mock_fault": "chunk_delay_ms=100"]), modelInfo: .init(id: "slow-1"))
        ])
        let server = try await HTTPServer.start(gateway, host: "127.0.0.1", port: 0)
        let client = PooledHTTPTransport()
        let response = try await client.execute(
            request(server, "/v1/chat/completions", json: #"{"model":"slow","stream":true,"messages":[{"role":"user","content":"a b c d e"}]}"#),
            deadline: 10)
        async let drained: Void = server.drain()
        let text = Self.text(try await response.body.collect(upTo: 1 << 20))
        await drained
        // Every word of the stream, sent 100 ms apart while the drain was under way, and its end.
        for word in ["a", "b", "c", "d", "e"] { #expect(text.contains("\"content\":\"\(word)")) }
        #expect(text.hasSuffix("data: [DONE]\n\n"))
        #expect(throws: (any Error).self) { try rawExchange(port: server.port, "GET /health/liveliness HTTP/1.1\r\nHost: x\r\n\r\n") }
    }
}

/// `rawExchange` on a thread of its own: the blocking socket calls must not hold one of the few
/// threads Swift concurrency runs every other test on.
func rawExchangeOffPool(port: Int, _ text: String) async throws -> String {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try rawExchange(port: port, text) }) }.start()
    }
}

struct SocketError: Error { let what: String }

/// A blocking loopback socket connected to `port`, reads timing out after 5 s.
func connectedSocket(port: Int) throws -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw SocketError(what: "socket") }
    var timeout = timeval(tv_sec: 5, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else {
        close(fd)
        throw SocketError(what: "connect")
    }
    return fd
}

/// On one keep-alive connection: a health check, then one more after each of `gaps` seconds of
/// silence; then waits until the server closes the connection. Returns the answers that came
/// back (each whole) and how long after the last one the server closed (nil: not within 5 s).
func keepAliveSession(port: Int, gaps: [Double]) throws -> (answers: Int, closedAfter: Double?) {
    let fd = try connectedSocket(port: port)
    defer { close(fd) }
    let request = Array("GET /health/liveliness HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
    var answers = 0
    var buffer = [UInt8](repeating: 0, count: 4096)
    for gap in [0] + gaps {
        usleep(UInt32(gap * 1_000_000))
        guard send(fd, request, request.count, Int32(MSG_NOSIGNAL)) == request.count else { return (answers, 0) }
        // The health answer is small: one read holds it, unless the connection was closed.
        let count = recv(fd, &buffer, buffer.count, 0)
        guard count > 0, String(decoding: buffer[0..<count], as: UTF8.self).hasPrefix("HTTP/1.1 200") else { return (answers, 0) }
        answers += 1
    }
    let lastAnswer = ContinuousClock.now
    let count = recv(fd, &buffer, buffer.count, 0)
    guard count == 0 else { return (answers, nil) }
    let elapsed = ContinuousClock.now - lastAnswer
    return (answers, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
}

/// Sends `text` on a new blocking socket and reads until the server closes it.
func rawExchange(port: Int, _ text: String) throws -> String {
    let fd = try connectedSocket(port: port)
    defer { close(fd) }
    let bytes = Array(text.utf8)
    guard send(fd, bytes, bytes.count, 0) == bytes.count else { throw SocketError(what: "send") }
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = recv(fd, &buffer, buffer.count, 0)
        if count <= 0 { break }
        received.append(contentsOf: buffer[0..<count])
    }
    return String(decoding: received, as: UTF8.self)
}
