import XCTest
@testable import DataCovey

/// The CSV dialect: what a well-formed input reads as. Every assertion runs under every chunking in
/// `chunkings`, so each case is also checked with a chunk boundary at every byte.
final class CSVReaderTests: XCTestCase {
    func testRecordsCarryTheirFieldsAndLineNumbers() {
        assertCSV("id,name,amount\n1,Ada,12.5\n2,Bob,7\n", yields: [
            ExpectedRecord(line: 1, ["id", "name", "amount"]),
            ExpectedRecord(line: 2, ["1", "Ada", "12.5"]),
            ExpectedRecord(line: 3, ["2", "Bob", "7"]),
        ])
    }

    func testQuotedFieldsMayHoldDelimiters() {
        assertCSV("\"a,b\",c,\"d,\"\n", yields: [
            ExpectedRecord(line: 1, [.quoted("a,b"), "c", .quoted("d,")]),
        ])
    }

    func testDoubledQuotesInQuotedFieldsAreOneQuote() {
        assertCSV("\"say \"\"hi\"\"\",\"\"\"\",\"\"\"\"\"\"\"\"\n", yields: [
            ExpectedRecord(line: 1, [.quoted("say \"hi\""), .quoted("\""), .quoted("\"\"\"")]),
        ])
    }

    func testQuotedEmptyStringIsNotAnEmptyUnquotedField() {
        assertCSV(",\"\",x,\n\"\"\n", yields: [
            ExpectedRecord(line: 1, ["", .quoted(""), "x", ""]),
            // A line holding only "" is a record with one empty string, not an empty line.
            ExpectedRecord(line: 2, [.quoted("")]),
        ])
    }

    func testOnlyDelimitersAreEmptyUnquotedFields() {
        assertCSV(",\n,,\n", yields: [
            ExpectedRecord(line: 1, ["", ""]),
            ExpectedRecord(line: 2, ["", "", ""]),
        ])
    }

    func testLineFeedsInQuotesAreDataAndLinesAreStillCounted() {
        assertCSV("\"a\nb\",c\nd,\"\ne\n\n\"\nf,g\n", yields: [
            ExpectedRecord(line: 1, [.quoted("a\nb"), "c"]),
            ExpectedRecord(line: 3, ["d", .quoted("\ne\n\n")]),
            ExpectedRecord(line: 7, ["f", "g"]),
        ])
    }

    func testCRLFInQuotesIsKeptAsData() {
        assertCSV("\"a\r\nb\",c\r\nd,e\r\n", yields: [
            ExpectedRecord(line: 1, [.quoted("a\r\nb"), "c"]),
            ExpectedRecord(line: 3, ["d", "e"]),
        ])
    }

    func testCRLFLineEndsAreNotPartOfTheLastField() {
        assertCSV("a,b\r\n\"c\",\"d\"\r\ne,\r\n", yields: [
            ExpectedRecord(line: 1, ["a", "b"]),
            ExpectedRecord(line: 2, [.quoted("c"), .quoted("d")]),
            ExpectedRecord(line: 3, ["e", ""]),
        ])
    }

    func testCarriageReturnAloneEndsALine() {
        // Old spreadsheet exports (classic Mac OS) end lines in CR only.
        assertCSV("id,name\r1,Ada\r2,\"Grace\"\r3,x", yields: [
            ExpectedRecord(line: 1, ["id", "name"]),
            ExpectedRecord(line: 2, ["1", "Ada"]),
            ExpectedRecord(line: 3, ["2", .quoted("Grace")]),
            ExpectedRecord(line: 4, ["3", "x"]),
        ])
        // Mixed line ends, and empty lines in each style, are skipped but counted.
        assertCSV("a\rb\nc\r\nd\r\re\n\nf\r\n\r\ng", yields: [
            ExpectedRecord(line: 1, ["a"]),
            ExpectedRecord(line: 2, ["b"]),
            ExpectedRecord(line: 3, ["c"]),
            ExpectedRecord(line: 4, ["d"]),
            ExpectedRecord(line: 6, ["e"]),
            ExpectedRecord(line: 8, ["f"]),
            ExpectedRecord(line: 10, ["g"]),
        ])
    }

