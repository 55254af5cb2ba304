import XCTest
@testable import DataCovey

/// Multi-byte patterns split across chunks and reads. `assertCSV` already tries every small chunk
/// size; these name the boundaries the scanner must carry state across, and check each split
/// position explicitly.
final class CSVReaderChunkBoundaryTests: XCTestCase {
    func testCRLFSplitAcrossChunks() throws {
        // "ab\r" | "\ncd\r" | "\n"
        XCTAssertEqual(try records("ab\r\ncd\r\n", chunkSize: 3), [
            ExpectedRecord(line: 1, ["ab"]),
            ExpectedRecord(line: 2, ["cd"]),
        ])
        // The CR after a closing quote: "\"a\"\r" | "\nb"
        XCTAssertEqual(try records("\"a\"\r\nb", chunkSize: 4), [
            ExpectedRecord(line: 1, [.quoted("a")]),
            ExpectedRecord(line: 2, ["b"]),
        ])
    }

    func testDoubledQuoteSplitAcrossChunks() throws {
        // "\"a\"" | "\"b\"," | "c"
        XCTAssertEqual(try records("\"a\"\"b\",c", chunkSize: 3), [ExpectedRecord(line: 1, [.quoted("a\"b"), "c"])])
        // A closing quote at a chunk's end, its delimiter in the next: "\"a\"" | ",b"
        XCTAssertEqual(try records("\"a\",b", chunkSize: 3), [ExpectedRecord(line: 1, [.quoted("a"), "b"])])
    }

    func testByteOrderMarkSplitAcrossReads() throws {
        for maxReadSize in 1...3 {
            let reader = try CSVReader(
                source: MemoryByteSource("\u{FEFF}x,y\n", maxReadSize: maxReadSize), options: .init(chunkSize: 1))
            XCTAssertEqual(try reader.next().map(ExpectedRecord.init), ExpectedRecord(line: 1, ["x", "y"]))
            XCTAssertNil(try reader.next())
            XCTAssertEqual(reader.bytesConsumed, 7)
        }
    }

    func testEveryPatternAtEverySplitPosition() throws {
        let input = "\u{FEFF}\"a\"\"b\",\"c\r\nd\"\r\n\r\nx\"y,\"p\"q\r\n\"\",\n"
        let expected = [
            ExpectedRecord(line: 1, [.quoted("a\"b"), .quoted("c\r\nd")]),
            ExpectedRecord(line: 4, ["x\"y", .quoted("pq")], malformation: .unexpectedQuote),
            ExpectedRecord(line: 5, [.quoted(""), ""]),
        ]
        let bytes = Array(input.utf8)
        // Two reads, split at each position: the source hands out the first `split` bytes, then the rest.
        for split in 1..<bytes.count {
            let source = SplitByteSource(bytes: bytes, split: split)
            let reader = try CSVReader(source: source, options: .init(chunkSize: 1 << 10))
            var seen: [ExpectedRecord] = []
            while let record = try reader.next() { seen.append(ExpectedRecord(record)) }
            XCTAssertEqual(seen, expected, "split at \(split)")
        }
    }

    func testRandomRecordsRoundTripUnderEveryChunking() throws {
        var generator = SeededGenerator(seed: 0x5EED)
        let alphabet: [Character] = ["a", "b", " ", ",", "\"", "\n", "\r", "é", ";", "x"]
        for round in 0..<40 {
            var text = round % 2 == 0 ? "\u{FEFF}" : ""
            var expected: [ExpectedRecord] = []
            var line = 1
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                let fieldCount = Int.random(in: 1...4, using: &generator)
                var fields: [ExpectedField] = []
                var encoded: [String] = []
                for _ in 0..<fieldCount {
                    let value = String((0..<Int.random(in: 0...5, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
                    let needsQuotes = value.unicodeScalars.contains(where: { ",\"\n\r".unicodeScalars.contains($0) })
                        || (fieldCount == 1 && value.isEmpty)
                    if needsQuotes || Bool.random(using: &generator) {
                        fields.append(.quoted(value))
                        encoded.append("\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"")
                    } else {
                        fields.append(.unquoted(value))
                        encoded.append(value)
                    }
                }
                let record = encoded.joined(separator: ",")
                expected.append(ExpectedRecord(line: line, fields))
                let lineEnd = Bool.random(using: &generator) ? "\r\n" : "\n"
                text += record + lineEnd
                // CR, LF and CRLF each end one line, inside quotes too.
                let scalars = Array(record.unicodeScalars)
                line += scalars.indices.filter { scalars[$0] == "\r" || scalars[$0] == "\n" && ($0 == 0 || scalars[$0 - 1] != "\r") }.count + 1
            }
            if Bool.random(using: &generator) { text.removeLast() }
            assertCSV(text, yields: expected)
        }
    }

    private func records(_ input: String, chunkSize: Int) throws -> [ExpectedRecord] {
        let outcome = try readCSV(Array(input.utf8), chunkSize: chunkSize, maxReadSize: .max)
        XCTAssertNil(outcome.error)
        return outcome.records
    }
}

/// Serves its bytes in exactly two reads, split at a given position.
private struct SplitByteSource: ByteSource {
    let bytes: [UInt8]
    let split: Int
    private(set) var bytesRead: Int64 = 0

    init(bytes: [UInt8], split: Int) {
        self.bytes = bytes
        self.split = split
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let position = Int(bytesRead)
        let end = min(position < split ? split : bytes.count, position + buffer.count)
        buffer.copyBytes(from: bytes[position..<end])
        bytesRead = Int64(end)
        return end - position
    }
}

/// A small deterministic generator (SplitMix64), so a failing random case can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
