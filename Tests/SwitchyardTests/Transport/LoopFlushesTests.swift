import NIOCore
import NIOEmbedded
@testable import Switchyard
import Testing

/// Flushes put off to the end of the loop's round: the bytes stay in the channel until the
/// loop runs its queued work, then every channel asked for goes out, each once.
@Suite("LoopFlushes")
struct LoopFlushesTests {
    /// Counts the flushes that reach the bottom of its channel's pipeline, and runs `onFlush`
    /// on each.
    final class FlushCounter: ChannelOutboundHandler {
        typealias OutboundIn = ByteBuffer
        var count = 0
        var onFlush: () -> Void = {}

        func flush(context: ChannelHandlerContext) {
            count += 1
            onFlush()
            context.flush()
        }
    }

    func channel(on loop: EmbeddedEventLoop) throws -> (EmbeddedChannel, FlushCounter) {
        let counter = FlushCounter()
        let channel = EmbeddedChannel(handler: counter, loop: loop)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return (channel, counter)
    }

    func written(_ channel: EmbeddedChannel) throws -> String? {
        try channel.readOutbound(as: ByteBuffer.self).map { String(buffer: $0) }
    }

    @Test("a write flushed soon stays in the channel until the loop runs its queue, then goes out")
    func deferred() throws {
        let loop = EmbeddedEventLoop()
        let flushes = LoopFlushes(loop: loop)
        let (channel, counter) = try channel(on: loop)
        channel.write(ByteBuffer(string: "answer"), promise: nil)
        flushes.add(channel)
        #expect(try written(channel) == nil)
        #expect(counter.count == 0)
        loop.run()
        #expect(try written(channel) == "answer")
        #expect(counter.count == 1)
    }

    @Test("the channels of one round go out together, a channel asked for twice in a row once")
    func together() throws {
        let loop = EmbeddedEventLoop()
        let flushes = LoopFlushes(loop: loop)
        let (first, firstCounter) = try channel(on: loop)
        let (second, secondCounter) = try channel(on: loop)
        first.write(ByteBuffer(string: "chunk 1"), promise: nil)
        flushes.add(first)
        first.write(ByteBuffer(string: "chunk 2"), promise: nil)
        flushes.add(first)
        second.write(ByteBuffer(string: "other"), promise: nil)
        flushes.add(second)
        loop.run()
        #expect(try written(first) == "chunk 1")
        #expect(try written(first) == "chunk 2")
        #expect(try written(second) == "other")
        #expect(firstCounter.count == 1)
        #expect(secondCounter.count == 1)
    }

    @Test("a flush asked for while the round's flushes run goes out in the next task")
    func duringFlush() throws {
        let loop = EmbeddedEventLoop()
        let flushes = LoopFlushes(loop: loop)
        let (first, firstCounter) = try channel(on: loop)
        let (second, _) = try channel(on: loop)
        firstCounter.onFlush = {
            second.write(ByteBuffer(string: "answered on the way"), promise: nil)
            flushes.add(second)
            firstCounter.onFlush = {}
        }
        first.write(ByteBuffer(string: "first"), promise: nil)
        flushes.add(first)
        loop.run()
        #expect(try written(first) == "first")
        #expect(try written(second) == "answered on the way")
    }

    @Test("off the singleton loops a flush soon is a flush now")
    func elsewhere() throws {
        let (channel, counter) = try channel(on: EmbeddedEventLoop())
        channel.write(ByteBuffer(string: "now"), promise: nil)
        LoopFlushes.flushSoon(channel)
        #expect(try written(channel) == "now")
        #expect(counter.count == 1)
    }
}
