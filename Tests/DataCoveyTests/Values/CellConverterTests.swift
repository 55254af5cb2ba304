import MariaDB
import XCTest
@testable import DataCovey

/// The one converter per column type: what each spelling becomes, byte for byte, and why what
/// is refused is refused. The end-to-end suite (`ValueConformanceTests`) runs the same cases
/// through the three write paths.
final class CellConverterTests: XCTestCase {
    /// Records what the converter hands over, as text.
    private struct RecordingSink: CellSink {
        var written = ""
        mutating func appendPlain(_ bytes: UnsafeBufferPointer<UInt8>) { written += "plain:" + String(decoding: bytes, as: UTF8.self) }
        mutating func appendText(_ bytes: UnsafeBufferPointer<UInt8>) { written += "text:" + String(decoding: bytes, as: UTF8.self) }
        mutating func appendBool(_ value: Bool) { written += "bool:\(value)" }
        mutating func appendDateTime(_ value: MariaDBDateTime) {
            var bytes: [UInt8] = []
            ByteText.dateTime(value, separator: 0x20, fractionDigits: 6, into: &bytes)
            written += "time:" + String(decoding: bytes, as: UTF8.self)
        }
    }

    /// A CSV field's outcome: what is written, or `refused: reason`.
    private func csv(_ text: String, _ type: ColumnType) -> String {
        Array(text.utf8).withUnsafeBufferPointer { bytes in
            var sink = RecordingSink()
            if let problem = CellConverter.convert(.text(bytes), to: type, into: &sink) { return "refused: " + problem.message }
            return sink.written
        }
    }

    /// A JSON member's outcome, the literal scanned as the rows API and NDJSON imports do.
    private func json(_ literal: String, _ type: ColumnType) throws -> String {
        let line = Array("{\"v\":\(literal)}".utf8)
        return try line.withUnsafeBufferPointer { bytes in
            var scanner = JSONScanner(bytes)
            guard case .success(let row) = RowObject.read(&scanner, columns: .init(["v"])), let member = row.members[0] else {
                throw XCTSkip("not an object with v")
            }
            var scratch: [UInt8] = []
            return RowObject.withInput(member, in: scanner, scratch: &scratch) { input in
                guard let input else { return "null" }
                var sink = RecordingSink()
                if let problem = CellConverter.convert(input, to: type, into: &sink) { return "refused: " + problem.message }
                return sink.written
            }
        }
    }

    func testIntegersAreExactAndNeverRounded() throws {
        XCTAssertEqual(csv("42", .int64), "plain:42")
        XCTAssertEqual(csv("-9223372036854775808", .int64), "plain:-9223372036854775808")
        XCTAssertEqual(csv("9223372036854775807", .int64), "plain:9223372036854775807")
        XCTAssertEqual(csv("9223372036854775808", .int64), "refused: is out of range for int64 (-9223372036854775808 to 9223372036854775807)")
        XCTAssertEqual(csv("-9223372036854775809", .int64), "refused: is out of range for int64 (-9223372036854775808 to 9223372036854775807)")
        XCTAssertEqual(csv("+7", .int64), "plain:7")
        XCTAssertEqual(csv("007", .int64), "plain:7")
        XCTAssertEqual(csv("-0", .int64), "plain:0")
        XCTAssertEqual(csv("1.0", .int64), "refused: must be an integer, written without a decimal point or exponent")
        XCTAssertEqual(csv("1e3", .int64), "refused: must be an integer, written without a decimal point or exponent")
        XCTAssertEqual(csv(" 1", .int64), "refused: must be an integer")
        XCTAssertEqual(try json("9007199254740993", .int64), "plain:9007199254740993")
        XCTAssertEqual(try json("9007199254740993.0", .int64), "refused: must be an integer, written without a decimal point or exponent")
        XCTAssertEqual(try json("-9223372036854775809", .int64), "refused: is out of range for int64 (-9223372036854775808 to 9223372036854775807)")
        XCTAssertEqual(try json("\"12\"", .int64), "plain:12", "a JSON string holding an integer, as CSV gives it")
        XCTAssertEqual(try json("true", .int64), "refused: must be a number, not true")
    }

