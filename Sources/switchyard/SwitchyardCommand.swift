import ArgumentParser
import NIOCore
import NIOPosix
import SwitchyardServer

@main
struct SwitchyardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switchyard",
        abstract: "An LLM gateway: one OpenAI-compatible API over many providers, with fallbacks, retries and cooldowns.",
        version: switchyardVersion,
        subcommands: [Serve.self, CheckConfig.self, MockUpstream.self],
        defaultSubcommand: Serve.self)

    /// Makes NIO's event loops Swift concurrency's executor before anything runs (it must happen
    /// on the main thread, first): a request's task then runs on its connection's event loop,
    /// and so does its upstream call, with no hop between thread pools. Then runs the command.
    static func main() async {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
