import NIOCore
import NIOPosix

/// A `TaskExecutor` (SE-0417) that runs its jobs on one NIO event loop.
///
/// A task that prefers it runs on that loop from start to end, and its awaits cost no hop: a
/// nonisolated async function called on the loop runs right there, and a resumed continuation
/// comes back through one `execute`. Without a preference, a task that NIO's global-executor
/// hook runs on a loop is on the loop's *serial* executor, so every step into a nonisolated
/// async function is a switch to the generic executor, which goes back through the loop's queue
/// (about 30 of them per proxied request before this existed).
///
/// `forCurrentLoop()` gives the executor of the singleton event loop the caller runs on, so
/// code on a channel handler can start its task where the channel lives, and a task can start
/// another (a stream's reader) on the same loop.
public final class EventLoopTaskExecutor: TaskExecutor {
    public let loop: any EventLoop

    private init(loop: any EventLoop) {
        self.loop = loop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        loop.execute { job.runSynchronously(on: executor) }
    }

    /// One executor per loop of NIO's singleton group.
    private static let singletons = SingletonLoops { EventLoopTaskExecutor(loop: $0) }

    /// The executor of the singleton event loop this thread runs, nil on any other thread.
    public static func forCurrentLoop() -> EventLoopTaskExecutor? { singletons.current }

    /// The executor of `loop` when it is one of the singleton group's, else nil.
    public static func of(_ loop: any EventLoop) -> EventLoopTaskExecutor? { singletons[loop] }
}