    func testDecimalsKeepEveryDigitOrAreRefused() throws {
        let wide = ColumnType.decimal(precision: 30, scale: 10)
        XCTAssertEqual(try json("1234567890123.0123456789", wide), "plain:1234567890123.0123456789")
        XCTAssertEqual(csv("1234567890123.0123456789", wide), "plain:1234567890123.0123456789")
        let money = ColumnType.decimal(precision: 10, scale: 2)
        XCTAssertEqual(csv("12.50", money), "plain:12.50")
        XCTAssertEqual(csv("+1.5", money), "plain:1.5")
        XCTAssertEqual(csv(".5", money), "plain:0.5")
        XCTAssertEqual(csv("00001.50", money), "plain:1.5")
        XCTAssertEqual(csv("1e2", money), "plain:100")
        XCTAssertEqual(csv("1.25E1", money), "plain:12.5")
        XCTAssertEqual(csv("-0.00", money), "plain:0")
        XCTAssertEqual(csv("1.500", money), "plain:1.5", "a zero past the scale loses nothing")
        XCTAssertEqual(csv("1.505", money), "refused: has more than 2 decimal places, the most decimal(10,2) keeps")
        XCTAssertEqual(csv("123456789", money), "refused: is out of range for decimal(10,2)")
        XCTAssertEqual(csv("1e9", money), "refused: is out of range for decimal(10,2)")
        XCTAssertEqual(csv("1e-3", money), "refused: has more than 2 decimal places, the most decimal(10,2) keeps")
        XCTAssertEqual(csv("abc", money), "refused: must be a decimal number")
        XCTAssertEqual(csv("1.2.3", money), "refused: must be a decimal number")
        XCTAssertEqual(try json("12.5", money), "plain:12.5")
    }

    func testFloatsAreFiniteNumbersWrittenInDecimal() throws {
        XCTAssertEqual(csv("0.1", .float64), "plain:0.1")
        XCTAssertEqual(csv("-2.5e-3", .float64), "plain:-2.5e-3")
        XCTAssertEqual(csv("+1", .float64), "plain:1")
        XCTAssertEqual(csv("-0.0", .float64), "plain:-0.0")
        XCTAssertEqual(csv("1e308", .float64), "plain:1e308")
        XCTAssertEqual(csv("1e309", .float64), "refused: is out of range for float64")
        XCTAssertEqual(csv("1e-400", .float64), "refused: is too small for float64: it would be stored as 0")
        XCTAssertEqual(csv("NaN", .float64), "refused: must be a finite number: NaN and infinities cannot be stored")
        XCTAssertEqual(csv("-Infinity", .float64), "refused: must be a finite number: NaN and infinities cannot be stored")
        XCTAssertEqual(csv("0x1p3", .float64), "refused: must be a number")
        XCTAssertEqual(try json("1e309", .float64), "refused: is out of range for float64")
    }

    func testBooleansHaveOneSetOfSpellingsOnEveryPath() throws {
        for word in ["true", "TRUE", "t", "yes", "Y", "on", "1"] {
            XCTAssertEqual(csv(word, .bool), "bool:true", word)
            XCTAssertEqual(try json("\"\(word)\"", .bool), "bool:true", word)
        }
        for word in ["false", "F", "no", "n", "OFF", "0"] { XCTAssertEqual(csv(word, .bool), "bool:false", word) }
        XCTAssertEqual(try json("true", .bool), "bool:true")
        XCTAssertEqual(try json("1", .bool), "bool:true")
        XCTAssertEqual(try json("0", .bool), "bool:false")
        XCTAssertEqual(try json("2", .bool), "refused: must be true or false (also t/f, yes/no, y/n, on/off, 1/0)")
        XCTAssertEqual(try json("1.0", .bool), "refused: must be true or false (also t/f, yes/no, y/n, on/off, 1/0)")
        XCTAssertEqual(csv("maybe", .bool), "refused: must be true or false (also t/f, yes/no, y/n, on/off, 1/0)")
    }

