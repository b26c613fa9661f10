import Foundation
import SwitchyardCore
import Testing

/// The byte-level JSON reader and writer must agree with Foundation's coders on every input.
@Suite("JSONValue from and to bytes")
struct JSONValueBytesTests {
    static func foundation(_ text: [UInt8]) -> JSONValue? { try? JSONDecoder().decode(JSONValue.self, from: Data(text)) }

    static let samples = [
        #"{"a":1,"b":-2,"c":1.5,"d":-0.25,"e":1e3,"f":2.5E-3,"g":1.0,"h":12345678901234,"i":9223372036854775807}"#,
        #"[true,false,null,"",[],{},[[[]]],{"x":{"y":[1,{"z":null}]}}]"#,
        #"{"s":"quote \" backslash \\ slash \/ tabs\t\n\r\b\f","u":"\u00e9\u4e2d\ud83d\ude80","raw":"ünïcödé 🚀"}"#,
        "  \n {\"spaced\" : [ 1 , 2 ] }  \t",
        #"{"dup":1,"dup":2}"#,
        #"-0"#, #"0.1"#, #"123"#, #""just a string""#, "null",
    ]

    @Test("valid JSON reads as Foundation reads it", arguments: samples)
    func readsLikeFoundation(_ text: String) throws {
        let bytes = Array(text.utf8)
        let expected = try #require(Self.foundation(bytes))
        #expect(JSONValue.parse(bytes) == expected)
    }

    @Test("malformed JSON is refused", arguments: [
        "", "{", "}", "[1,]", "{\"a\":}", "{\"a\" 1}", "01", "1.", ".5", "1e", "+1", "tru", "nul", "\"unterminated",
        "\"bad \\x escape\"", "\"lone \\ud800 surrogate\"", "\"control \u{01} char\"", "[1] 2", "{\"a\":1,}", "NaN", "1e999",
    ])
    func refuses(_ text: String) {
        #expect(JSONValue.parse(Array(text.utf8)) == nil, "\(text)")
    }

    @Test("invalid UTF-8 and nesting past the limit are refused")
    func limits() {
        #expect(JSONValue.parse([0x22, 0xFF, 0xFE, 0x22]) == nil)
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(JSONValue.parse(Array(deep.utf8)) == nil)
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(JSONValue.parse(Array(fine.utf8)) != nil)
    }

    @Test("strings are UTF-8 checked as String(validating:) checks them, in and out of escapes")
    func utf8() {
        let cases: [[UInt8]] = [
            Array("plain ascii".utf8), Array("ünïcödé 中 🚀".utf8), [],
            [0xC3], [0xC3, 0x28], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF], [0xE2, 0x82],
            Array("ok".utf8) + [0xF0, 0x9F, 0x9A] + Array("tail".utf8),
        ]
        for bytes in cases {
            let expected = String(validating: bytes, as: UTF8.self)
            #expect(JSONStrings.validUTF8(bytes[...]) == expected, "\(bytes)")
            #expect(JSONValue.parse([0x22] + bytes + [0x22]) == expected.map(JSONValue.string), "\(bytes)")
            #expect(JSONValue.parse([0x22] + bytes + Array(#"\n"#.utf8) + [0x22]) == expected.map { .string($0 + "\n") }, "\(bytes)")
        }
    }

    @Test("written JSON reads back equal, by this reader and by Foundation", arguments: samples)
    func writesBack(_ text: String) throws {
        let value = try #require(JSONValue.parse(Array(text.utf8)))
        let written = try #require(value.jsonBytes)
        #expect(JSONValue.parse(written) == value)
        #expect(Self.foundation(written) == value)
    }

    @Test("every OpenAI fixture reads as Foundation reads it")
    func fixtures() throws {
        for name in Fixtures.names where name.hasSuffix(".json") {
            let bytes = Array(try Fixtures.data(name))
            #expect(JSONValue.parse(bytes) == Self.foundation(bytes), "\(name)")
        }
    }

    @Test("numbers JSON cannot write are refused")
    func nonFinite() {
        #expect(JSONValue.double(.nan).jsonBytes == nil)
        #expect(JSONValue.array([.double(.infinity)]).jsonBytes == nil)
    }

    @Test("strings are escaped so Foundation reads back the same text: controls, quotes, backslashes, runs between them")
    func escaping() throws {
        let controls = String((0..<0x20).map { Character(Unicode.Scalar(UInt8($0))) })
        let texts = [
            "", "plain", controls, "\"", "\\", "a\"b\\c\nd\u{1}e", "ünïcödé 🚀 中文", "ends with escape\n",
            "\tstarts with one", "slash / stays", String(repeating: "long run ", count: 200) + "\"",
        ]
        for text in texts {
            let quoted = JSONStrings.quoted(text)
            #expect(try JSONDecoder().decode(String.self, from: Data(quoted)) == text, "\(text.debugDescription)")
            #expect(!quoted.contains(where: { $0 < 0x20 }), "no raw control byte in \(text.debugDescription)")
        }
        #expect(String(decoding: JSONStrings.quoted("a/b\u{1F}"), as: UTF8.self) == #""a/b\u001f""#)
    }
}
