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
