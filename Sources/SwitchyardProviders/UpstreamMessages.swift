import SwitchyardCore

/// HTTP header fields as an ordered list with case-insensitive lookup. A plain value so that no
/// HTTP library's type crosses the adapter or transport boundary.
public struct HeaderFields: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    public struct Field: Sendable, Hashable {
        public var name: String
        public var value: String
        @inlinable
        public init(name: __owned String, value: __owned String) {
            self.name = name
            self.value = value
        }
    }

    public var fields: [Field]

    public init(_ fields: [Field] = []) { self.fields = fields }
    public init(dictionaryLiteral elements: (String, String)...) {
        fields = elements.map { Field(name: $0.0, value: $0.1) }
    }

    /// The first value of `name`, compared case-insensitively.
    public subscript(name: String) -> String? {
        // An index loop, not `first(where:)`, and lengths compared first (a string's length is
        // in the value itself): no field is copied (and retained) to be compared, and only a
        // name of the same length is read.
        let count = name.utf8.count
        for index in fields.indices where fields[index].name.utf8.count == count && Self.sameName(fields[index].name, name) {
            return fields[index].value
        }
        return nil
    }

    /// Whether two header names are equal ignoring ASCII case (header names are ASCII tokens),
    /// without making lowercased copies. Lengths first: a lookup compares its name with every
    /// field's, and most differ in length.
    @inlinable
    public static func sameName(_ a: String, _ b: String) -> Bool {
        let x = a.utf8
        let y = b.utf8
        guard x.count == y.count else { return false }
        return x.withContiguousStorageIfAvailable { xs in
            y.withContiguousStorageIfAvailable { ys in equalIgnoringASCIICase(xs, ys) }
        }.flatMap { $0 } ?? equalIgnoringASCIICase(Array(x), Array(y))
    }

    /// Byte sequences of equal length that differ at most in the case of ASCII letters.
    @inlinable
    static func equalIgnoringASCIICase<C: RandomAccessCollection<UInt8>>(_ x: C, _ y: C) -> Bool where C.Index == Int {
        for i in x.indices where x[i] != y[i] {
            // ASCII letters differ from their other case only in bit 0x20.
            let l = x[i] | 0x20
            guard l == y[i] | 0x20, l >= 0x61, l <= 0x7A else { return false }
        }
        return true
    }

    /// Whether `name` is one of the fields that frame a message on its own connection
    /// (`Content-Length`, `Transfer-Encoding`, `Connection`): each hop writes its own.
    public static func isFraming(_ name: String) -> Bool {
        // By length first: it runs on every field of every request and answer.
        switch name.utf8.count {
        case 10: return sameName(name, "connection")
        case 14: return sameName(name, "content-length")
        case 17: return sameName(name, "transfer-encoding")
        default: return false
        }
    }

    /// An HTTP field name: one or more token characters (RFC 9110 § 5.1).
    public static func isToken(_ name: String) -> Bool {
        let utf8 = name.utf8
        return utf8.withContiguousStorageIfAvailable { bytes in
            !bytes.isEmpty && bytes.allSatisfy(isTokenByte)
        } ?? (!utf8.isEmpty && utf8.allSatisfy(isTokenByte))
    }

    /// A value that keeps a message's framing: no CR, LF or NUL (RFC 9110 § 5.5), so written as
    /// it is it cannot end its field or the head early.
    public static func isFieldValue(_ value: String) -> Bool {
        let utf8 = value.utf8
        return utf8.withContiguousStorageIfAvailable { bytes in
            bytes.allSatisfy(isFieldValueByte)
        } ?? utf8.allSatisfy(isFieldValueByte)
    }

    /// A byte a field name may hold (tchar: ALPHA, DIGIT and ``!#$%&'*+-.^_`|~``). The set is two
    /// 64-bit literals rather than a lazily built static: this runs on every byte of every field
    /// name, and a static's once-check per byte showed in profiles. `HeaderFieldsTests` checks the
    /// masks against the RFC's list. Inlinable: the server and the transport call it per byte.
    @inlinable @inline(__always)
    public static func isTokenByte(_ byte: UInt8) -> Bool {
        byte < 64 ? tokenMaskLow & (1 << UInt64(byte)) != 0 : byte < 128 && tokenMaskHigh & (1 << UInt64(byte &- 64)) != 0
    }

    /// A byte a field value may hold: anything but CR, LF and NUL.
    @inlinable @inline(__always)
    public static func isFieldValueByte(_ byte: UInt8) -> Bool { byte != 0x0D && byte != 0x0A && byte != 0 }

    @usableFromInline static var tokenMaskLow: UInt64 { 0x03FF_6CFA_0000_0000 }
    @usableFromInline static var tokenMaskHigh: UInt64 { 0x57FF_FFFF_C7FF_FFFE }

    /// Appends a field. Takes its strings owned and is inlinable: a field parsed from a head is
    /// moved in, not retained for the list and released by the parser.
    @inlinable
    public mutating func add(_ name: __owned String, _ value: __owned String) { fields.append(Field(name: name, value: value)) }

    /// Sets `name` to `value`, replacing every earlier value of it.
    public mutating func replace(_ name: String, _ value: String) {
        // Looked for by index first: `removeAll(where:)` copies (and retains) every field it tests,
        // and the name is usually not there (a streamed answer's content type, say).
        let count = name.utf8.count
        if fields.indices.contains(where: { fields[$0].name.utf8.count == count && Self.sameName(fields[$0].name, name) }) {
            fields.removeAll { Self.sameName($0.name, name) }
        }
        fields.append(Field(name: name, value: value))
    }

    /// These fields followed by `other`'s.
    public func appending(_ other: HeaderFields) -> HeaderFields { HeaderFields(fields + other.fields) }

    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }
}

