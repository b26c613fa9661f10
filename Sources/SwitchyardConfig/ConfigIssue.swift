/// One problem found in a config file, with the YAML path it is at
/// (`model_list[3].litellm_params.model`). Errors stop the gateway from starting; warnings
/// are printed once and the gateway starts.
public struct ConfigIssue: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case warning
        case error
    }

    public var severity: Severity
    public var path: String
    public var message: String

    public init(_ severity: Severity, _ path: String, _ message: String) {
        self.severity = severity
        self.path = path
        self.message = message
    }

    public var description: String { "\(severity.rawValue): \(path.isEmpty ? "" : path + ": ")\(message)" }
}

extension [ConfigIssue] {
    public var hasErrors: Bool { contains { $0.severity == .error } }
    public var errors: [ConfigIssue] { filter { $0.severity == .error } }
    public var warnings: [ConfigIssue] { filter { $0.severity == .warning } }
}
