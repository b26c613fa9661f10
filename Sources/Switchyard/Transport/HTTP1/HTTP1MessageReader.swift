import NIOCore

/// The steps of HTTP/1.1 messages one after another on a connection: a complete head's bytes
/// (which the caller parses, then says how the body is framed), the body's bytes, its end. What
/// a request parser and a response parser share; each reads its own start line and framing rules.
package struct HTTP1MessageReader: Sendable {
    package enum Step: Sendable {
        /// A complete head, start line through blank line; `startBody` must follow.
        case head(ByteBuffer)
        case body(ByteBuffer)
        case end
    }

    /// The body being read; nil between messages.
    private var body: HTTP1BodyReader?
    /// Bytes of the current head already searched for its end.
    private var headScanned = 0

    package init() {}

    /// The next step from `buffer` (whose read bytes are consumed), or nil when more bytes are needed.
    package mutating func next(_ buffer: inout ByteBuffer) throws(HTTP1ParseError) -> Step? {
        if var reader = body {
            let event = try reader.next(&buffer)
            body = reader.isDone ? nil : reader
            switch event {
            case .bytes(let bytes)?: return .body(bytes)
            case .end?: return .end
            case nil: return nil
            }
        }
        guard let end = try HTTP1Head.end(in: &buffer, scanned: &headScanned), let head = buffer.readSlice(length: end) else { return nil }
        return .head(head)
    }

    /// The body of the message whose head was just returned is framed so.
    package mutating func startBody(_ framing: HTTP1BodyReader.Framing) { body = HTTP1BodyReader(framing) }

    /// The connection closed: true when that ends a body that runs until the close; false
    /// between messages; an error in the middle of a head or of a framed body.
    package mutating func closed() throws(HTTP1ParseError) -> Bool {
        guard var reader = body else {
            guard headScanned == 0 else { throw HTTP1ParseError("the connection closed in the middle of a head") }
            return false
        }
        body = nil
        return try reader.closed() != nil
    }
}
