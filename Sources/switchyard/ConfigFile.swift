import Logging
import Foundation
import SwitchyardConfig

/// Reading a config file from disk (the loader itself is pure).
enum ConfigFile {
    /// Loads `path` (nil: the embedded quick start), with `include` paths relative to the file.
    static func load(_ path: String?, environment: [String: String]) -> ConfigLoadResult {
        guard let path else {
            return ConfigLoader.load(yaml: EmbeddedConfig.quickstart, environment: environment)
        }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            return ConfigLoadResult(config: nil, issues: [ConfigIssue(.error, "", "cannot read \(path): \(error.localizedDescription)")])
        }
        let directory = (path as NSString).deletingLastPathComponent
        return ConfigLoader.load(yaml: text, environment: environment) { include in
            let full = include.hasPrefix("/") ? include : (directory as NSString).appendingPathComponent(include)
            return try String(contentsOfFile: full, encoding: .utf8)
        }
    }

    /// Prints issues to standard error, one per line.
    /// The issues as log records (for JSON logs: one object per issue, with its YAML path).
    static func log(_ issues: [ConfigIssue], file: String, to logger: Logger) {
        for issue in issues {
            let metadata: Logger.Metadata = ["file": .string(file), "path": .string(issue.path)]
            switch issue.severity {
            case .warning: logger.warning("config: \(issue.message)", metadata: metadata)
            case .error: logger.error("config: \(issue.message)", metadata: metadata)
            }
        }
    }

    static func report(_ issues: [ConfigIssue], file: String) {
        for issue in issues {
            FileHandle.standardError.write(Data("\(file): \(issue)\n".utf8))
        }
    }
}

struct ConfigError: Error, CustomStringConvertible {
    let description: String
}
