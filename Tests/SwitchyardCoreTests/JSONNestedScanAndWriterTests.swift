@testable import SwitchyardCore
import Testing

/// Reading inside a scanned document (objects and arrays at a member, scalars as the parse
/// reads them) and writing JSON in order: the translated paths read and write provider bodies
/// with these instead of `JSONValue` dictionaries, so they must agree with `JSONValue`.
@Suite("JSON: nested scans and the writer")
struct JSONNestedScanAndWriterTests {
    static let document = Array(
        #"""
         {"id":"msg_1","content":[{"type":"text","text":"a \"quoted\" é"}, {"type":"tool_use","input":{"k":[1,2]}} ,7,"s",[],{}],
          "usage":{"input_tokens":48,"output_tokens":5.0,"cache_read_input_tokens":null},"n":-3,"x":1e2,"f":0.25,"t":true,"z":null}
        """#.utf8)

    @Test("an object and an array at a member: their members and items, in the whole document's indices")
    func nested() throws {
        let top = try #require(JSONObjectScan(Self.document))
        let items = try #require(top.items("content"))
        #expect(items.count == 6)
        let texts = items.map { String(decoding: Self.document[$0], as: UTF8.self) }
        #expect(texts == [#"{"type":"text","text":"a \"quoted\" é"}"#, #"{"type":"tool_use","input":{"k":[1,2]}}"#, "7", #""s""#, "[]", "{}"])
        let block = try #require(JSONObjectScan(Self.document, at: items[0]))
        #expect(block.string("type") == "text")
        #expect(block.string("text") == "a \"quoted\" é")
        let tool = try #require(JSONObjectScan(Self.document, at: items[1]))
        #expect(tool.value("input") == ["k": [1, 2]])
        #expect(tool.items("input") == nil, "an object is not an array")
        #expect(JSONObjectScan(Self.document, at: items[2]) == nil, "a number is not an object")
        #expect(JSONObjectScan(Self.document, at: items[5])?.members.isEmpty == true)
        #expect(JSONObjectScan.items(of: items[4], in: Self.document) == [])
        #expect(top.object("content") == nil, "an array is not an object")
        #expect(top.items("missing") == nil)
    }

    @Test("counts as JSONValue.intValue reads them: plain digits without parsing, anything else parsed")
    func counts() throws {
        let top = try #require(JSONObjectScan(Self.document))
        let usage = try #require(top.object("usage"))
        #expect(usage.int("input_tokens") == 48)
        #expect(usage.int("output_tokens") == 5)
        #expect(usage.int("cache_read_input_tokens") == nil)
        #expect(usage.int("absent") == nil)
        #expect(top.int("n") == -3)
        #expect(top.int("x") == 100)
        #expect(top.int("f") == nil)
    }

    @Test("every scalar reads as JSONValue.parse reads it; objects and arrays are not scalars")
    func scalars() throws {
        let top = try #require(JSONObjectScan(Self.document))
        let parsed = try #require(JSONValue.parse(Self.document)?.objectValue)
        for member in top.members {
            let key = top.key(member)
            switch parsed[key] {
            case .object?, .array?: #expect(top.scalar(at: member.value) == nil, "\(key)")
            default: #expect(top.scalar(at: member.value) == parsed[key], "\(key)")
            }
        }
    }

    @Test("a scanned string the parse refuses (a lone surrogate) is no scalar")
    func refusedString() throws {
        let bytes = Array(#"{"a":"\ud800","b":"\ud83d\ude00"}"#.utf8)
        let top = try #require(JSONObjectScan(bytes))
        #expect(top.scalar(at: try #require(top.member("a")).value) == nil)
        #expect(top.scalar(at: try #require(top.member("b")).value) == .string("😀"))
    }

    @Test("the writer puts commas between values at every depth, and its text parses to what was written")
    func writer() throws {
        var json = JSONWriter()
        json.beginObject()
        json.key("model")
        json.string("c \"q\"\n")
        json.key("messages")
        json.beginArray()
        json.beginObject()
        json.key("role")
        json.string("user")
        json.endObject()
        json.beginObject()
        json.endObject()
        json.int(-4)
        json.endArray()
        json.key("t")
        json.double(0.25)
        json.key("whole")
        json.double(3)
        json.key("flag")
        json.bool(false)
        json.key("dynamic \"key\"")
        json.value(["nested": [1, "x", nil]])
        json.key("empty")
        json.beginArray()
        json.endArray()
        json.endObject()
        #expect(json.isValid)
        #expect(
            String(decoding: json.bytes, as: UTF8.self)
                == #"{"model":"c \"q\"\n","messages":[{"role":"user"},{},-4],"t":0.25,"whole":3,"flag":false,"dynamic \"key\"":{"nested":[1,"x",null]},"empty":[]}"#
        )
        let expected: JSONValue = [
            "model": "c \"q\"\n", "messages": [["role": "user"], [:], -4], "t": 0.25, "whole": 3, "flag": false,
            "dynamic \"key\"": ["nested": [1, "x", nil]], "empty": [],
        ]
        #expect(JSONValue.parse(json.bytes) == expected)
    }

    @Test("a number JSON cannot hold marks the text invalid", arguments: [Double.nan, .infinity, -.infinity])
    func invalidNumber(_ number: Double) {
        var json = JSONWriter()
        json.beginObject()
        json.key("temperature")
        json.double(number)
        json.endObject()
        #expect(!json.isValid)
        var nested = JSONWriter()
        nested.value(["a": [.double(number)]])
        #expect(!nested.isValid)
    }
}
