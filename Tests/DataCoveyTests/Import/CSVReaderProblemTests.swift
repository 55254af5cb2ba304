import XCTest
@testable import DataCovey

/// Input that is not well-formed CSV: row-level problems come back on the record and the reader
/// goes on; an unterminated quote or an oversized record stops it with an error.
final class CSVReaderProblemTests: XCTestCase {
    func testQuoteInUnquotedFieldMakesTheRecordMalformed() {
        assertCSV("a,5\" screen,c\nnext,row\n", yields: [
            ExpectedRecord(line: 1, ["a", "5\" screen", "c"], malformation: .unexpectedQuote),
            ExpectedRecord(line: 2, ["next", "row"]),
        ])
        XCTAssertEqual(CSVMalformation.unexpectedQuote.rawValue,
                       "a quote inside a field that does not start with one (a field is quoted only when the quote is its first character, with no space before it)")
    }

    func testTextAfterClosingQuoteMakesTheRecordMalformed() {
        assertCSV("\"a\"b,c\n\"d\" ,e\nf\n", yields: [
            // Best effort: the stray text is kept with the field, up to the delimiter.
            ExpectedRecord(line: 1, [.quoted("ab"), "c"], malformation: .textAfterClosingQuote),
            ExpectedRecord(line: 2, [.quoted("d "), "e"], malformation: .textAfterClosingQuote),
            ExpectedRecord(line: 3, ["f"]),
        ])
        XCTAssertEqual(CSVMalformation.textAfterClosingQuote.rawValue,
                       "text after the closing quote of a quoted field (a quote inside a quoted field is written twice: \"\")")
    }

    func testCarriageReturnAfterClosingQuoteEndsTheLine() {
        assertCSV("\"a\"\rb,c\n\"d\"\r,e\r\n", yields: [
            ExpectedRecord(line: 1, [.quoted("a")]),
            ExpectedRecord(line: 2, ["b", "c"]),
            ExpectedRecord(line: 3, [.quoted("d")]),
            ExpectedRecord(line: 4, ["", "e"]),
        ])
    }

    func testAMalformationNamesItsField() throws {
        let reader = try CSVReader(source: MemoryByteSource("1, \"a\"\n\"b\"c,2,3\n"))
        let first = try XCTUnwrap(reader.next())
        XCTAssertEqual(first.malformation, .unexpectedQuote)
        XCTAssertEqual(first.malformedField, 1)
        let second = try XCTUnwrap(reader.next())
        XCTAssertEqual(second.malformation, .textAfterClosingQuote)
        XCTAssertEqual(second.malformedField, 0)
    }

    func testQuotesAfterAProblemAreData() {
        assertCSV("\"a\"b\"c\"\nd\n", yields: [
            ExpectedRecord(line: 1, [.quoted("ab\"c\"")], malformation: .textAfterClosingQuote),
            ExpectedRecord(line: 2, ["d"]),
        ])
    }

    func testTheFirstProblemIsTheReason() {
        assertCSV("a\"b,\"c\"d\n\"e\"f,g\"h\n", yields: [
            ExpectedRecord(line: 1, ["a\"b", .quoted("cd")], malformation: .unexpectedQuote),
            ExpectedRecord(line: 2, [.quoted("ef"), "g\"h"], malformation: .textAfterClosingQuote),
        ])
    }

    func testMalformedRecordsAfterMultiLineRecordsHaveTheirOwnLines() {
        assertCSV("\"x\ny\nz\",1\nbad\"quote,2\n\"multi\r\nline\",3\r\n\"p\"q,4\nok,5", yields: [
            ExpectedRecord(line: 1, [.quoted("x\ny\nz"), "1"]),
            ExpectedRecord(line: 4, ["bad\"quote", "2"], malformation: .unexpectedQuote),
            ExpectedRecord(line: 5, [.quoted("multi\r\nline"), "3"]),
            ExpectedRecord(line: 7, [.quoted("pq"), "4"], malformation: .textAfterClosingQuote),
            ExpectedRecord(line: 8, ["ok", "5"]),
        ])
    }

    func testMalformedRecordMayOpenAQuotedFieldLater() {
        // A quote at the start of a later field still opens a quoted field, line breaks and all.
        assertCSV("a\"b,\"c\nd\"\ne\n", yields: [
            ExpectedRecord(line: 1, ["a\"b", .quoted("c\nd")], malformation: .unexpectedQuote),
            ExpectedRecord(line: 3, ["e"]),
        ])
    }

    func testUnterminatedQuotedFieldThrowsNamingTheLineItStartedOn() {
        assertCSV(Array("a,b\nc,\"d\ne\nf".utf8), yields: [
            ExpectedRecord(line: 1, ["a", "b"]),
        ], throws: .unterminatedQuotedField(line: 2))
        assertCSV(Array("\u{FEFF}\"abc".utf8), yields: [], throws: .unterminatedQuotedField(line: 1))
        assertCSV(Array("\"a\"\"".utf8), yields: [], throws: .unterminatedQuotedField(line: 1))
        // The line of the open field, not of the record, which started a line earlier.
        assertCSV(Array("\n\"ok\nstill\",\"open\nx".utf8), yields: [], throws: .unterminatedQuotedField(line: 3))
        XCTAssertEqual(
            StreamingReaderError.unterminatedQuotedField(line: 2).description,
            "unterminated quoted field starting on line 2")
    }

