import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import Switchyard
import SwitchyardConfig
import UnixSignals

/// Runs the gateway as an HTTP server until SIGTERM/SIGINT, then drains: it stops accepting,
/// lets requests and streams in flight finish for up to `drainTimeout` seconds, and returns.
/// SIGHUP reloads the config through `reload` (an invalid file keeps the old config).
public struct GatewayServer: Sendable {
    public var host: String
    public var port: Int
    public var drainTimeout: Double
    /// Seconds an idle keep-alive connection stays open.
    public var idleTimeout: Double

    public init(host: String = "0.0.0.0", port: Int = 4000, drainTimeout: Double = 30, idleTimeout: Double = 120) {
        self.host = host
        self.port = port
        self.drainTimeout = drainTimeout
        self.idleTimeout = idleTimeout
    }

    /// Serves until a shutdown signal.
    /// - Parameter reload: called on SIGHUP; returns the new config, or throws to keep the old one.
    public func run(_ gateway: Gateway, logger: Logger, reload: @escaping @Sendable () throws -> GatewayConfig) async throws {
        let server = try await HTTPServer.start(gateway, host: host, port: port, idleTimeout: idleTimeout)
        logger.notice("switchyard listening", metadata: ["address": "\(server.localAddress?.description ?? "?")"])
        let http = HTTPService(server: server, drainTimeout: drainTimeout, logger: logger)
        let reloader = ReloadService(gateway: gateway, logger: logger, reload: reload)
        var configuration = ServiceGroupConfiguration(services: [http, reloader], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        configuration.maximumGracefulShutdownDuration = .milliseconds(Int64(min(max(drainTimeout, 0), 86_400) * 1000) + 500)
        try await ServiceGroup(configuration: configuration).run()
    }
}

/// The HTTP server as a service: serves until graceful shutdown, then drains for up to
/// `drainTimeout` seconds and closes whatever is left.
struct HTTPService: Service {
    let server: HTTPServer
    let drainTimeout: Double
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        logger.notice("draining connections", metadata: ["timeout_s": "\(drainTimeout)"])
        // Whichever comes first; the drain itself cannot be cancelled, so it is not waited for.
        let drained = await first(
            { await server.drain() },
            orAfter: min(max(drainTimeout, 0), 86_400))
        if !drained { logger.warning("drain timeout reached; closing the remaining connections") }
        await server.close()
    }
}

/// True when `work` finishes within `seconds`, false when the time runs out first (the work
/// then goes on unwatched).
func first(_ work: @escaping @Sendable () async -> Void, orAfter seconds: Double) async -> Bool {
    await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
        let once = Mutex<CheckedContinuation<Bool, Never>?>(continuation)
        let finish: @Sendable (Bool) -> Void = { value in once.withLock { $0.take() }?.resume(returning: value) }
        let timer = Task {
            try? await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
            finish(false)
        }
        Task {
            await work()
            timer.cancel()
            finish(true)
        }
    }
}

/// Reloads the config on every SIGHUP.
struct ReloadService: Service {
    let gateway: Gateway
    let logger: Logger
    let reload: @Sendable () throws -> GatewayConfig

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            do {
                try gateway.reload(try reload())
                logger.notice("config reloaded", metadata: ["deployments": "\(gateway.config.modelList.count)"])
            } catch {
                logger.error("config reload failed; keeping the running config", metadata: ["error": "\(error)"])
            }
        }
    }
}
