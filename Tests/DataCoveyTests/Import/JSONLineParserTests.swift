@testable import DataCovey
import Foundation
import XCTest

/// The hand-written line parser against JSONDecoder's `JSONValue`, which it replaced.
final class JSONLineParserTests: XCTestCase {
    private func parsed(_ text: String) -> JSONValue? { JSONLineParser.parse(Array(text.utf8)) }
    private func decoded(_ text: String) -> JSONValue? { try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) }

    func testValidLinesParseAsJSONDecoderDecodesThem() {
        let lines = [
            #"{"a": 1, "b": -2, "c": 0, "d": 9223372036854775807, "e": -9223372036854775808}"#,
            #"{"big": 9223372036854775808, "f": 1.5, "g": -0.25e-3, "h": 1E+2, "i": 0.0}"#,
            #"{"t": true, "f": false, "n": null, "s": "", "arr": [1, "x", [], {}], "o": {"k": {"deep": [null]}}}"#,
            #"{"esc": "q\" b\\ s\/ \b\f\n\r\t", "u": "\u00e9\u4e2d\ud83d\ude00", "raw": "ünïcødé ✓ 😀"}"#,
            #"  {"spaced" :  [ 1 , 2 ] }  "#,
            #"[1, 2]"#, #""just a string""#, "42", "true", "null",
        ]
        for line in lines {
            XCTAssertNotNil(parsed(line), line)
            XCTAssertEqual(parsed(line), decoded(line), line)
        }
    }

    func testInvalidLinesAreRefused() {
        let lines = [
            "", "{", "{\"a\"}", "{\"a\": }", "{\"a\": 1,}", "[1,]", "{'a': 1}", "{\"a\": 01}", "{\"a\": 1.}", "{\"a\": .5}",
            "{\"a\": -}", "{\"a\": 1e}", "{\"a\": +1}", "{\"a\": tru}", "{\"a\": nul}", "{\"a\": \"\\x\"}", "{\"a\": \"\\u12\"}",
            "{\"a\": \"\\ud800\"}", "{\"a\": \"\\udc00\"}", "{\"a\": \"tab\there\"}", "{\"a\": 1} {\"b\": 2}", "{\"a\": NaN}",
            "{\"a\": 1e999}", String(repeating: "[", count: 600) + String(repeating: "]", count: 600),
        ]
        for line in lines { XCTAssertNil(parsed(line), line.prefix(40).description) }
        XCTAssertNil(JSONLineParser.parse([0x22, 0xC3, 0x28, 0x22]), "invalid UTF-8 inside a string")
        XCTAssertNil(JSONLineParser.parse([0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]), "invalid UTF-8 in a key")
    }
}
