import Foundation
import SwitchyardCore
import SwitchyardProviders

/// Answers `mock://` URLs in process with `MockResponder`, playing out its delays, stream pacing
/// and broken connections: the `mock/` provider works with no network at all.
struct InProcessMockTransport: Transport {
    let responder: MockResponder
    let clock: any RouterClock

    func execute(_ request: UpstreamRequest, deadline: Double) async throws(TransportError) -> TransportResponse {
        let path = Self.path(of: request.url)
        let reply = responder.respond(method: request.method, path: path, headers: request.headers, body: request.body, now: clock.wallTime())
        switch reply {
        case .hang:
            try await sleep(deadline)
            throw .timedOut
        case .answer(let status, let headers, let body, let delay, let truncateAt):
            try await sleep(min(delay, deadline))
            if delay > deadline { throw .timedOut }
            guard let truncateAt else {
                return TransportResponse(status: status, headers: headers, body: Self.chunks([body], interval: 0, complete: true, clock: clock))
            }
            return TransportResponse(status: status, headers: headers, body: Self.chunks([Array(body.prefix(truncateAt))], interval: 0, complete: false, clock: clock))
        case .stream(let headers, let events, let delay, let interval, let complete):
            try await sleep(min(delay, deadline))
            if delay > deadline { throw .timedOut }
            return TransportResponse(status: 200, headers: headers, body: Self.chunks(events, interval: interval, complete: complete, clock: clock))
        }
    }

    private func sleep(_ seconds: Double) async throws(TransportError) {
        do {
            try await clock.sleep(seconds)
        } catch {
            throw .cancelled
        }
    }

    /// The path of a `mock://host/path` URL.
    static func path(of url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return "/" }
        return String(rest[slash...])
    }

    /// A body that yields `pieces` one by one, `interval` apart, then ends (or breaks).
    static func chunks(_ pieces: [[UInt8]], interval: Double, complete: Bool, clock: any RouterClock) -> ByteStream {
        let cursor = Cursor(pieces)
        return ByteStream { () async throws(TransportError) -> [UInt8]? in
            guard let (piece, isFirst) = cursor.next() else {
                if complete { return nil }
                throw .connectionClosed("the mock upstream broke the connection (die_after)")
            }
            if !isFirst && interval > 0 {
                do { try await clock.sleep(interval) } catch { throw .cancelled }
            }
            return piece
        }
    }
}

import Synchronization

/// Hands out the pieces of a body in order; shared by the body's closure.
private final class Cursor: Sendable {
    private let state: Mutex<(pieces: [[UInt8]], index: Int)>
    init(_ pieces: [[UInt8]]) { state = Mutex((pieces, 0)) }
    func next() -> ([UInt8], Bool)? {
        state.withLock { state in
            guard state.index < state.pieces.count else { return nil }
            defer { state.index += 1 }
            return (state.pieces[state.index], state.index == 0)
        }
    }
}

/// Sends `mock://` URLs to the in-process mock and everything else to the network transport.
struct SchemeRoutingTransport: Transport {
    let network: any Transport
    let mock: InProcessMockTransport

    func execute(_ request: UpstreamRequest, deadline: Double) async throws(TransportError) -> TransportResponse {
        if request.url.hasPrefix("mock://") { return try await mock.execute(request, deadline: deadline) }
        return try await network.execute(request, deadline: deadline)
    }
}
