/// A chat request kept as the bytes the client sent, with the few members routing needs read
/// out of them. The forwarding fast path sends these bytes on (model replaced, gateway members
/// removed) instead of decoding and re-encoding the whole request.
public struct RawChatRequest: Sendable {
    public let scan: JSONObjectScan
    /// The requested model (the body's, or the one the path names).
    public var model: String
    public let isStreaming: Bool

    /// Checks what the gateway needs to route: a JSON object with a string `model` (unless the
    /// path gives one) and a non-empty `messages` array.
    /// - Throws: `GatewayError.invalidRequest` naming what is wrong, in OpenAI's words.
    public init(body: [UInt8], pathModel: String? = nil) throws(GatewayError) {
        if body.isEmpty { throw GatewayError(.invalidRequest, "The request body is empty; send a JSON object.") }
        guard let scan = JSONObjectScan(body) else {
            throw GatewayError(.invalidRequest, "The request body is not valid JSON. Send a JSON object with the request parameters.")
        }
        guard let model = pathModel ?? scan.string("model") else {
            if scan.contains("model") { throw GatewayError(.invalidRequest, "Invalid type for 'model': expected a string.", param: "model") }
            throw GatewayError(.invalidRequest, "Missing required parameter: 'model'.", param: "model")
        }
        guard scan.contains("messages") else {
            throw GatewayError(.invalidRequest, "Missing required parameter: 'messages'.", param: "messages")
        }
        guard scan.isArray("messages") else {
            throw GatewayError(.invalidRequest, "Invalid type for 'messages': expected an array of messages.", param: "messages")
        }
        guard scan.isNonEmptyArray("messages") else {
            throw GatewayError(.invalidRequest, "Invalid 'messages': empty array. Expected an array with at least one message.", param: "messages")
        }
        self.scan = scan
        self.model = model
        self.isStreaming = scan.bool("stream") ?? false
    }

    public var body: [UInt8] { scan.bytes }

    /// The gateway's own members present in the body (`num_retries`, `fallbacks`, …), decoded.
    public var controlMembers: [String: JSONValue] {
        var members: [String: JSONValue] = [:]
        for member in scan.members where isGatewayControl(member) {
            members[scan.key(member)] = try? JSONCoding.decodeJSON(Array(scan.bytes[member.value]))
        }
        return members
    }

    /// Whether `member` is one of the gateway's control members, its key compared as bytes.
    func isGatewayControl(_ member: JSONObjectScan.Member) -> Bool {
        if member.keyIsEscaped { return ChatRequest.gatewayControlKeys.contains(scan.key(member)) }
        let byLength = Self.controlKeysByLength
        let length = member.keyBytes.count
        guard length < byLength.count else { return false }
        return scan.bytes.withUnsafeBufferPointer { bytes in
            byLength[length].contains { key in key.withUnsafeBufferPointer { JSONObjectScan.keyEquals(member, $0, in: bytes) } }
        }
    }

    /// `ChatRequest.gatewayControlKeys` as bytes, grouped by length.
    private static let controlKeysByLength: [[[UInt8]]] = {
        let keys = ChatRequest.gatewayControlKeys.map { Array($0.utf8) }
        var table = [[[UInt8]]](repeating: [], count: (keys.map(\.count).max() ?? 0) + 1)
        for key in keys { table[key.count].append(key) }
        return table
    }()

    /// Whether the body sets `name` to something other than null.
    public func has(_ name: String) -> Bool { !scan.isNull(name) }

    /// The body for an upstream: `model` set to `model`, the gateway's members and `drop` removed
    /// (and `metadata` unless `store` is true), members renamed per `rename` (when the new name is
    /// not already set), values replaced per `replace` (the new value's JSON bytes), `add` appended
    /// (when not already set). Everything else is copied byte for byte.
    public func forwardBody(
        model: String, drop: Set<String> = [], rename: [String: String] = [:], replace: [String: [UInt8]] = [:],
        add: [(String, [UInt8])] = []
    ) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(scan.bytes.count + model.utf8.count + 16)
        out.append(contentsOf: "{\"model\":".utf8)
        JSONStrings.appendQuoted(model, to: &out)
        let keepMetadata = scan.bool("store") == true
        for member in scan.members {
            if scan.keyIs(member, "model") || isGatewayControl(member) { continue }
            if !drop.isEmpty && drop.contains(scan.key(member)) { continue }
            if !keepMetadata && scan.keyIs(member, "metadata") { continue }
            out.append(UInt8(ascii: ","))
            scan.append(member, to: &out, rename: rename, replace: replace)
        }
        for (key, value) in add where !scan.contains(key) {
            out.append(UInt8(ascii: ","))
            out.append(contentsOf: JSONStrings.quoted(key))
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: value)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }
}
