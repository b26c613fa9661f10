import Foundation
import Synchronization
@testable import Switchyard
import SwitchyardMock
import Testing

/// The one timer that enforces every stream's timeout.
@Suite("StallWatch")
struct StallWatchTests {
    @Test("the system clock's seconds never go back and advance with time")
    func systemClock() async throws {
        let clock = SystemRouterClock()
        var last = clock.now()
        #expect(last >= 0)
        for _ in 0..<1000 {
            let reading = clock.now()
            #expect(reading >= last)
            last = reading
        }
        let before = clock.now()
        try await Task.sleep(for: .milliseconds(60))
        let slept = clock.now() - before
        #expect(slept >= 0.055 && slept < 5, "\(slept) s")
    }

    @Test("a stalled entry is reported once, with whether a byte ever came; a lively one is not")
    func reportsStalls() async throws {
        let watch = StallWatch(clock: SystemRouterClock(), tick: 0.02)
        let clock = SystemRouterClock()
        let reports = Reports()
        let silent = StallWatch.Entry(now: clock.now(), limit: 0.1) { reports.add("silent", $0) }
        // Touched every 20 ms, and a limit it cannot reach during the test.
        let lively = StallWatch.Entry(now: clock.now(), limit: 30) { reports.add("lively", $0) }
        let wentQuiet = StallWatch.Entry(now: clock.now(), limit: 0.1) { reports.add("quiet", $0) }
        for entry in [silent, lively, wentQuiet] { watch.add(entry) }
        wentQuiet.touch(clock.now())
        // Wait for the two stalls (a busy test machine may delay the watch's task).
        let until = clock.now() + 10
        while reports.all.count < 2 && clock.now() < until {
            lively.touch(clock.now())
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(reports.all.sorted { $0.0 < $1.0 }.map { "\($0.0):\($0.1)" } == ["quiet:false", "silent:true"])
        #expect(watch.watching == 1)
        watch.remove(lively)
        #expect(watch.watching == 0)
    }

    @Test("streams that end leave nothing behind in the router's watch")
    func streamsUnwatchedAtEnd() async throws {
        try await withMockUpstream { server in
            let router = try Router(modelList: [httpDeployment("g", "d", server, streamTimeout: 5)], numRetries: 0, environment: [:])
            for _ in 0..<3 {
                let stream = try await router.streamCompletion(model: "g", messages: [.user("a b c")])
                _ = await stream.drain()
            }
            // The reader's task removes its entry as it ends.
            var waited = 0
            while router.stallWatch.watching > 0 && waited < 100 {
                try await Task.sleep(for: .milliseconds(10))
                waited += 1
            }
            #expect(router.stallWatch.watching == 0)
        }
    }
}

private final class Reports: Sendable {
    private let list = Mutex<[(String, Bool)]>([])
    func add(_ name: String, _ firstByte: Bool) { list.withLock { $0.append((name, firstByte)) } }
    var all: [(String, Bool)] { list.withLock { $0 } }
}