    func testCarriageReturnsInQuotesAreDataAndCountLines() {
        assertCSV("\"d\re\r\",1\r\"x\r\ny\"\rz,2\r", yields: [
            // Two lines in the quotes, then the line end: the next record starts on line 4.
            ExpectedRecord(line: 1, [.quoted("d\re\r"), "1"]),
            ExpectedRecord(line: 4, [.quoted("x\r\ny")]),
            ExpectedRecord(line: 6, ["z", "2"]),
        ])
    }

    func testLeadingByteOrderMarkIsSkipped() {
        assertCSV("\u{FEFF}name,age\n\u{FEFF}x,1\n", yields: [
            ExpectedRecord(line: 1, ["name", "age"]),
            // Only a leading one: elsewhere it is the field's text.
            ExpectedRecord(line: 2, ["\u{FEFF}x", "1"]),
        ])
        assertCSV("\u{FEFF}\"a\",b", yields: [ExpectedRecord(line: 1, [.quoted("a"), "b"])])
    }

    func testByteOrderMarkAloneIsAnEmptyInput() {
        assertCSV("\u{FEFF}", yields: [])
        assertCSV("\u{FEFF}\n\n", yields: [])
    }

    func testPartialByteOrderMarkIsData() {
        assertCSV([0xEF, 0xBB, 0x41, 0x0A], yields: [
            ExpectedRecord(line: 1, [.unquoted("<not UTF-8: [239, 187, 65]>")]),
        ], throws: nil)
        assertCSV([0xEF, 0xBB], yields: [
            ExpectedRecord(line: 1, [.unquoted("<not UTF-8: [239, 187]>")]),
        ], throws: nil)
    }

    func testLastLineNeedsNoLineEnd() {
        assertCSV("a,b\nc,d", yields: [
            ExpectedRecord(line: 1, ["a", "b"]),
            ExpectedRecord(line: 2, ["c", "d"]),
        ])
        assertCSV("a,\"b\"", yields: [ExpectedRecord(line: 1, ["a", .quoted("b")])])
        assertCSV("a,", yields: [ExpectedRecord(line: 1, ["a", ""])])
        assertCSV("\"\"", yields: [ExpectedRecord(line: 1, [.quoted("")])])
        // A CR right before the end of the input ends the line.
        assertCSV("a,b\r", yields: [ExpectedRecord(line: 1, ["a", "b"])])
        assertCSV("a,\"b\"\r", yields: [ExpectedRecord(line: 1, ["a", .quoted("b")])])
    }

    func testEmptyLinesAreSkippedButCounted() {
        assertCSV("\n\na\n\r\n\nb,c\n\n", yields: [
            ExpectedRecord(line: 3, ["a"]),
            ExpectedRecord(line: 6, ["b", "c"]),
        ])
        assertCSV("", yields: [])
        assertCSV("\n", yields: [])
        assertCSV("\r\n\r", yields: [])
    }

    func testWhitespaceIsData() {
        assertCSV(" \n a , b \n", yields: [
            ExpectedRecord(line: 1, [" "]),
            ExpectedRecord(line: 2, [" a ", " b "]),
        ])
    }

    func testSemicolonDelimiter() {
        assertCSV("a;\"b;c\";d,e\n", options: .init(delimiter: UInt8(ascii: ";")), yields: [
            ExpectedRecord(line: 1, ["a", .quoted("b;c"), "d,e"]),
        ])
    }

    func testTabDelimiter() {
        assertCSV("a\t\"b\tc\"\td e\n\t\n", options: .init(delimiter: UInt8(ascii: "\t")), yields: [
            ExpectedRecord(line: 1, ["a", .quoted("b\tc"), "d e"]),
            ExpectedRecord(line: 2, ["", ""]),
        ])
    }

    func testSingleQuoteAsQuote() {
        let options = CSVReader.Options(delimiter: UInt8(ascii: ";"), quote: UInt8(ascii: "'"))
        assertCSV("'a;b';'it''s';say \"hi\"\n'x\ny';''\n", options: options, yields: [
            // The double quote is ordinary data when it is not the quote.
            ExpectedRecord(line: 1, [.quoted("a;b"), .quoted("it's"), "say \"hi\""]),
            ExpectedRecord(line: 2, [.quoted("x\ny"), .quoted("")]),
        ])
    }

