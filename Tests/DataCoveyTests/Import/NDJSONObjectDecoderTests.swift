import XCTest
@testable import DataCovey

final class NDJSONObjectDecoderTests: XCTestCase {
    private let decoder = NDJSONObjectDecoder()

    func testObjectLinesDecodeToTheirMembers() {
        let line = #"{"id": 7, "price": 1.5, "name": "Ada", "ok": true, "gone": null, "tags": ["a", 2], "at": {"x": -1}}"#
        XCTAssertEqual(decode(line), .success([
            "id": .integer(7),
            "price": .number(1.5),
            "name": .string("Ada"),
            "ok": .bool(true),
            "gone": .null,
            "tags": .array([.string("a"), .integer(2)]),
            "at": .object(["x": .integer(-1)]),
        ]))
        XCTAssertEqual(decode("{}"), .success([:]))
        XCTAssertEqual(decode(" {\"a\": \"é\\n\"} "), .success(["a": .string("é\n")]))
    }

    func testNumbersAreIntegersWhenTheyFitInt64() {
        XCTAssertEqual(decode(#"{"max": 9223372036854775807, "over": 9223372036854775808, "min": -9223372036854775808}"#), .success([
            "max": .integer(.max),
            "over": .number(9223372036854775808),
            "min": .integer(.min),
        ]))
    }

    func testLinesThatAreOtherJSONAreNotObjects() {
        for line in ["[1, 2]", "42", "\"text\"", "null", "true", "[{\"a\": 1}]"] {
            XCTAssertEqual(decode(line), .failure(.notAnObject), line)
        }
        XCTAssertEqual(NDJSONLineProblem.notAnObject.rawValue, "line is not a JSON object")
    }

    func testLinesThatAreNotJSONAreInvalid() {
        for line in ["{", "{\"a\": }", "nope", "{\"a\": 1} x", "{\"a\": 1}{}", "{'a': 1}"] {
            XCTAssertEqual(decode(line), .failure(.invalidJSON), line)
        }
        XCTAssertEqual(decoder.decodeObject([0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]), .failure(.invalidJSON), "not UTF-8")
        XCTAssertEqual(NDJSONLineProblem.invalidJSON.rawValue, "line is not valid JSON")
    }

    func testDecodingAReadLine() throws {
        let reader = try NDJSONLineReader(source: MemoryByteSource("\n{\"a\": 1}\n[1]\n"))
        let first = try XCTUnwrap(reader.next())
        XCTAssertEqual(first.line, 2)
        XCTAssertEqual(decoder.decode(first), .success(["a": .integer(1)]))
        let second = try XCTUnwrap(reader.next())
        XCTAssertEqual(second.line, 3)
        XCTAssertEqual(decoder.decode(second), .failure(.notAnObject))
        XCTAssertNil(try reader.next())
    }

    private func decode(_ line: String) -> Result<[String: JSONValue], NDJSONLineProblem> {
        decoder.decodeObject(Array(line.utf8))
    }
}
