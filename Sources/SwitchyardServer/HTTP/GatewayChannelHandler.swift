import NIOCore
import NIOHTTP1
import Switchyard

/// One client connection: reads each request (`HTTP1RequestParser`), answers it through the
/// gateway in a task of its own, and writes the answer back, streamed bodies included. A client that goes away
/// cancels its request, which cancels the upstream call. Requests on one connection are
/// answered in order: one that arrives while another is answered (HTTP pipelining) waits in
/// line, and past `maxQueued` the connection stops reading. (This is NIO's pipelining
/// assistance, done here because that handler stops and restarts reading around every request,
/// two `epoll_ctl` calls each.) On a drain (quiescing) an idle connection closes at once, a busy
/// one after its last answer. Confined to the channel's event loop.
///
/// What is refused before the gateway sees it, each in OpenAI's error format: a body over the
/// limit gets 413 as soon as that is known (from `Content-Length`, or when the bytes pass the
/// limit), without reading the rest, and the connection closes once the client is done sending
/// (or after `lingerSeconds`); a request that is not HTTP, or whose body's framing is ambiguous,
/// gets 400 (431 for oversized headers), and the connection closes;
/// a request that stops arriving for the idle timeout gets 408.
///
/// Idle connections: nothing read and no answer finished for `idleTimeout` closes a connection
/// between requests. One timer per connection checks the time of the last activity when it
/// fires (and sets itself for what is left), instead of NIO's `IdleStateHandler`, which tracks
/// every write's completion with a promise of its own.
final class GatewayChannelHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// How long a connection that was refused a too-large body waits for the client to finish
    /// sending before it closes (closing at once can reset the connection before the client
    /// reads the 413).
    static let lingerSeconds: Int64 = 2

    private let gateway: Gateway
    private let idleTimeout: TimeAmount
    private var lastActivity = NIODeadline.now()
    private var idleTimer: Scheduled<Void>?
    private var parser = HTTP1RequestParser()
    private var unread = HTTP1ReadBuffer()
    /// The bytes could not be read as HTTP: nothing more is read from this connection.
    private var unreadable = false
    private var head: RequestHead?
    private var body = ByteBuffer()
    private var limit = 0
    /// The request was refused (413 written); its remaining body is discarded.
    private var refused = false
    private var inFlight: Task<Void, Never>?
    /// `respond` is starting an answer's task, which may run to its end before `respond` returns.
    private var starting = false
    /// That task ended while `respond` was still starting it.
    private var endedWhileStarting = false
    /// Complete requests that arrived while another was being answered.
    private var queued: [(head: RequestHead, request: GatewayRequest)] = []
    private var readingStopped = false
    private var quiescing = false
    private var context: ChannelHandlerContext?
    /// Pipelined requests held before the connection stops reading.
    static let maxQueued = 16

    init(gateway: Gateway, idleTimeout: TimeAmount) {
        self.gateway = gateway
        self.idleTimeout = idleTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        idleTimer?.cancel()
        idleTimer = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        lastActivity = .now()
        armIdleTimer(in: idleTimeout, context: context)
        context.fireChannelActive()
    }

    private func armIdleTimer(in delay: TimeAmount, context: ChannelHandlerContext) {
        idleTimer = context.eventLoop.assumeIsolated().scheduleTask(in: delay) { self.idleTimerFired() }
    }

    /// Idle for the whole timeout: act; else wait for what is left. A connection answering a
    /// request is never idle (a slow upstream is the router's timeouts' business).
    private func idleTimerFired() {
        idleTimer = nil
        guard let context, context.channel.isActive else { return }
        let idleFor = NIODeadline.now() - lastActivity
        if inFlight != nil {
            armIdleTimer(in: idleTimeout, context: context)
        } else if idleFor < idleTimeout {
            armIdleTimer(in: idleTimeout - idleFor, context: context)
        } else {
            idleTimeoutElapsed(context: context)
        }
    }

    /// Nothing moved for the idle timeout: a connection between requests closes, and one whose
    /// request stopped arriving midway is told so first.
    private func idleTimeoutElapsed(context: ChannelHandlerContext) {
        if let head, !refused {
            self.head = nil
            ChannelResponseWriter(channel: context.channel, version: head.version, keepAlive: false)
                .writeWhole(ErrorResponses.openAI(GatewayError(.deadlineExceeded, "The request did not arrive in full within the idle timeout.")))
        } else {
            Self.close(context)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        lastActivity = .now()
        guard !unreadable else { return }
        var bytes = unread.take(unwrapInboundIn(data))
        do {
            while let part = try parser.next(&bytes) {
                received(part, context: context)
                if unreadable { return }
            }
        } catch {
            unreadable = true
            unread.clear()
            refuseUnreadable(error, context: context)
            return
        }
        unread.keep(bytes)
    }

    private func received(_ part: RequestPart, context: ChannelHandlerContext) {
        switch part {
        case .head(let head):
            self.head = head
            limit = gateway.maxRequestBytes
            body.clear()
            refused = false
            let declared = head.contentLength ?? 0
            if declared > limit {
                refuseTooLarge(head, context: context)
            } else {
                if declared > 0 { body.reserveCapacity(declared) }
                if Self.expectsContinue(head) {
                    // The client waits for this before it sends the body (curl: a second, then
                    // it sends anyway); a body over the limit got its 413 instead, above.
                    context.writeAndFlush(NIOAny(ByteBuffer(staticString: "HTTP/1.1 100 Continue\r\n\r\n")), promise: nil)
                }
            }
        case .body(var part):
            guard !refused, let head else { return }
            if body.readableBytes + part.readableBytes > limit {
                body.clear()
                refuseTooLarge(head, context: context)
            } else {
                body.writeBuffer(&part)
            }
        case .end:
            guard let head = self.head.take() else { return }  // moved out, not copied
            if refused {
                Self.close(context)  // the client is done sending; the 413 is on its way
                return
            }
            let request = gatewayRequest(head)
            if inFlight == nil {
                respond(to: head, request, context: context)
            } else {
                queued.append((head, request))
                if queued.count >= Self.maxQueued && !readingStopped {
                    readingStopped = true
                    context.channel.setOption(ChannelOptions.autoRead, value: false).whenFailure { _ in }
                }
            }
        }
    }

    /// An HTTP/1.1 request with `Expect: 100-continue`.
    static func expectsContinue(_ head: RequestHead) -> Bool {
        guard head.minor >= 1, let expect = head.headers["expect"] else { return false }
        return HeaderFields.sameName(expect, "100-continue")
    }

    /// Answers 413 now and discards the rest of the body.
    private func refuseTooLarge(_ head: RequestHead, context: ChannelHandlerContext) {
        refused = true
        var writer = ChannelResponseWriter(channel: context.channel, version: head.version, keepAlive: false)
        writer.closeAfterAnswer = false
        writer.writeWhole(ErrorResponses.openAI(ErrorResponses.tooLarge(limit: limit)))
        let channel = context.channel
        context.eventLoop.scheduleTask(in: .seconds(Self.lingerSeconds)) { channel.close(promise: nil) }
    }

    private func gatewayRequest(_ head: RequestHead) -> GatewayRequest {
        let (path, query) = GatewayRequest.split(uri: head.uri)
        let request = GatewayRequest(
            method: head.method, path: path, query: query, headers: head.headers,
            body: body.readableBytes == 0 ? [] : Array(body.readableBytesView))
        body.clear()
        return request
    }

    private func respond(to head: RequestHead, _ request: __owned GatewayRequest, context: ChannelHandlerContext) {
        let gateway = self.gateway
        let writer = ChannelResponseWriter(
            channel: context.channel, version: head.version, keepAlive: head.keepAlive && !quiescing, bodyless: head.isHEAD)
        let finished = NIOLoopBound(self, eventLoop: context.eventLoop)
        let loop = context.eventLoop
        starting = true
        if #available(macOS 26.0, *) {
            // Started right here, on this loop, until its first suspension (the upstream call):
            // one trip through the loop's queue less per request.
            inFlight = Task.immediate(executorPreference: EventLoopTaskExecutor.of(loop)) {
                let response = await gateway.handle(request)
                await writer.write(response)
                finished.value.taskEnded()
            }
        } else {
            inFlight = Task(executorPreference: EventLoopTaskExecutor.of(loop)) {
                let response = await gateway.handle(request)
                await writer.write(response)
                finished.value.taskEnded()
            }
        }
        starting = false
        if endedWhileStarting {
            endedWhileStarting = false
            answered()
        }
    }

    /// The answer's task ends on this loop (its executor). Ended inside `respond` (an answer
    /// that never waited), `respond` finishes it once the task is stored, so this handler's
    /// state is never changed under its own feet; ended later, it runs in a job of its own.
    private func taskEnded() {
        if starting {
            endedWhileStarting = true
        } else {
            answered()
        }
    }

    /// The answer in flight is written: the next in line, or the end of a drain.
    private func answered() {
        inFlight = nil
        lastActivity = .now()
        guard let context else { return }
        if !queued.isEmpty {
            let next = queued.removeFirst()
            respond(to: next.head, next.request, context: context)
            if readingStopped && queued.count < Self.maxQueued / 2 {
                readingStopped = false
                context.channel.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in }
            }
        } else if quiescing && head == nil {
            Self.close(context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        unreadable = true
        unread.clear()
        inFlight?.cancel()
        inFlight = nil
        idleTimer?.cancel()
        idleTimer = nil
        queued.removeAll()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            // A drain: close now if idle, else once the answers owed are written.
            quiescing = true
            if inFlight == nil && head == nil && queued.isEmpty { Self.close(context) }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        Self.close(context)
    }

    /// Closes the connection after flushing what was written to it: an answer's flush waits for
    /// the end of the loop's round (`LoopFlushes`), and a close fails the writes not flushed.
    private static func close(_ context: ChannelHandlerContext) {
        context.flush()
        context.close(promise: nil)
    }

    /// Bytes that are not HTTP (or a body whose framing is ambiguous): answered in OpenAI's
    /// format when no answer is under way, and the connection closes.
    private func refuseUnreadable(_ error: HTTP1ParseError, context: ChannelHandlerContext) {
        guard inFlight == nil, head == nil else {
            Self.close(context)
            return
        }
        let (status, message): (Int, String) =
            switch error.kind {
            case .headTooLarge: (431, "Request headers are larger than the gateway accepts.")
            case .malformed: (400, "Malformed HTTP request: \(error.description).")
            }
        var response = ErrorResponses.openAI(GatewayError(.invalidRequest, message))
        response.status = status
        ChannelResponseWriter(channel: context.channel, version: .http1_1, keepAlive: false).writeWhole(response)
    }
}
