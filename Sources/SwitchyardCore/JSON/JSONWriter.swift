/// JSON text written in order, value by value: for bodies built from typed values, where a
/// `JSONValue` dictionary would hash every key only to write them in no particular order.
/// Commas come by themselves; a key is followed by exactly one value.
///
///     var json = JSONWriter()
///     json.beginObject()
///     json.key("model"); json.string("claude")
///     json.key("max_tokens"); json.int(1024)
///     json.endObject()          // {"model":"claude","max_tokens":1024}
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// False once a number JSON cannot hold (NaN, infinity) was asked for: the text is then
    /// not to be sent.
    public private(set) var isValid = true
    /// Whether the next value or key follows another in its object or array.
    private var needsComma = false

    public init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    /// `"name":` (a name without characters to escape, as the literals callers write).
    public mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// `"name":` for a name known only at run time, escaped.
    public mutating func key(_ name: String) {
        separate()
        JSONStrings.appendQuoted(name, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    public mutating func string(_ text: String) {
        separate()
        JSONStrings.appendQuoted(text, to: &bytes)
    }

    public mutating func int(_ number: Int) {
        separate()
        bytes.append(contentsOf: String(number).utf8)
    }

    /// A double as `JSONValue` writes it (integral values without a fraction).
    public mutating func double(_ number: Double) {
        separate()
        guard number.isFinite else {
            isValid = false
            bytes.append(contentsOf: "null".utf8)
            return
        }
        JSONValue.append(number, to: &bytes)
    }

    public mutating func bool(_ flag: Bool) {
        separate()
        bytes.append(contentsOf: (flag ? "true" : "false").utf8)
    }

    /// Any value, as `JSONValue.jsonBytes` writes it.
    public mutating func value(_ value: JSONValue) {
        separate()
        if !value.write(into: &bytes) { isValid = false }
    }

    public mutating func beginObject() { open(UInt8(ascii: "{")) }
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    public mutating func beginArray() { open(UInt8(ascii: "[")) }
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    private mutating func open(_ bracket: UInt8) {
        separate()
        bytes.append(bracket)
        needsComma = false
    }

    private mutating func close(_ bracket: UInt8) {
        bytes.append(bracket)
        needsComma = true
    }

    /// A comma before anything that follows a value; every value then needs the next one to have it.
    @inline(__always)
    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
    }
}
