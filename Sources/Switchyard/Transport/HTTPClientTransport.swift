import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix
import SwitchyardProviders

/// The `Transport` on AsyncHTTPClient: one shared client for the process, pooled keep-alive
/// connections per host, HTTP/2 where a TLS upstream offers it, bodies streamed.
public struct HTTPClientTransport: Transport {
    let client: HTTPClient

    /// The process-wide client. Created once and never shut down, so no router has to own it.
    public static let sharedClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .seconds(10)
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 16_384)
        // A refused connection fails the attempt at once, so the router can fail over; the
        // client's default is to keep retrying for the whole connect timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.httpVersion = .automatic
        configuration.decompression = .disabled
        configuration.redirectConfiguration = .disallow
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    public init(client: HTTPClient = HTTPClientTransport.sharedClient) {
        self.client = client
    }

    public func execute(_ request: UpstreamRequest, deadline: Double) async throws(TransportError) -> TransportResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for field in request.headers { outgoing.headers.add(name: field.name, value: field.value) }
        if !request.body.isEmpty || request.method == "POST" {
            outgoing.body = .bytes(ByteBuffer(bytes: request.body))
        }
        let nanoseconds = Int64(min(max(deadline.isFinite ? deadline : 86_400, 0.001), 86_400 * 365) * 1_000_000_000)
        let response: HTTPClientResponse
        do {
            response = try await client.execute(outgoing, timeout: .nanoseconds(nanoseconds))
        } catch {
            throw Self.map(error)
        }
        var headers = HeaderFields()
        for (name, value) in response.headers { headers.add(name, value) }
        let body = ByteStream(response.body, transform: { buffer in Array(buffer.readableBytesView) }, mapError: Self.map)
        return TransportResponse(status: Int(response.status.code), headers: headers, body: body)
    }

    /// AsyncHTTPClient's and NIO's errors as `TransportError`s.
    static func map(_ error: any Error) -> TransportError {
        if error is CancellationError { return .cancelled }
        if let clientError = error as? HTTPClientError {
            switch clientError {
            case .deadlineExceeded, .readTimeout, .writeTimeout: return .timedOut
            case .connectTimeout: return .connectFailed("connect timeout")
            case .cancelled: return .cancelled
            case .invalidURL, .emptyHost, .emptyScheme: return .invalidRequest("\(clientError)")
            case .remoteConnectionClosed: return .connectionClosed("remote closed the connection")
            default: return .connectionClosed("\(clientError)")
            }
        }
        if error is NIOConnectionError || error is IOError || error is ChannelError {
            return .connectFailed("\(error)")
        }
        let text = String(describing: error)
        if text.lowercased().contains("connect") { return .connectFailed(text) }
        return .connectionClosed(text)
    }
}