    func testRecordsOverTheSizeCapThrow() {
        let options = CSVReader.Options(maxRecordBytes: 10)
        // Exactly 10 bytes, line ends not counted.
        assertCSV("0123456789\n0123,56789\r\n\"12345678\"\n", options: options, yields: [
            ExpectedRecord(line: 1, ["0123456789"]),
            ExpectedRecord(line: 2, ["0123", "56789"]),
            ExpectedRecord(line: 3, [.quoted("12345678")]),
        ])
        assertCSV(Array("ok\n\n0123456789a\nnext\n".utf8), options: options, yields: [
            ExpectedRecord(line: 1, ["ok"]),
        ], throws: .recordTooLarge(line: 3, limit: 10))
        // Quotes and delimiters count: the cap is on input bytes.
        assertCSV(Array("\"123456789\"\n".utf8), options: options, yields: [], throws: .recordTooLarge(line: 1, limit: 10))
        assertCSV(Array(",,,,,,,,,,,\n".utf8), options: options, yields: [], throws: .recordTooLarge(line: 1, limit: 10))
        assertCSV("0123456789\r\r\n", options: options, yields: [ExpectedRecord(line: 1, ["0123456789"])])
        assertCSV(Array("0123456789a\r".utf8), options: options, yields: [], throws: .recordTooLarge(line: 1, limit: 10))
        assertCSV(Array("a\n0123456789a".utf8), options: options, yields: [
            ExpectedRecord(line: 1, ["a"]),
        ], throws: .recordTooLarge(line: 2, limit: 10))
        XCTAssertEqual(
            StreamingReaderError.recordTooLarge(line: 3, limit: 10).description,
            "record starting on line 3 is longer than 10 bytes")
    }

    func testMissingClosingQuoteHitsTheSizeCapInsteadOfEatingTheFile() throws {
        let options = CSVReader.Options(maxRecordBytes: 64)
        let rest = (1...100).map { "row \($0),value\n" }.joined()
        assertCSV(Array("a,b\n\"open,\(rest)".utf8), options: options, yields: [
            ExpectedRecord(line: 1, ["a", "b"]),
        ], throws: .recordTooLarge(line: 2, limit: 64))

        // With default chunks the reader stops within a chunk of the cap, not at the end of the input.
        let source = MemoryByteSource(Array("\"".utf8) + Array(repeating: UInt8(ascii: "x"), count: 8 << 20))
        let reader = try CSVReader(source: source, options: .init(maxRecordBytes: 1 << 20, chunkSize: 1 << 16))
        XCTAssertThrowsError(try reader.next()) {
            XCTAssertEqual($0 as? StreamingReaderError, .recordTooLarge(line: 1, limit: 1 << 20))
        }
        XCTAssertLessThanOrEqual(reader.bytesRead, (1 << 20) + (1 << 16) * 2)
    }

    func testInvalidOptionsAreRefused() {
        let cases: [(CSVReader.Options, String)] = [
            (.init(delimiter: UInt8(ascii: "\""), quote: UInt8(ascii: "\"")), "the delimiter and the quote must differ"),
            (.init(delimiter: UInt8(ascii: "\n")), "the delimiter cannot be a line break"),
            (.init(quote: UInt8(ascii: "\r")), "the quote cannot be a line break"),
            (.init(delimiter: 0xC3), "the delimiter must be an ASCII character"),
            (.init(maxRecordBytes: 0), "maxRecordBytes must be positive"),
            (.init(chunkSize: 0), "chunkSize must be positive"),
        ]
        for (options, reason) in cases {
            XCTAssertEqual(options.problem, reason)
            XCTAssertThrowsError(try CSVReader(source: MemoryByteSource(""), options: options)) {
                XCTAssertEqual($0 as? StreamingReaderError, .invalidOptions(reason))
            }
        }
        XCTAssertNil(CSVReader.Options().problem)
        XCTAssertEqual(StreamingReaderError.invalidOptions("x").description, "invalid reader options: x")
    }

    func testSourceErrorsPassThroughAndRepeat() throws {
        let reader = try CSVReader(source: FailingByteSource(prefix: Array("a,b\nc".utf8)))
        XCTAssertEqual(try reader.next().map(ExpectedRecord.init), ExpectedRecord(line: 1, ["a", "b"]))
        XCTAssertThrowsError(try reader.next()) { XCTAssertTrue($0 is FailingByteSource.Failure) }
        XCTAssertThrowsError(try reader.next()) { XCTAssertTrue($0 is FailingByteSource.Failure) }
    }
}

/// Serves some bytes, then fails the way a disk read can.
private struct FailingByteSource: ByteSource {
    struct Failure: Error {}
    var prefix: [UInt8]
    private(set) var bytesRead: Int64 = 0

    init(prefix: [UInt8]) { self.prefix = prefix }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !prefix.isEmpty else { throw Failure() }
        let count = min(buffer.count, prefix.count)
        buffer.copyBytes(from: prefix.prefix(count))
        prefix.removeFirst(count)
        bytesRead += Int64(count)
        return count
    }
}
