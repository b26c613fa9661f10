import SwitchyardCore
import SwitchyardProviders

/// An HTTP request as the gateway sees it, whatever server received it.
public struct GatewayRequest: Sendable {
    public var method: String
    /// The path without the query string.
    public var path: String
    public var query: [String: String]
    public var headers: HeaderFields
    public var body: [UInt8]

    public init(method: String, path: String, query: [String: String] = [:], headers: HeaderFields = [:], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// Splits `/path?a=1&b=2`.
    public static func split(uri: String) -> (path: String, query: [String: String]) {
        // Searched as UTF-8: a search by Character walks grapheme boundaries, on every request.
        guard let mark = uri.utf8.firstIndex(of: UInt8(ascii: "?")) else { return (uri, [:]) }
        var query: [String: String] = [:]
        for pair in uri[uri.index(after: mark)...].split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            query[parts[0]] = parts.count > 1 ? parts[1].removingPercentEncodingLoosely : ""
        }
        return (String(uri[..<mark]), query)
    }
}

/// Writes the chunks of a streamed response.
public protocol ResponseChunkWriter {
    /// Writes and sends at once.
    mutating func write(_ bytes: [UInt8]) async throws
    /// Writes; with `flush: false` the bytes may wait for the next write that flushes, or for
    /// the end of the response, so that both go out together.
    mutating func write(_ bytes: [UInt8], flush: Bool) async throws
}

extension ResponseChunkWriter {
    public mutating func write(_ bytes: [UInt8], flush: Bool) async throws { try await write(bytes) }
}

/// An HTTP response as the gateway produces it.
public struct GatewayResponse: Sendable {
    public enum Body: Sendable {
        case bytes([UInt8])
        /// A streamed body: the server calls it with a writer for the connection.
        case stream(@Sendable (inout any ResponseChunkWriter) async throws -> Void)
    }

    public var status: Int
    public var headers: HeaderFields
    public var body: Body

    public init(status: Int, headers: HeaderFields = [:], body: Body = .bytes([])) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    static func json(_ status: Int, _ bytes: [UInt8], headers: consuming HeaderFields = [:]) -> GatewayResponse {
        headers.replace("Content-Type", "application/json")
        return GatewayResponse(status: status, headers: headers, body: .bytes(bytes))
    }

    static func json<T: Encodable>(_ status: Int, encoding value: T, headers: HeaderFields = [:]) -> GatewayResponse {
        json(status, (try? JSONCoding.encode(value)) ?? Array("{}".utf8), headers: headers)
    }
}

extension String {
    var removingPercentEncodingLoosely: String {
        var bytes: [UInt8] = []
        var iterator = Array(utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
