import SwitchyardCore
import SwitchyardProviders

/// Sends an `UpstreamRequest` and hands back the answer as values and byte chunks. No type of
/// an HTTP library crosses this protocol, so the router runs unchanged on whichever client
/// (`PooledHTTPTransport`, the in-process mock, a test double) carries the bytes.
public protocol Transport: Sendable {
    /// Sends `request` and returns once the response head has arrived; the body streams.
    /// `deadline` (seconds from now) bounds the whole exchange, body included; the router
    /// enforces tighter limits (first byte, gaps between chunks) itself.
    func execute(_ request: UpstreamRequest, deadline: Double) async throws(TransportError) -> TransportResponse
}

/// A response head and its streaming body.
public struct TransportResponse: Sendable {
    public var status: Int
    public var headers: HeaderFields
    public var body: ByteStream

    public init(status: Int, headers: HeaderFields, body: ByteStream) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Why a transport could not complete an exchange.
public enum TransportError: Error, Sendable, Hashable {
    /// No connection could be made (refused, DNS, TLS handshake, connect timeout).
    case connectFailed(String)
    /// The exchange went past its deadline.
    case timedOut
    /// The connection broke after it was made (reset, closed mid-body).
    case connectionClosed(String)
    /// The body was larger than the limit.
    case responseTooLarge(limit: Int)
    /// The URL cannot be used.
    case invalidRequest(String)
    /// The caller's task was cancelled.
    case cancelled
    /// Credentials could not be turned into what the upstream wants (a service account token).
    case unauthorized(String)
}

extension UpstreamFailure {
    /// The routing view of a transport error (the one place this mapping lives).
    init(_ error: TransportError, provider: String, apiBase: String) {
        switch error {
        case .connectFailed(let detail):
            self.init(.connection, message: "Could not connect to \(provider) at \(apiBase): \(detail)", provider: provider)
        case .timedOut:
            self.init(.timeout, status: 408, message: "\(provider) at \(apiBase) did not answer in time", provider: provider)
        case .connectionClosed(let detail):
            self.init(.connection, message: "The connection to \(provider) at \(apiBase) broke: \(detail)", provider: provider)
        case .responseTooLarge(let limit):
            self.init(.server, status: 502, message: "\(provider) answered with more than \(limit) bytes", provider: provider)
        case .invalidRequest(let detail):
            self.init(.badRequest, message: "Cannot call \(provider) at \(apiBase): \(detail)", provider: provider)
        case .cancelled:
            self.init(.connection, message: "cancelled", provider: provider)
        case .unauthorized(let detail):
            self.init(.authentication, status: 401, message: "Cannot authenticate to \(provider): \(detail)", provider: provider)
        }
    }
}

/// A body as an asynchronous sequence of byte chunks, whatever produced it.
public struct ByteStream: AsyncSequence, Sendable {
    public typealias Element = [UInt8]
    private let makeIterator: @Sendable () -> AsyncIterator
    /// The whole body, when it was complete before anyone read it.
    let whole: [UInt8]?

    /// Wraps any sequence of chunks; `transform` turns its elements into bytes and `mapError`
    /// its errors into `TransportError`.
    public init<Base: AsyncSequence & Sendable>(
        _ base: Base, transform: @escaping @Sendable (Base.Element) -> [UInt8],
        mapError: @escaping @Sendable (any Error) -> TransportError
    ) {
        whole = nil
        makeIterator = {
            var iterator = base.makeAsyncIterator()
            return AsyncIterator { () async throws(TransportError) -> [UInt8]? in
                do {
                    return try await iterator.next(isolation: #isolation).map(transform)
                } catch {
                    throw mapError(error)
                }
            }
        }
    }

    /// A body from a closure that returns the next chunk, or nil at the end.
    public init(next: @escaping @Sendable () async throws(TransportError) -> [UInt8]?) {
        whole = nil
        makeIterator = { AsyncIterator { () async throws(TransportError) -> [UInt8]? in try await next() } }
    }

    /// A body already complete: one chunk (none when empty), and `collect` hands it over as it is.
    public init(whole bytes: [UInt8]) {
        whole = bytes
        makeIterator = {
            var rest: [UInt8]? = bytes.isEmpty ? nil : bytes
            return AsyncIterator { () async throws(TransportError) -> [UInt8]? in rest.take() }
        }
    }

    public static let empty = ByteStream(next: { nil })

    public func makeAsyncIterator() -> AsyncIterator { makeIterator() }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let nextChunk: () async throws(TransportError) -> [UInt8]?
        public mutating func next() async throws(TransportError) -> [UInt8]? { try await nextChunk() }
    }

    /// The whole body, failing with `.responseTooLarge` past `limit` bytes.
    public func collect(upTo limit: Int) async throws(TransportError) -> [UInt8] {
        if let whole {
            guard whole.count <= limit else { throw .responseTooLarge(limit: limit) }
            return whole
        }
        var bytes: [UInt8] = []
        var iterator = makeAsyncIterator()
        while let chunk = try await iterator.next() {
            guard bytes.count + chunk.count <= limit else { throw .responseTooLarge(limit: limit) }
            if bytes.isEmpty {
                bytes = chunk  // the usual whole answer, one chunk: kept, not copied
            } else {
                bytes.append(contentsOf: chunk)
            }
        }
        return bytes
    }
}
