import SwitchyardCore
import Testing

@Suite("JSONObjectScan and RawChatRequest")
struct RawForwardingCoreTests {
    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test("well-formed objects scan, with each top-level member's key and value", arguments: [
        #"{}"#, #" { "a" : 1 } "#, #"{"a":[1,2,{"b":null}],"c":"x\"y\\z\u00e9","d":-1.5e+3,"e":true,"f":false,"g":{}}"#, #"{"h":"\u00C9\uD83D\uDE00"}"#,
    ])
    func wellFormed(_ text: String) throws {
        let scan = try #require(JSONObjectScan(bytes(text)))
        let decoded = try JSONCoding.decode(JSONValue.self, from: bytes(text))
        #expect(scan.members.map(scan.key).sorted() == (decoded.objectValue ?? [:]).keys.sorted())
        for member in scan.members {
            let value = try JSONCoding.decode(JSONValue.self, from: Array(scan.bytes[member.value]))
            #expect(value == decoded[scan.key(member)], "\(scan.key(member))")
            #expect(scan.member(scan.key(member))?.value == member.value, "found by its text")
        }
    }

    @Test("values(_:in:) finds what member(_:) finds, first of a repeated name, escaped keys by their text, and refuses what init refuses")
    func threeValues() throws {
        let text = #"{"b":[1,{"a":2}],"a":"x","a":3,"\u0063":null,"d":{}}"#
        let found = try #require(JSONObjectScan.values(("a", "c", "z"), in: bytes(text)))
        let scan = try #require(JSONObjectScan(bytes(text)))
        #expect(found.0 == scan.member("a")?.value)
        #expect(found.0.map { String(decoding: bytes(text)[$0], as: UTF8.self) } == #""x""#)
        #expect(found.1 == scan.member("c")?.value)
        #expect(found.1 != nil)
        #expect(found.2 == nil)
        for malformed in [#"{"a":1,}"#, #"{"a":tru}"#, "[]", #"{"a":1} x"#, #"{"a":"\q"}"#] {
            #expect(JSONObjectScan.values(("a", "b", "c"), in: bytes(malformed)) == nil, "\(malformed)")
        }
    }

    @Test("anything else is refused", arguments: [
        "", "[]", "1", #"{"a":}"#, #"{"a":1,}"#, #"{"a" 1}"#, #"{"a":tru}"#, #"{"a":01}"#, #"{"a":"\q"}"#, #"{"a":"\u00g1"}"#, #"{"a":"\u12"}"#,
        "{\"a\":\"line\nbreak\"}", #"{"a":1} x"#, #"{"a":[1,2}"#, #"{"a":"unterminated}"#, #"{a:1}"#, #"{"a":1.}"#,
        // Long unterminated strings, ending on and off an eight-byte word (read a word at a time).
        #"{"a":""# + String(repeating: "x", count: 40), #"{"a":""# + String(repeating: "x", count: 43),
    ])
    func malformed(_ text: String) {
        #expect(JSONObjectScan(bytes(text)) == nil)
    }

