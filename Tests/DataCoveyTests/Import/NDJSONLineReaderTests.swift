import XCTest
@testable import DataCovey

/// Every assertion runs under every chunking in `chunkings`.
final class NDJSONLineReaderTests: XCTestCase {
    func testLinesCarryTheirNumbers() {
        assertNDJSON("{\"a\":1}\n{\"a\":2}\n", yields: [
            NDJSONLine(line: 1, "{\"a\":1}"),
            NDJSONLine(line: 2, "{\"a\":2}"),
        ])
    }

    func testCRLFLineEndsAreRemoved() {
        assertNDJSON("{\"a\":\"x\\r\\n\"}\r\n{}\r\n", yields: [
            NDJSONLine(line: 1, "{\"a\":\"x\\r\\n\"}"),
            NDJSONLine(line: 2, "{}"),
        ])
    }

    func testBlankLinesAreSkippedButCounted() {
        assertNDJSON("\n{}\n  \t\n\r\n \r\n[1]\n\n", yields: [
            NDJSONLine(line: 2, "{}"),
            NDJSONLine(line: 6, "[1]"),
        ])
        assertNDJSON("", yields: [])
        assertNDJSON(" \n\r\n\t", yields: [])
    }

    func testLeadingByteOrderMarkIsSkipped() {
        assertNDJSON("\u{FEFF}{\"a\":1}\n\u{FEFF}{}\n", yields: [
            NDJSONLine(line: 1, "{\"a\":1}"),
            // Only a leading one; elsewhere it stays part of the line.
            NDJSONLine(line: 2, "\u{FEFF}{}"),
        ])
        assertNDJSON("\u{FEFF}", yields: [])
    }

    func testLastLineNeedsNoLineEnd() {
        assertNDJSON("{}\n{\"b\":true}", yields: [
            NDJSONLine(line: 1, "{}"),
            NDJSONLine(line: 2, "{\"b\":true}"),
        ])
        assertNDJSON("{}\r", yields: [NDJSONLine(line: 1, "{}")])
    }

    func testLinesKeepSurroundingSpacesAndInnerCarriageReturns() {
        assertNDJSON(" {} \n{\"a\":\r1}\n", yields: [
            NDJSONLine(line: 1, " {} "),
            NDJSONLine(line: 2, "{\"a\":\r1}"),
        ])
    }

    func testLinesOverTheCapThrow() {
        // Exactly 10 bytes, line ends not counted.
        assertNDJSON("{\"a\":1234}\r\n{\"b\":\"56\"}\n", maxLineBytes: 10, yields: [
            NDJSONLine(line: 1, "{\"a\":1234}"),
            NDJSONLine(line: 2, "{\"b\":\"56\"}"),
        ])
        assertNDJSON("{}\n\n{\"a\":12345}\n{}\n", maxLineBytes: 10, yields: [
            NDJSONLine(line: 1, "{}"),
        ], throws: .recordTooLarge(line: 3, limit: 10))
        assertNDJSON("{}\n{\"a\":12345}", maxLineBytes: 10, yields: [
            NDJSONLine(line: 1, "{}"),
        ], throws: .recordTooLarge(line: 2, limit: 10))
        assertNDJSON("{\"a\":1234}\r\r\n", maxLineBytes: 10, yields: [], throws: .recordTooLarge(line: 1, limit: 10))
        // Blank lines are capped too: the cap is on what must be held in memory.
        assertNDJSON(String(repeating: " ", count: 11) + "\n", maxLineBytes: 10, yields: [], throws: .recordTooLarge(line: 1, limit: 10))
    }

    func testLineWithoutLineEndsStopsNearTheCap() throws {
        let reader = try NDJSONLineReader(
            source: MemoryByteSource(Array(repeating: UInt8(ascii: "x"), count: 8 << 20)),
            maxLineBytes: 1 << 20, chunkSize: 1 << 16)
        XCTAssertThrowsError(try reader.next()) {
            XCTAssertEqual($0 as? StreamingReaderError, .recordTooLarge(line: 1, limit: 1 << 20))
        }
        XCTAssertLessThanOrEqual(reader.bytesRead, (1 << 20) + (1 << 16) * 2)
    }

    func testBytesConsumedEndsAtEachLinesEnd() throws {
        let input = "\u{FEFF}{}\r\n\n{\"a\":1}\n[]"
        for (chunkSize, maxReadSize) in chunkings {
            let reader = try NDJSONLineReader(
                source: MemoryByteSource(input, maxReadSize: maxReadSize), chunkSize: chunkSize)
            var consumed: [Int64] = []
            while try reader.next() != nil { consumed.append(reader.bytesConsumed) }
            // BOM + "{}\r\n" = 7; "\n" (skipped) + "{\"a\":1}\n" = 16; "[]" = 18.
            XCTAssertEqual(consumed, [7, 16, 18], "chunkSize \(chunkSize), maxReadSize \(maxReadSize)")
        }
    }

    func testInvalidOptionsAreRefused() {
        XCTAssertThrowsError(try NDJSONLineReader(source: MemoryByteSource(""), maxLineBytes: 0)) {
            XCTAssertEqual($0 as? StreamingReaderError, .invalidOptions("maxLineBytes must be positive"))
        }
        XCTAssertThrowsError(try NDJSONLineReader(source: MemoryByteSource(""), chunkSize: 0)) {
            XCTAssertEqual($0 as? StreamingReaderError, .invalidOptions("chunkSize must be positive"))
        }
    }
}
