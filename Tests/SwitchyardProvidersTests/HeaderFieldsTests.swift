import SwitchyardProviders
import Testing

@Suite("HeaderFields")
struct HeaderFieldsTests {
    @Test("a lookup ignores ASCII case, returns the first value and nil for an absent name")
    func lookup() {
        var fields: HeaderFields = ["Content-Type": "application/json", "X-Request-ID": "abc"]
        fields.add("x-request-id", "second")
        #expect(fields["content-type"] == "application/json")
        #expect(fields["X-REQUEST-ID"] == "abc")
        #expect(fields["x-request"] == nil)
        #expect(fields["x-request-idx"] == nil)
        // A long name (not a small string) and a non-ASCII one.
        let long = "x-litellm-stream-timeout-with-a-long-suffix"
        fields.add(long.uppercased(), "12")
        fields.add("x-grüße", "hi")
        #expect(fields[long] == "12")
        #expect(fields["X-GRÜSSE"] == nil)
        #expect(fields["x-grüße"] == "hi")
    }

    @Test("names equal ignoring case only where the bytes are ASCII letters")
    func sameName() {
        #expect(HeaderFields.sameName("Authorization", "authorization"))
        #expect(HeaderFields.sameName("", ""))
        #expect(!HeaderFields.sameName("a", ""))
        #expect(!HeaderFields.sameName("content-type", "content_type"))
        // '@' (0x40) and '`' (0x60) differ in bit 0x20 too but are not letters.
        #expect(!HeaderFields.sameName("x@", "x`"))
        #expect(!HeaderFields.sameName("[", "{"))
    }

    @Test("replace drops every earlier value, whatever its case")
    func replace() {
        var fields: HeaderFields = ["Accept": "a", "x-one": "1"]
        fields.add("ACCEPT", "b")
        fields.replace("accept", "c")
        #expect(fields.fields.map(\.name) == ["x-one", "accept"])
        #expect(fields["Accept"] == "c")
    }

    @Test("the token set is exactly RFC 9110's tchar")
    func tokenBytes() {
        let tchar = Set(Array("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8))
        for byte in UInt8.min...UInt8.max {
            #expect(HeaderFields.isTokenByte(byte) == tchar.contains(byte), "byte \(byte)")
        }
        #expect(HeaderFields.isToken("X-Custom_Header.1"))
        #expect(!HeaderFields.isToken(""))
        #expect(!HeaderFields.isToken("bad name"))
        #expect(!HeaderFields.isToken("x:y"))
    }

    @Test("framing fields are found by name in any case, and only those")
    func framing() {
        for name in ["Connection", "content-length", "TRANSFER-ENCODING"] { #expect(HeaderFields.isFraming(name)) }
        for name in ["connectionx", "content-type", "transfer-encodings", "keep-alive"] { #expect(!HeaderFields.isFraming(name)) }
    }
}
