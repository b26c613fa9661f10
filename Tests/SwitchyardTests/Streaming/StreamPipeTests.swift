@testable import Switchyard
import Synchronization
import Testing

@Suite("StreamPipe")
struct StreamPipeTests {
    @Test("delivers in order, then the queued rest after finish, then nil")
    func order() async {
        let pipe = StreamPipe<Int>(limit: 100)
        for i in 0..<10 { await pipe.send(i) }
        pipe.finish()
        var got: [Int] = []
        while let i = await pipe.next() { got.append(i) }
        #expect(got == Array(0..<10))
        #expect(await pipe.send(11) == false)
    }

    @Test("the producer waits at the limit until the consumer takes one")
    func bounded() async throws {
        let pipe = StreamPipe<Int>(limit: 3)
        let sent = Mutex(0)
        let producer = Task {
            for i in 0..<10 {
                await pipe.send(i)
                sent.withLock { $0 = i + 1 }
            }
            pipe.finish()
        }
        try await Task.sleep(for: .milliseconds(100))
        // Two sent; the third filled the pipe (3 queued) and waits for the consumer.
        #expect(sent.withLock { $0 } == 2)
        #expect(await pipe.next() == 0)
        try await Task.sleep(for: .milliseconds(100))
        #expect(sent.withLock { $0 } == 3)
        var rest: [Int] = []
        while let i = await pipe.next() { rest.append(i) }
        #expect(rest == Array(1..<10))
        await producer.value
    }

    @Test("cancelling the waiting consumer terminates: the producer is released and told")
    func cancelConsumer() async throws {
        let pipe = StreamPipe<Int>(limit: 1)
        let terminated = Mutex(false)
        pipe.onTermination { terminated.withLock { $0 = true } }
        let consumer = Task { await pipe.next() }
        try await Task.sleep(for: .milliseconds(50))
        consumer.cancel()
        #expect(await consumer.value == nil)
        #expect(terminated.withLock { $0 })
        #expect(await pipe.send(1) == false)
    }

    @Test("dropping the last lifetime terminates a pipe whose producer waits")
    func lifetime() async throws {
        let pipe = StreamPipe<Int>(limit: 1)
        var lifetime: StreamPipe<Int>.Lifetime? = .init(pipe)
        let producer = Task { (await pipe.send(1), await pipe.send(2)) }
        try await Task.sleep(for: .milliseconds(50))
        _ = lifetime
        lifetime = nil
        // The producer waiting on its full pipe is released, and told the consumer has gone.
        let (first, second) = await producer.value
        #expect(!first && !second)
    }

    @Test("sendNow goes past the limit and reaches a waiting consumer")
    func sendNow() async throws {
        let pipe = StreamPipe<Int>(limit: 1)
        let consumer = Task { await pipe.next() }
        try await Task.sleep(for: .milliseconds(30))
        pipe.sendNow(7)
        #expect(await consumer.value == 7)
        pipe.sendNow(1)
        pipe.sendNow(2)  // past the limit of 1
        pipe.finish()
        #expect(await pipe.next() == 1)
        #expect(await pipe.next() == 2)
        #expect(await pipe.next() == nil)
    }
}
