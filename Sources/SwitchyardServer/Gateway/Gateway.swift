import Foundation
import Logging
import Switchyard
import SwitchyardConfig
import Synchronization

/// The gateway application, independent of the HTTP server that carries it: it takes a
/// `GatewayRequest` and answers a `GatewayResponse`. Holds the live config and router; a reload
/// swaps both at once, and requests in flight finish on the ones they started with.
public final class Gateway: Sendable {
    /// A class: every request takes the current one, and as a struct that copy retained each
    /// of the config's fields.
    final class State: Sendable {
        let config: GatewayConfig
        let router: Router
        let authenticator: Authenticator

        init(config: GatewayConfig, router: Router, authenticator: Authenticator) {
            self.config = config
            self.router = router
            self.authenticator = authenticator
        }
    }

    private let state: Mutex<State>
    let logger: Logger
    let startedAt = Int(Date().timeIntervalSince1970)

    public init(config: GatewayConfig, logger: Logger = Logger(label: "switchyard")) throws {
        self.state = Mutex(try Self.makeState(config))
        self.logger = logger
    }

    static func makeState(_ config: GatewayConfig) throws -> State {
        State(config: config, router: try config.makeRouter(), authenticator: Authenticator(masterKey: config.server.masterKey))
    }

    var current: State { state.withLock { $0 } }

    /// The router serving requests now.
    public var router: Router { current.router }
    public var config: GatewayConfig { current.config }

    /// Largest request body accepted, for the server to enforce before reading.
    public var maxRequestBytes: Int { current.config.server.maxRequestBytes }

    /// Replaces the config and router atomically. Throws (keeping the old ones) if the new
    /// config cannot make a router.
    public func reload(_ config: GatewayConfig) throws {
        let next = try Self.makeState(config)
        state.withLock { $0 = next }
    }

    /// Answers one request. Never throws: every failure becomes an error response.
    public func handle(_ request: GatewayRequest) async -> GatewayResponse {
        let started = ContinuousClock.now
        let requestID = request.headers["x-request-id"].flatMap { $0.isEmpty || $0.utf8.count > 200 ? nil : $0 } ?? RequestID.make()
        var log = RequestLog(requestID: requestID, method: request.method, path: request.path, started: started)
        let state = current
        var response = await dispatch(request, state: state, log: &log)
        ResponseHeaders.addIdentity(requestID, to: &response.headers)
        log.status = response.status
        if case .stream(let write) = response.body {
            // The line is written when the stream ends.
            let logger = self.logger
            let finalLog = log
            response.body = .stream { writer in
                var streamLog = finalLog
                do {
                    try await write(&writer)
                } catch {
                    streamLog.note = "client went away: \(type(of: error))"
                    streamLog.emit(logger)
                    throw error
                }
                streamLog.emit(logger)
            }
        } else {
            log.emit(logger)
        }
        return response
    }

    /// The endpoint's answer. What needs no `await` (matching, refusals, the endpoints that
    /// answer at once) is decided out of line in `admit`: this async function's frame, allocated
    /// per request, holds only what crosses an `await`.
    private func dispatch(_ request: GatewayRequest, state: State, log: inout RequestLog) async -> GatewayResponse {
        switch admit(request, state: state) {
        case .answered(let response):
            return response
        case .health:
            return await HealthEndpoint.probe(router: state.router, config: state.config, group: request.query["model"])
        case .chat(let pathModel):
            return await ChatEndpoint.handle(request, pathModel: pathModel, router: state.router, log: &log)
        case .embeddings(let pathModel):
            return await EmbeddingsEndpoint.handle(request, pathModel: pathModel, router: state.router, log: &log)
        case .messages:
            return await MessagesEndpoint.handle(request, router: state.router, log: &log)
        }
    }

    /// A request answered without awaiting anything, or the endpoint that awaits to answer it.
    private enum Admission {
        case answered(GatewayResponse)
        case health
        case chat(pathModel: String?)
        case embeddings(pathModel: String?)
        case messages
    }

    @inline(never)
    private func admit(_ request: GatewayRequest, state: State) -> Admission {
        var path = request.path
        while path.utf8.count > 1 && path.hasSuffix("/") { path.removeLast() }
        guard let route = GatewayRoute.match(path) else {
            return .answered(ErrorResponses.openAI(ErrorResponses.notFound(request.method, path)))
        }
        guard route.methods.contains(request.method) else {
            var response = ErrorResponses.render(ErrorResponses.methodNotAllowed(request.method, path, allowed: route.methods), route.dialect)
            response.headers.replace("Allow", route.methods.joined(separator: ", "))
            return .answered(response)
        }
        if route.requiresAuth, let failure = state.authenticator.check(request.headers) {
            return .answered(ErrorResponses.render(failure, route.dialect))
        }
        switch route {
        case .liveness:
            return .answered(.json(200, Array(#""I'm alive!""#.utf8)))
        case .readiness:
            return .answered(.json(200, encoding: Readiness(status: "healthy", db: "Not connected", cache: nil, version: switchyardVersion)))
        case .models:
            return .answered(ModelsEndpoint.list(router: state.router, created: startedAt))
        case .model(let id):
            return .answered(ModelsEndpoint.card(id, router: state.router, created: startedAt))
        case .countTokens:
            return .answered(MessagesEndpoint.countTokens(request, router: state.router))
        case .health:
            return .health
        case .chat(let pathModel):
            return .chat(pathModel: pathModel)
        case .embeddings(let pathModel):
            return .embeddings(pathModel: pathModel)
        case .messages:
            return .messages
        }
    }
}

/// The build's version, reported by `--version` and `/health/readiness`.
public let switchyardVersion = "0.1.0"

struct Readiness: Encodable {
    let status: String
    let db: String
    let cache: String?
    let version: String
    enum CodingKeys: String, CodingKey {
        case status, db, cache
        case version = "switchyard_version"
    }
}
