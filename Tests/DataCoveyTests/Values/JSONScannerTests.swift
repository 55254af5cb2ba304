import XCTest
@testable import DataCovey

final class JSONScannerTests: XCTestCase {
    private func document(_ text: String) -> String {
        [UInt8](text.utf8).withUnsafeBufferPointer { bytes in
            do {
                let value = try JSONScanner.document(bytes)
                return "\(value.kind) depth \(value.depth)"
            } catch let error as JSONScanner.Failure {
                return "\(error.reason) at \(error.offset)"
            } catch {
                return "\(error)"
            }
        }
    }

    func testValuesAreCheckedWhereTheyLie() {
        XCTAssertEqual(document(#" {"a": [1, {"b": null}], "c": "x"} "#), "object depth 3")
        XCTAssertEqual(document("[]"), "array depth 1")
        XCTAssertEqual(document("-0.5e+3"), "number depth 0")
        XCTAssertEqual(document(#""\ud83d\ude00""#), "string depth 0")
        XCTAssertEqual(document("[1,]"), "has a trailing comma at 3")
        XCTAssertEqual(document(#"{"a":1,}"#), "has a trailing comma at 7")
        XCTAssertEqual(document("[1 2]"), "expected ',' or ']' at 3")
        XCTAssertEqual(document("[1"), "ends before the JSON value is closed at 2")
        XCTAssertEqual(document(#""\ud83d""#), "has a lone surrogate in a \\u escape at 0")
        XCTAssertEqual(document(#""\x""#), "has an unknown escape \\x at 1")
        XCTAssertEqual(document("\"a\u{1}\""), "has a control character inside a string at 2")
        XCTAssertEqual(document("1 2"), "has more after the JSON value at 2")
        XCTAssertEqual(document("NaN"), "expected a value at 0")
        XCTAssertEqual(document(String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)), "array depth 100000",
                       "depth is counted, not recursed into")
    }

    /// The lines the hand-written parser it replaced was tested with: RFC 8259 and nothing else.
    func testEveryLineOfJSONIsAcceptedAndAnythingElseRefused() {
        let valid = [
            #"{"a": 1, "b": -2, "c": 0, "d": 9223372036854775807, "e": -9223372036854775808}"#,
            #"{"big": 9223372036854775808, "f": 1.5, "g": -0.25e-3, "h": 1E+2, "i": 0.0}"#,
            #"{"t": true, "f": false, "n": null, "s": "", "arr": [1, "x", [], {}], "o": {"k": {"deep": [null]}}}"#,
            #"{"esc": "q\" b\\ s\/ \b\f\n\r\t", "u": "\u00e9\u4e2d\ud83d\ude00", "raw": "ünïcødé ✓ 😀"}"#,
            #"  {"spaced" :  [ 1 , 2 ] }  "#, #"[1, 2]"#, #""just a string""#, "42", "true", "null", "1e999",
        ]
        for line in valid { XCTAssertFalse(document(line).contains(" at "), "\(line): \(document(line))") }
        let invalid = [
            "", "{", "{\"a\"}", "{\"a\": }", "{\"a\": 1,}", "[1,]", "{'a': 1}", "{\"a\": 01}", "{\"a\": 1.}", "{\"a\": .5}",
            "{\"a\": -}", "{\"a\": 1e}", "{\"a\": +1}", "{\"a\": tru}", "{\"a\": nul}", "{\"a\": \"\\x\"}", "{\"a\": \"\\u12\"}",
            "{\"a\": \"\\ud800\"}", "{\"a\": \"\\udc00\"}", "{\"a\": \"tab\there\"}", "{\"a\": 1} {\"b\": 2}", "{\"a\": NaN}",
        ]
        for line in invalid { XCTAssertTrue(document(line).contains(" at "), "\(line.prefix(40)) was accepted") }
        for bytes in [[0x22, 0xC3, 0x28, 0x22], [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]] as [[UInt8]] {
            XCTAssertThrowsError(try bytes.withUnsafeBufferPointer { try JSONScanner.document($0) }, "invalid UTF-8")
        }
    }

    func testRowObjectsMatchColumnsWithoutCaseAndRefuseTwoForOne() {
        func read(_ text: String) -> String {
            [UInt8](text.utf8).withUnsafeBufferPointer { bytes in
                var scanner = JSONScanner(bytes)
                switch RowObject.read(&scanner, columns: .init(["id", "V"])) {
                case .success(let row):
                    let given = row.members.map { $0.map { String(decoding: scanner.literal(of: $0), as: UTF8.self) } ?? "-" }
                    return given.joined(separator: ",") + (row.problems.isEmpty ? "" : " " + row.problems.map { $0.reason.message }.joined(separator: "; "))
                case .failure(let problem):
                    return problem.reason.message
                }
            }
        }
        XCTAssertEqual(read(#"{"ID": 1, "v": "x"}"#), #"1,"x""#)
        XCTAssertEqual(read(#"{"id": 1, "v": 1, "V": 2}"#), "1,1 is given twice (member names match columns without regard to case)")
        XCTAssertEqual(read(#"{"id": 1, "id": 2}"#), "1,- is given twice (member names match columns without regard to case)")
        XCTAssertEqual(read(#"{"id": 1, "w": 2}"#), "1,- is not a column of the table")
        XCTAssertEqual(read(#"{"id": 1,}"#), "is not valid JSON: it has a trailing comma (at byte 10)")
        XCTAssertEqual(read("[1]"), "is not a JSON object")
    }
}
