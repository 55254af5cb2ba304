import XCTest
@testable import DataCovey

/// A CSV record as plain values, so a test states a whole outcome and compares it in one assertion.
struct ExpectedRecord: Equatable, CustomStringConvertible {
    var line: Int
    var fields: [ExpectedField]
    var malformation: CSVMalformation?

    init(line: Int, _ fields: [ExpectedField], malformation: CSVMalformation? = nil) {
        self.line = line
        self.fields = fields
        self.malformation = malformation
    }

    init(_ record: CSVRecord) {
        line = record.line
        malformation = record.malformation
        fields = (0..<record.fieldCount).map { index in
            let text = record.string(index) ?? "<not UTF-8: \(record.bytes(index))>"
            return record.isQuoted(index) ? .quoted(text) : .unquoted(text)
        }
    }

    var description: String {
        "line \(line): \(fields)" + (malformation.map { " malformed: \($0.rawValue)" } ?? "")
    }
}

/// A field and whether it was written in quotes; a string literal is an unquoted field.
enum ExpectedField: Equatable, ExpressibleByStringLiteral, CustomStringConvertible {
    case unquoted(String)
    case quoted(String)

    init(stringLiteral value: String) { self = .unquoted(value) }

    var description: String {
        switch self {
        case .unquoted(let text): text.debugDescription
        case .quoted(let text): "quoted(\(text.debugDescription))"
        }
    }
}

/// Ways to cut an input into chunks: every small chunk size, so each byte lands on a boundary,
/// short reads from the source under the default chunk, and the defaults.
let chunkings: [(chunkSize: Int, maxReadSize: Int)] =
    (1...8).map { ($0, Int.max) } + (1...5).map { (1 << 20, $0) } + [(1 << 20, Int.max)]

/// Every record the reader yields for `bytes` before it ends or throws, and the error if it threw.
func readCSV(
    _ bytes: [UInt8],
    options: CSVReader.Options = .init(),
    chunkSize: Int,
    maxReadSize: Int
) throws -> (records: [ExpectedRecord], error: StreamingReaderError?) {
    var options = options
    options.chunkSize = chunkSize
    let reader = try CSVReader(source: MemoryByteSource(bytes, maxReadSize: maxReadSize), options: options)
    var records: [ExpectedRecord] = []
    do {
        while let record = try reader.next() { records.append(ExpectedRecord(record)) }
    } catch let error as StreamingReaderError {
        // A reader that threw keeps throwing the same error.
        XCTAssertThrowsError(try reader.next()) { XCTAssertEqual($0 as? StreamingReaderError, error) }
        return (records, error)
    }
    XCTAssertNil(try reader.next(), "next() after the end")
    XCTAssertEqual(reader.bytesConsumed, Int64(bytes.count), "bytesConsumed at the end")
    XCTAssertEqual(reader.bytesRead, Int64(bytes.count), "bytesRead at the end")
    return (records, nil)
}

/// Asserts that `input` reads as exactly `expected` under every chunking in `chunkings`.
func assertCSV(
    _ input: String,
    options: CSVReader.Options = .init(),
    yields expected: [ExpectedRecord],
    file: StaticString = #filePath,
    line: UInt = #line
) {
    assertCSV(Array(input.utf8), options: options, yields: expected, throws: nil, file: file, line: line)
}

/// Asserts that `input` yields exactly `expected` and then throws `error` (or ends, when it is nil),
/// under every chunking in `chunkings`.
func assertCSV(
    _ input: [UInt8],
    options: CSVReader.Options = .init(),
    yields expected: [ExpectedRecord],
    throws error: StreamingReaderError?,
    file: StaticString = #filePath,
    line: UInt = #line
) {
    for (chunkSize, maxReadSize) in chunkings {
        let context = "chunkSize \(chunkSize), maxReadSize \(maxReadSize)"
        do {
            let outcome = try readCSV(input, options: options, chunkSize: chunkSize, maxReadSize: maxReadSize)
            XCTAssertEqual(outcome.records, expected, context, file: file, line: line)
            XCTAssertEqual(outcome.error, error, context, file: file, line: line)
        } catch {
            XCTFail("\(context): unexpected \(error)", file: file, line: line)
        }
    }
}

/// Every line the NDJSON reader yields for `bytes` before it ends or throws, and the error if it threw.
func readNDJSON(
    _ bytes: [UInt8],
    maxLineBytes: Int = 16 << 20,
    chunkSize: Int,
    maxReadSize: Int
) throws -> (lines: [NDJSONLine], error: StreamingReaderError?) {
    let reader = try NDJSONLineReader(
        source: MemoryByteSource(bytes, maxReadSize: maxReadSize), maxLineBytes: maxLineBytes, chunkSize: chunkSize)
    var lines: [NDJSONLine] = []
    do {
        while let line = try reader.next() { lines.append(line) }
    } catch let error as StreamingReaderError {
        XCTAssertThrowsError(try reader.next()) { XCTAssertEqual($0 as? StreamingReaderError, error) }
        return (lines, error)
    }
    XCTAssertNil(try reader.next(), "next() after the end")
    XCTAssertEqual(reader.bytesConsumed, Int64(bytes.count), "bytesConsumed at the end")
    XCTAssertEqual(reader.bytesRead, Int64(bytes.count), "bytesRead at the end")
    return (lines, nil)
}

/// Asserts that `input` reads as exactly `expected` lines (then throws `error`, if given) under every chunking.
func assertNDJSON(
    _ input: String,
    maxLineBytes: Int = 16 << 20,
    yields expected: [NDJSONLine],
    throws error: StreamingReaderError? = nil,
    file: StaticString = #filePath,
    line: UInt = #line
) {
    for (chunkSize, maxReadSize) in chunkings {
        let context = "chunkSize \(chunkSize), maxReadSize \(maxReadSize)"
        do {
            let outcome = try readNDJSON(Array(input.utf8), maxLineBytes: maxLineBytes, chunkSize: chunkSize, maxReadSize: maxReadSize)
            XCTAssertEqual(outcome.lines, expected, context, file: file, line: line)
            XCTAssertEqual(outcome.error, error, context, file: file, line: line)
        } catch {
            XCTFail("\(context): unexpected \(error)", file: file, line: line)
        }
    }
}

extension NDJSONLine {
    init(line: Int, _ text: String) { self.init(line: line, bytes: Array(text.utf8)) }
}
