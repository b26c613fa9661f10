import NIOCore
import NIOPosix

/// One value per loop of NIO's singleton group (the group `switchyard` and
/// `PooledHTTPTransport.shared` run on), made once, when first asked for.
struct SingletonLoops<Value: Sendable>: Sendable {
    private let values: [ObjectIdentifier: Value]

    init(_ make: (any EventLoop) -> Value) {
        var values: [ObjectIdentifier: Value] = [:]
        for loop in MultiThreadedEventLoopGroup.singleton.makeIterator() {
            values[ObjectIdentifier(loop)] = make(loop)
        }
        self.values = values
    }

    /// `loop`'s value when it is one of the singleton group's, else nil.
    subscript(_ loop: any EventLoop) -> Value? { values[ObjectIdentifier(loop)] }

    /// The value of the singleton loop this thread runs, nil on any other thread.
    var current: Value? {
        guard let loop = MultiThreadedEventLoopGroup.currentEventLoop else { return nil }
        return self[loop]
    }
}
