import NIOCore

/// A connection's bytes between reads: what a parser left unparsed (part of a head, or of a
/// chunk-size line) is kept and the next read appended to it.
package struct HTTP1ReadBuffer: Sendable {
    private var unread: ByteBuffer?

    package init() {}

    /// The bytes to parse now: what was left over, then `bytes`.
    package mutating func take(_ bytes: ByteBuffer) -> ByteBuffer {
        guard var held = unread else { return bytes }
        unread = nil  // its only reference while it grows, so appending does not copy it
        var more = bytes
        held.writeBuffer(&more)
        return held
    }

    /// Keeps what the parser did not consume for the next read.
    package mutating func keep(_ rest: ByteBuffer) {
        guard rest.readableBytes > 0 else { return }
        var rest = rest
        rest.discardReadBytes()
        unread = rest
    }

    package mutating func clear() { unread = nil }
}