/// What an adapter asks the transport to send.
public struct UpstreamRequest: Sendable, Hashable {
    public var method: String
    public var url: String
    public var headers: HeaderFields
    public var body: [UInt8]

    public init(method: String = "POST", url: String, headers: HeaderFields, body: [UInt8]) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// A complete (buffered) upstream answer, handed to an adapter to decode or classify.
public struct UpstreamAnswer: Sendable, Hashable {
    public var status: Int
    public var headers: HeaderFields
    public var body: [UInt8]
    /// When it arrived, in seconds since 1970: lets an HTTP-date `Retry-After` become seconds
    /// without the adapter reading a clock.
    public var receivedAt: Double

    public init(status: Int, headers: HeaderFields = [:], body: [UInt8], receivedAt: Double = 0) {
        self.status = status
        self.headers = headers
        self.body = body
        self.receivedAt = receivedAt
    }

    public var isSuccess: Bool { (200..<300).contains(status) }
}

extension UpstreamRequest {
    /// A JSON body, or the failure that says it could not be written (a number JSON cannot hold).
    public static func jsonBody(_ value: JSONValue, for target: ProviderTarget) throws(UpstreamFailure) -> [UInt8] {
        guard let bytes = value.jsonBytes else {
            throw UpstreamFailure(.badRequest, message: "The request could not be encoded for \(target.provider) (a number JSON cannot hold)", provider: target.provider)
        }
        return bytes
    }

    /// `Content-Type: application/json`, then the deployment's own headers (`extra_headers`).
    public static func jsonHeaders(_ target: ProviderTarget, adding fields: HeaderFields = [:]) -> HeaderFields {
        var headers = HeaderFields()
        headers.fields.reserveCapacity(1 + fields.fields.count + target.headers.count)
        headers.add("Content-Type", "application/json")
        for field in fields { headers.add(field.name, field.value) }
        for (name, value) in target.headers.sorted(by: { $0.key < $1.key }) { headers.replace(name, value) }
        return headers
    }
}
