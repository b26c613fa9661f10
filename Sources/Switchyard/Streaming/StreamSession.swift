import Synchronization
import SwitchyardCore
import SwitchyardProviders

/// What a stream's reader task reports.
enum StreamEvent: Sendable {
    case chunks([ChatChunk])
    case failure(UpstreamFailure)
}

/// One streamed upstream call, read by a task of its own: it sends the request, turns the body
/// into chunks with the adapter's decoder, and enforces the stream timeout twice: until the
/// first byte, and between chunks. The events arrive on `events`; dropping or cancelling the
/// consumer cancels the reader, which cancels the upstream request.
struct StreamSession: Sendable {
    let events: AsyncStream<StreamEvent>

    static func start(
        _ request: UpstreamRequest, deployment: RoutedDeployment, transport: any Transport, timeout: Double,
        deadline: Double, clock: any RouterClock
    ) -> StreamSession {
        let (events, continuation) = AsyncStream<StreamEvent>.makeStream()
        let task = Task {
            let activity = Activity(clock.now())
            let provider = deployment.provider
            do {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        try await read(request, provider: provider, transport: transport, deadline: deadline, activity: activity, clock: clock, into: continuation)
                    }
                    group.addTask {
                        try await watch(activity, limit: timeout, clock: clock)
                    }
                    defer { group.cancelAll() }
                    try await group.next()
                }
            } catch let failure as UpstreamFailure {
                continuation.yield(.failure(failure))
            } catch StreamTimeout.stalled(let firstByte) {
                let what = firstByte ? "sent no first byte" : "stalled between chunks"
                continuation.yield(.failure(UpstreamFailure(
                    .timeout, status: 408,
                    message: "Deployment \(deployment.id.prefix(12)) (\(deployment.deployment.params.model)) \(what) for more than \(Router.seconds(timeout)) s (stream_timeout)",
                    provider: provider.target.provider)))
            } catch let error as TransportError where error != .cancelled {
                continuation.yield(.failure(UpstreamFailure(error, provider: provider.target.provider, apiBase: provider.target.apiBase)))
            } catch {
                if !Task.isCancelled {
                    continuation.yield(.failure(UpstreamFailure(.connection, message: "\(error)", provider: provider.target.provider)))
                }
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return StreamSession(events: events)
    }

    private static func read(
        _ request: UpstreamRequest, provider: ResolvedProvider, transport: any Transport, deadline: Double,
        activity: Activity, clock: any RouterClock, into continuation: AsyncStream<StreamEvent>.Continuation
    ) async throws {
        let response = try await transport.execute(request, deadline: deadline)
        guard (200..<300).contains(response.status) else {
            let body = (try? await response.body.collect(upTo: 1 << 20)) ?? []
            throw provider.adapter.failure(
                UpstreamAnswer(status: response.status, headers: response.headers, body: body, receivedAt: clock.wallTime()),
                target: provider.target)
        }
        continuation.yield(.chunks([]))  // the head: lets the consumer see the status before any chunk
        var decoder = provider.adapter.chatStreamDecoder(target: provider.target)
        for try await bytes in response.body {
            activity.touch(clock.now())
            let chunks = try decoder.decode(bytes)
            if !chunks.isEmpty { continuation.yield(.chunks(chunks)) }
            if decoder.isComplete { return }
        }
        let tail = try decoder.finish()
        if !tail.isEmpty { continuation.yield(.chunks(tail)) }
    }

    /// Throws once no byte has arrived for `limit` seconds.
    private static func watch(_ activity: Activity, limit: Double, clock: any RouterClock) async throws {
        while true {
            let (last, sawByte) = activity.snapshot
            let remaining = last + limit - clock.now()
            if remaining <= 0 { throw StreamTimeout.stalled(firstByte: !sawByte) }
            try await clock.sleep(remaining)
        }
    }
}

enum StreamTimeout: Error {
    case stalled(firstByte: Bool)
}

/// When the stream last showed life.
final class Activity: Sendable {
    private let state: Mutex<(last: Double, sawByte: Bool)>
    init(_ now: Double) { state = Mutex((now, false)) }
    func touch(_ now: Double) { state.withLock { $0 = (now, true) } }
    var snapshot: (Double, Bool) { state.withLock { ($0.last, $0.sawByte) } }
}
