import Foundation
import Logging
import Switchyard

/// Writes each log record as one JSON object per line on standard output
/// (`--log-format json`, or `litellm_settings.json_logs: true`). Metadata
/// that holds a number or a boolean (`status`, `attempts`) is written as one, not as a string.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let label: String

    public init(label: String) {
        self.label = label
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var record: [String: JSONValue] = [
            "ts": .string(Date().formatted(.iso8601)), "level": .string(event.level.rawValue), "msg": .string("\(event.message)"),
            "logger": .string(label),
        ]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { _, new in new }) {
            record[key] = Self.value(value)
        }
        guard var line = JSONValue.object(record).jsonBytes else { return }
        line.append(0x0A)
        FileHandle.standardOutput.write(Data(line))
    }

    static func value(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let text): return .string(text)
        case .stringConvertible(let item):
            switch item {
            case let number as Int: return .int(number)
            case let number as Double where number.isFinite: return .double(number)
            case let flag as Bool: return .bool(flag)
            default: return .string(item.description)
            }
        case .array(let items): return .array(items.map { Self.value($0) })
        case .dictionary(let entries): return .object(entries.mapValues { Self.value($0) })
        }
    }
}