    @Test("JSON strings: a control character, a bare quote or a bad escape at any offset is refused; escapes and UTF-8 anywhere are read")
    func jsonStringsAtEveryOffset() throws {
        let text = Array("The quick brown fox jumps over the lazy dog, café ☕ 😀.".utf8)
        for offset in 0...text.count {
            func body(_ inserted: [UInt8]) -> [UInt8] {
                Array(#"{"k":""#.utf8) + text[..<offset] + inserted + text[offset...] + Array(#"","n":1}"#.utf8)
            }
            #expect(JSONObjectScan(body([0x0A])) == nil, "newline at \(offset)")
            #expect(JSONObjectScan(body([0x1F])) == nil, "0x1F at \(offset)")
            #expect(JSONObjectScan(body([0x22])) == nil, "quote at \(offset)")
            #expect(JSONObjectScan(body(Array(#"\x"#.utf8))) == nil, "bad escape at \(offset)")
            let escaped = try #require(JSONObjectScan(body(Array(#"\"\\\n\u00e9"#.utf8))), "escapes at \(offset)")
            let expected = String(decoding: text[..<offset], as: UTF8.self) + "\"\\\né" + String(decoding: text[offset...], as: UTF8.self)
            #expect(escaped.string("k") == expected)
            #expect(escaped.integer("n") == 1)
        }
    }

    @Test("string, bool, null and array helpers; escapes are resolved")
    func helpers() throws {
        let scan = try #require(JSONObjectScan(bytes(#"{"s":"caf\u00e9 \"q\" \ud83d\ude00","t":true,"n":null,"a":[ ],"b":[0]}"#)))
        #expect(scan.string("s") == "café \"q\" 😀")
        #expect(scan.bool("t") == true)
        #expect(scan.isNull("n") && scan.isNull("missing") && !scan.isNull("t"))
        #expect(!scan.isNonEmptyArray("a") && scan.isNonEmptyArray("b") && scan.isArray("a"))
        #expect(JSONStrings.unescape(JSONStrings.quoted("a\"b\\c\nd\u{1}")[...]) == "a\"b\\c\nd\u{1}")
    }

    @Test("a raw request needs a model and a non-empty messages array, and says which is wrong")
    func validation() throws {
        func error(_ text: String, pathModel: String? = nil) -> GatewayError? {
            do {
                _ = try RawChatRequest(body: bytes(text), pathModel: pathModel)
                return nil
            } catch {
                return error
            }
        }
        #expect(error(#"{"model":"m","messages":[{"role":"user","content":"x"}]}"#) == nil)
        #expect(error(#"{"messages":[{"role":"user","content":"x"}]}"#)?.param == "model")
        #expect(error(#"{"messages":[{"role":"user","content":"x"}]}"#, pathModel: "from-path") == nil)
        #expect(error(#"{"model":"m"}"#)?.param == "messages")
        #expect(error(#"{"model":"m","messages":[]}"#)?.message.contains("empty") == true)
        #expect(error(#"{"model":"m","messages":"x"}"#)?.message.contains("Invalid type") == true)
        #expect(error(#"{"model":5,"messages":[1]}"#)?.param == "model")
        #expect(error(#"{"model":"m","#)?.message.contains("not valid JSON") == true)
        #expect(error("")?.kind == .invalidRequest)
    }

    @Test("the forwarded body: model replaced, gateway members and metadata dropped, renames and additions applied, the rest byte for byte")
    func forwardBody() throws {
        let original = #"{"model":"public","messages":[{"role":"user","content":"hi \"there\""}],"temperature":0.2,"num_retries":3,"fallbacks":["x"],"metadata":{"k":"v"},"max_completion_tokens":5,"custom_field":{"deep":[1,2]}}"#
        let raw = try RawChatRequest(body: bytes(original))
        #expect(raw.model == "public")
        #expect(raw.controlMembers == ["num_retries": 3, "fallbacks": ["x"]])
        let forwarded = raw.forwardBody(model: "gpt-4o-2024-08-06", rename: ["max_completion_tokens": "max_tokens"], add: [("extra", bytes("true"))])
        let value = try JSONCoding.decode(JSONValue.self, from: forwarded)
        let expected: JSONValue = [
            "model": "gpt-4o-2024-08-06", "messages": [["role": "user", "content": "hi \"there\""]], "temperature": 0.2,
            "max_tokens": 5, "custom_field": ["deep": [1, 2]], "extra": true,
        ]
        #expect(value.isEquivalent(to: expected), "\(value)")
        let stored = try RawChatRequest(body: bytes(#"{"model":"m","messages":[{"role":"user","content":"x"}],"store":true,"metadata":{"k":"v"}}"#))
        #expect(try JSONCoding.decode(JSONValue.self, from: stored.forwardBody(model: "m"))["metadata"] == ["k": "v"])
    }

    @Test("gateway members are known by their text: an escaped key is one, a key of the same length or a prefix is not")
    func controlKeysByText() throws {
        let original = #"{"model":"m","messages":[{"role":"user","content":"x"}],"\u0074imeout":5,"timeouts":1,"tags_":2,"caches":3,"drop_me":4,"model_":5}"#
        let raw = try RawChatRequest(body: bytes(original))
        #expect(raw.controlMembers == ["timeout": 5])
        let forwarded = raw.forwardBody(model: "m2", drop: ["drop_me"])
        #expect(String(decoding: forwarded, as: UTF8.self) == #"{"model":"m2","messages":[{"role":"user","content":"x"}],"timeouts":1,"tags_":2,"caches":3,"model_":5}"#)
    }

    @Test("replaced values and edited objects: only the members named change, the rest byte for byte")
    func replaceAndEdit() throws {
        let original = #"{"model":"m","messages":[{"role":"user","content":"x"}],"tool_choice":"required","seed":1,"n":1.50}"#
        let raw = try RawChatRequest(body: bytes(original))
        let forwarded = raw.forwardBody(model: "m2", rename: ["seed": "random_seed"], replace: ["tool_choice": bytes(#""any""#)])
        #expect(String(decoding: forwarded, as: UTF8.self) == #"{"model":"m2","messages":[{"role":"user","content":"x"}],"tool_choice":"any","random_seed":1,"n":1.50}"#)

        let scan = try #require(JSONObjectScan(bytes(original)))
        #expect(scan.edited() == bytes(original))
        let edited = scan.edited(drop: ["model", "n"], rename: ["seed": "random_seed"], replace: ["tool_choice": bytes("{}")])
        #expect(String(decoding: edited, as: UTF8.self) == #"{"messages":[{"role":"user","content":"x"}],"tool_choice":{},"random_seed":1}"#)
        // A rename onto a name the object already has keeps the member as it is.
        let both = try #require(JSONObjectScan(bytes(#"{"seed":1,"random_seed":2}"#)))
        #expect(String(decoding: both.edited(rename: ["seed": "random_seed"]), as: UTF8.self) == #"{"seed":1,"random_seed":2}"#)
        #expect(JSONObjectScan(bytes("{}"))?.edited(drop: ["a"]) == bytes("{}"))
    }
}
