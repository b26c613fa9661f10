import ArgumentParser
import Foundation
import Switchyard
import SwitchyardConfig

struct CheckConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Check a config file: print every problem with its YAML path; exit non-zero on errors.")

    @Argument(help: "The config file.")
    var file: String

    func run() throws {
        let result = ConfigFile.load(file, environment: ProcessInfo.processInfo.environment)
        for issue in result.issues { print("\(issue)") }
        guard let config = result.config else {
            print("\(file): \(result.issues.errors.count) error(s), \(result.issues.warnings.count) warning(s)")
            throw ExitCode(1)
        }
        let groups = Set(config.modelList.map(\.modelName))
        print("\(file): OK — \(config.modelList.count) deployment(s) in \(groups.count) group(s), \(result.issues.warnings.count) warning(s)")
    }
}
