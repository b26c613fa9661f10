import ArgumentParser
import Foundation
import Logging
import Switchyard
import SwitchyardConfig
import SwitchyardServer

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the gateway on a LiteLLM config.yaml (default: the built-in mock quick start).")

    @Option(name: .long, help: "The config file (LiteLLM's config.yaml). Also SWITCHYARD_CONFIG. Without it, the mock quick start runs.")
    var config: String?

    @Option(name: .long, help: "The address to listen on.")
    var host: String = "0.0.0.0"

    @Option(name: .long, help: "The port to listen on (LiteLLM's default is 4000).")
    var port: Int = 4000

    @Option(name: .long, help: "Log format: text or json.")
    var logFormat: LogFormat?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: String = "info"

    @Option(name: .long, help: "Seconds in-flight requests get to finish after SIGTERM/SIGINT.")
    var drainTimeout: Double = 30

    enum LogFormat: String, ExpressibleByArgument {
        case text, json
    }

    func run() async throws {
        raiseOpenFileLimit()
        let environment = ProcessInfo.processInfo.environment
        let path = config ?? environment["SWITCHYARD_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        let label = path ?? "(built-in quick start)"
        let result = ConfigFile.load(path, environment: environment)
        let json = logFormat.map { $0 == .json } ?? result.config?.server.jsonLogs ?? false
        let level = Logger.Level(rawValue: logLevel.lowercased()) ?? .info
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = json ? JSONLogHandler(label: label) : StreamLogHandler.standardOutput(label: label)
            handler.logLevel = level
            return handler
        }
        let report: @Sendable ([ConfigIssue]) -> Void = { issues in
            if json {
                ConfigFile.log(issues, file: label, to: Logger(label: "switchyard"))
            } else {
                ConfigFile.report(issues, file: label)
            }
        }
        report(result.issues)
        guard let loaded = result.config else {
            throw ConfigError(description: "\(label) has errors; nothing started. Run 'switchyard check-config' for the full list.")
        }
        let logger = Logger(label: "switchyard")
        if path == nil {
            logger.notice("no --config given: running the built-in quick start (mock/ deployments, master key sk-switchyard-demo)")
        }
        let gateway = try Gateway(config: loaded, logger: logger)
        for warning in gateway.router.warnings { logger.warning("\(warning)") }
        if loaded.server.masterKey == nil {
            logger.warning("NO MASTER KEY IS SET: anyone who can reach this port can use every model. Set general_settings.master_key or LITELLM_MASTER_KEY.")
        }
        let server = GatewayServer(host: host, port: port, drainTimeout: drainTimeout)
        try await server.run(gateway, logger: logger) {
            let reloaded = ConfigFile.load(path, environment: ProcessInfo.processInfo.environment)
            report(reloaded.issues)
            guard let config = reloaded.config else { throw ConfigError(description: "\(label) has errors") }
            return config
        }
        logger.notice("switchyard stopped")
    }
}

/// Every open stream holds two sockets (client and upstream): lift the soft limit on open files
/// to the hard limit, as servers do, so thousands of concurrent streams fit.
func raiseOpenFileLimit() {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
    limit.rlim_cur = limit.rlim_max
    _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
}