    func testStringsCountCharactersAsMariaDBDoesAndAreNeverCut() throws {
        let combining = String(repeating: "e\u{301}", count: 127)
        XCTAssertEqual(csv(combining, .string), "text:" + combining, "254 code points fit")
        XCTAssertEqual(csv(String(repeating: "e\u{301}", count: 128), .string),
                       "refused: has 256 characters; a string holds at most 255 (use text)")
        for character in ["a", "é", "€", "😀"] {
            let full = String(repeating: character, count: 255)
            XCTAssertEqual(csv(full, .string), "text:" + full)
            XCTAssertEqual(try json("\"\(full)\"", .string), "text:" + full)
            XCTAssertEqual(csv(full + character, .string), "refused: has 256 characters; a string holds at most 255 (use text)")
        }
        XCTAssertEqual(try json(#""\r\n\r\n""#, .string), "text:\r\n\r\n")
        XCTAssertEqual(try json("12", .string), "refused: must be a string, not a number")
        XCTAssertEqual(csv(String(decoding: [0xC3, 0x28], as: UTF8.self), .string).hasPrefix("text:"), true,
                       "a Swift String is valid UTF-8 by construction")
        [UInt8]([0x61, 0xC3, 0x28]).withUnsafeBufferPointer { bytes in
            var sink = RecordingSink()
            XCTAssertEqual(CellConverter.convert(.text(bytes), to: .text, into: &sink)?.message, "is not valid UTF-8")
        }
    }

    func testDatesAndTimestampsStayInRangeAndKeepMicroseconds() throws {
        XCTAssertEqual(csv("2026-02-28", .date), "plain:2026-02-28")
        XCTAssertEqual(csv("0001-01-01", .date), "plain:0001-01-01")
        XCTAssertEqual(csv("2026-02-30", .date), "refused: is not a day of the calendar between 0001-01-01 and 9999-12-31")
        XCTAssertEqual(csv("0000-01-01", .date), "refused: is not a day of the calendar between 0001-01-01 and 9999-12-31")
        XCTAssertEqual(csv("25/11/2026", .date), "refused: must be a date like 2026-11-25")
        XCTAssertEqual(csv("2026-11-26T08:00:00.123456Z", .timestamp), "time:2026-11-26 08:00:00.123456")
        XCTAssertEqual(csv("2026-11-26T08:00:00+02:00", .timestamp), "time:2026-11-26 06:00:00.000000")
        XCTAssertEqual(csv("2026-01-01T01:00:00+02:00", .timestamp), "time:2025-12-31 23:00:00.000000")
        XCTAssertEqual(csv("9999-12-31T23:59:59.999999Z", .timestamp), "time:9999-12-31 23:59:59.999999")
        XCTAssertEqual(csv("9999-12-31T23:59:59-01:00", .timestamp),
                       "refused: is out of range in UTC (0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z)")
        XCTAssertEqual(csv("0001-01-01T00:00:00+01:00", .timestamp),
                       "refused: is out of range in UTC (0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z)")
        XCTAssertEqual(csv("2026-11-26T08:00:00.1234567Z", .timestamp),
                       "refused: has more than 6 fractional digits: a timestamp keeps microseconds")
        XCTAssertEqual(csv("2026-11-26T08:00:00.1234560Z", .timestamp), "time:2026-11-26 08:00:00.123456")
        XCTAssertEqual(try json("\"2026-11-26 08:00:00\"", .timestamp), "time:2026-11-26 08:00:00.000000")
    }

    func testJSONIsKeptAsWrittenAndNestsAtMost31Levels() throws {
        XCTAssertEqual(try json(#"{"b": 1, "a": 100000000000000000000}"#, .json), #"text:{"b": 1, "a": 100000000000000000000}"#)
        XCTAssertEqual(csv(#"{"b": 1, "a": 1.50}"#, .json), #"text:{"b": 1, "a": 1.50}"#)
        XCTAssertEqual(try json("1.50", .json), "text:1.50")
        XCTAssertEqual(try json(#""x\u0041""#, .json), #"text:"x\u0041""#)
        XCTAssertEqual(try json("true", .json), "text:true")
        XCTAssertEqual(try json("null", .json), "null", "JSON null is SQL NULL")
        XCTAssertTrue([UInt8]("null".utf8).withUnsafeBufferPointer { CellConverter.isJSONNull($0, for: .json) })
        func nested(_ depth: Int) -> String { String(repeating: "[", count: depth) + String(repeating: "]", count: depth) }
        XCTAssertEqual(try json(nested(31), .json), "text:" + nested(31))
        XCTAssertEqual(try json(nested(32), .json), "refused: is nested 32 levels deep; JSON in MariaDB may nest at most 31")
        XCTAssertEqual(csv(nested(33), .json), "refused: is nested 33 levels deep; JSON in MariaDB may nest at most 31")
        XCTAssertEqual(csv(nested(1000), .json), "refused: is nested 1000 levels deep; JSON in MariaDB may nest at most 31")
        XCTAssertEqual(csv("[1,]", .json), "refused: must be JSON: it has a trailing comma (at byte 4)")
        XCTAssertEqual(csv(#"{"a":1,}"#, .json), "refused: must be JSON: it has a trailing comma (at byte 8)")
        XCTAssertEqual(csv("{'a':1}", .json), "refused: must be JSON: it expected a member name in quotes (at byte 2)")
        XCTAssertEqual(csv("01", .json), "refused: must be JSON: it has a number with a leading zero (at byte 1)")
    }

    /// Query parameters and saved-query defaults (decoded JSON) bind by the same converter.
    func testDecodedJSONValuesBindByTheSameRules() {
        func bound(_ value: JSONValue, _ type: ColumnType) -> String {
            switch RowValueCodec.bind(value, for: type) {
            case .success(let bind): "\(bind)"
            case .failure(let problem): "refused: " + problem.message
            }
        }
        XCTAssertEqual(bound(.integer(1), .bool), "\(MariaDBValue.int(1))")
        XCTAssertEqual(bound(.string("yes"), .bool), "\(MariaDBValue.int(1))")
        XCTAssertEqual(bound(.integer(2), .bool), "refused: must be true or false (also t/f, yes/no, y/n, on/off, 1/0)")
        XCTAssertEqual(bound(.number(0.5), .decimal(precision: 10, scale: 2)), "\(MariaDBValue.text("0.5"))")
        XCTAssertEqual(bound(.number(1.5), .int64), "refused: must be an integer, written without a decimal point or exponent")
        XCTAssertEqual(bound(.string("x"), .json), "\(MariaDBValue.text("\"x\""))")
        XCTAssertEqual(bound(.null, .int64), "\(MariaDBValue.null)")
    }
}
