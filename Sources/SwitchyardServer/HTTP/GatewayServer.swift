import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
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

    /// The Hummingbird application for `gateway` (tests run it on port 0).
    public func application(
        _ gateway: Gateway, logger: Logger, onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        var serverLogger = logger
        serverLogger.logLevel = max(logger.logLevel, .notice)
        return Application(
            responder: GatewayResponder(gateway: gateway),
            server: .http1(configuration: .init(idleTimeout: .milliseconds(Int64(min(max(idleTimeout, 1), 86_400) * 1000)))),
            // A deep accept queue: a burst of thousands of clients connecting at once is normal
            // for a gateway (the default 256 drops SYNs, and clients then back off for seconds).
            configuration: .init(address: .hostname(host, port: port), serverName: nil, backlog: 8192),
            onServerRunning: onServerRunning,
            logger: serverLogger)
    }

    /// Serves until a shutdown signal.
    /// - Parameter reload: called on SIGHUP; returns the new config, or throws to keep the old one.
    public func run(_ gateway: Gateway, logger: Logger, reload: @escaping @Sendable () throws -> GatewayConfig) async throws {
        let app = application(gateway, logger: logger) { channel in
            logger.notice("switchyard listening", metadata: ["address": "\(channel.localAddress?.description ?? "?")"])
        }
        let reloader = ReloadService(gateway: gateway, logger: logger, reload: reload)
        var configuration = ServiceGroupConfiguration(services: [app, reloader], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        configuration.maximumGracefulShutdownDuration = .milliseconds(Int64(min(max(drainTimeout, 0), 86_400) * 1000))
        try await ServiceGroup(configuration: configuration).run()
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
