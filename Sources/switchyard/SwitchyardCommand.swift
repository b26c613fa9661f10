import ArgumentParser
import SwitchyardServer

@main
struct SwitchyardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switchyard",
        abstract: "An LLM gateway: one OpenAI-compatible API over many providers, with fallbacks, retries and cooldowns.",
        version: switchyardVersion,
        subcommands: [Serve.self, CheckConfig.self, MockUpstream.self],
        defaultSubcommand: Serve.self)
}