    func testFieldsAreRawBytesNotValidatedUTF8() throws {
        let input: [UInt8] = Array("a,\"".utf8) + [0xFF, 0xC3] + Array("\",é\n".utf8)
        let reader = try CSVReader(source: MemoryByteSource(input))
        let record = try XCTUnwrap(reader.next())
        XCTAssertEqual(record.fieldCount, 3)
        XCTAssertEqual(record.bytes(1), [0xFF, 0xC3])
        XCTAssertEqual(record.byteCount(1), 2)
        XCTAssertNil(record.string(1))
        XCTAssertEqual(record.string(0), "a")
        XCTAssertEqual(record.string(2), "é")
        XCTAssertEqual(record.withField(2) { Array($0) }, [0xC3, 0xA9])
        XCTAssertNil(try reader.next())
    }

    func testInvalidUTF8IsNeverAString() throws {
        // Truncated and overlong sequences, a lone continuation byte, a surrogate, a code point past U+10FFFF.
        let invalid: [[UInt8]] = [[0xE2, 0x82], [0xF0, 0x9F, 0x98], [0xC0, 0xAF], [0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80]]
        for bytes in invalid {
            let reader = try CSVReader(source: MemoryByteSource(bytes + [0x0A]))
            let record = try XCTUnwrap(reader.next())
            XCTAssertNil(record.string(0), "\(bytes)")
            XCTAssertEqual(record.bytes(0), bytes)
        }
        let reader = try CSVReader(source: MemoryByteSource("€😀,\n"))
        let record = try XCTUnwrap(reader.next())
        XCTAssertEqual(record.string(0), "€😀")
        XCTAssertEqual(record.string(1), "")
    }

    func testRecordAccessorsAgree() throws {
        let reader = try CSVReader(source: MemoryByteSource("abc,\"\",\"d\"\"e\"\n"))
        let record = try XCTUnwrap(reader.next())
        XCTAssertEqual(record.line, 1)
        XCTAssertNil(record.malformation)
        XCTAssertEqual((0..<3).map(record.isQuoted), [false, true, true])
        XCTAssertEqual((0..<3).map(record.byteCount), [3, 0, 3])
        XCTAssertEqual((0..<3).map { record.withField($0) { $0.count } }, [3, 0, 3])
        XCTAssertEqual((0..<3).map(record.bytes), [Array("abc".utf8), [], Array("d\"e".utf8)])
    }

    func testLargeFieldsGrowTheRecordBuffer() {
        let long = String(repeating: "x", count: 70_000)
        assertCSV("\(long),\"\(long)\"\nb\n", yields: [
            ExpectedRecord(line: 1, [.unquoted(long), .quoted(long)]),
            ExpectedRecord(line: 2, ["b"]),
        ])
        let many = Array(repeating: "f", count: 1_000)
        assertCSV(many.joined(separator: ",") + "\n", yields: [
            ExpectedRecord(line: 1, many.map { .unquoted($0) }),
        ])
    }

    func testBytesConsumedEndsAtEachRecordsLineEnd() throws {
        let input = "\u{FEFF}a,b\r\n\n\"c\nd\"\ne"
        for (chunkSize, maxReadSize) in chunkings {
            let reader = try CSVReader(
                source: MemoryByteSource(input, maxReadSize: maxReadSize), options: .init(chunkSize: chunkSize))
            XCTAssertEqual(reader.bytesConsumed, 0)
            var consumed: [Int64] = []
            while try reader.next() != nil {
                consumed.append(reader.bytesConsumed)
                XCTAssertGreaterThanOrEqual(reader.bytesRead, reader.bytesConsumed)
            }
            // BOM + "a,b\r" = 7 (a CR ends the line; its LF is passed over with the next
            // record); then "\n\n" (skipped) + "\"c\nd\"\n" = 15; then "e" = 16.
            XCTAssertEqual(consumed, [7, 15, 16], "chunkSize \(chunkSize), maxReadSize \(maxReadSize)")
            XCTAssertEqual(reader.bytesRead, 16)
        }
    }
}
