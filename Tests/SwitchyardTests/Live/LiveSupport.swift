import Foundation
import Switchyard
import SwitchyardCore
import SwitchyardMock
import SwitchyardProviders
import Synchronization

/// A mock upstream on a free loopback port for the duration of `body`.
func withMockUpstream<T>(latency: Double = 0, _ body: (MockUpstreamServer) async throws -> T) async throws -> T {
    let server = try await MockUpstreamServer.start(responder: MockResponder(baseLatency: latency))
    do {
        let result = try await body(server)
        try? await server.shutdown()
        return result
    } catch {
        try? await server.shutdown()
        throw error
    }
}

/// An OpenAI deployment served by the mock upstream, with a fault directive when given.
func httpDeployment(
    _ group: String, _ id: String, _ server: MockUpstreamServer, fault: String? = nil, timeout: Double? = nil,
    streamTimeout: Double? = nil, model: String = "gpt-4o-mini"
) -> Deployment {
    Deployment(
        modelName: group,
        params: .init(
            model: "openai/\(model)", apiKey: "sk-test", apiBase: fault.map { server.baseURL(fault: $0) } ?? server.baseURL,
            timeout: timeout, streamTimeout: streamTimeout),
        modelInfo: .init(id: id))
}

/// A port nothing listens on. Its socket stays bound, never listening, for the rest of the test
/// process: a connection to it is refused, and no server another test starts in parallel can
/// be given the port while a test relies on it being dead.
func deadPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
}

func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
}

extension ChatStream {
    /// Every chunk until the end, and the error the stream ended with, if any.
    func drain() async -> (chunks: [ChatChunk], error: (any Error)?) {
        var chunks: [ChatChunk] = []
        do {
            for try await chunk in self { chunks.append(chunk) }
            return (chunks, nil)
        } catch {
            return (chunks, error)
        }
    }
}

extension [ChatChunk] {
    var text: String { flatMap { $0.choices.compactMap { $0.delta.content } }.joined() }
}

/// A router clock the test moves by hand (`sleep` moves it too), so a cooldown ends exactly when
/// the test says and not when a busy machine gets round to it. Only the router's own timing
/// (cooldowns, backoff, latency) follows it; the HTTP exchanges run in real time.
final class ManualRouterClock: RouterClock {
    private let time = Mutex(1_000.0)

    func now() -> Double { time.withLock { $0 } }
    func wallTime() -> Double { Date().timeIntervalSince1970 }
    func sleep(_ seconds: Double) async throws {
        try Task.checkCancellation()
        advance(by: max(0, seconds))
    }
    func advance(by seconds: Double) { time.withLock { $0 += seconds } }
}
