import NIOCore
import NIOPosix
import Switchyard
import Testing

/// A task that prefers a loop's `EventLoopTaskExecutor` runs on that loop's thread from start to
/// end, across awaits resumed from other threads: what lets a request's task, its upstream call
/// and its stream reader share the connection's thread.
@Suite("EventLoopTaskExecutor")
struct EventLoopTaskExecutorTests {
    /// A group of its own, not the singleton: its loop stands for "another thread".
    static let other: any EventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// Suspends until another thread (a loop of a different group) resumes it.
    func resumedElsewhere(_ other: any EventLoop) async -> Bool {
        await withCheckedContinuation { continuation in
            other.execute { continuation.resume(returning: other.inEventLoop) }
        }
    }

    /// Nonisolated async work that does not suspend.
    func onLoopNow(_ loop: any EventLoop) async -> Bool { loop.inEventLoop }

    @Test("there is one executor per singleton loop, and none off the loops")
    func lookup() async throws {
        #expect(EventLoopTaskExecutor.forCurrentLoop() == nil)
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let found = try await loop.submit { EventLoopTaskExecutor.forCurrentLoop() }.get()
        #expect(found?.loop === loop)
        #expect(EventLoopTaskExecutor.of(loop) === found)
        #expect(EventLoopTaskExecutor.of(Self.other.next()) == nil)
    }

    @Test("a task that prefers a loop's executor runs on that loop, before and after awaits resumed elsewhere")
    func staysOnLoop() async throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let executor = try #require(EventLoopTaskExecutor.of(loop))
        let other = Self.other
        let places = await Task(executorPreference: executor) { () -> [Bool] in
            var places = [loop.inEventLoop]
            places.append(await onLoopNow(loop))
            let resumerWasElsewhere = await resumedElsewhere(other.next())
            places.append(resumerWasElsewhere && loop.inEventLoop)
            places.append(await onLoopNow(loop))
            return places
        }.value
        #expect(places == [true, true, true, true])
    }

    @Test("a task started from the loop's thread with forCurrentLoop() runs there too")
    func startedFromLoop() async throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let task = try await loop.submit {
            Task(executorPreference: EventLoopTaskExecutor.forCurrentLoop()) { () -> Bool in
                try? await Task.sleep(for: .milliseconds(5))
                return loop.inEventLoop
            }
        }.get()
        #expect(await task.value)
    }
}
