import XCTest
@testable import DataCovey

final class ByteSourceTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("byte-source-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: directory)
    }

    func testFileSourceReadsTheWholeFileAndCountsBytes() throws {
        let content = Array((0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let path = try write(content)
        let source = try FileByteSource(path: path)
        XCTAssertEqual(source.fileSize, 10_000)
        XCTAssertEqual(source.bytesRead, 0)
        var read: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
            if count == 0 { break }
            read += buffer[..<count]
            XCTAssertEqual(source.bytesRead, Int64(read.count))
        }
        XCTAssertEqual(read, content)
        XCTAssertEqual(try buffer.withUnsafeMutableBytes { try source.read(into: $0) }, 0, "still at the end")
    }

    func testFileSourceMissingFileThrowsNamingThePath() {
        let path = directory.appendingPathComponent("missing.csv").path
        XCTAssertThrowsError(try FileByteSource(path: path)) { error in
            XCTAssertEqual(error as? ByteSourceError, ByteSourceError(operation: "open", path: path, code: ENOENT))
            XCTAssertEqual("\(error)", "cannot open \(path): No such file or directory")
        }
    }

    func testFileSourceReadAfterCloseThrows() throws {
        let path = try write(Array("abc".utf8))
        let source = try FileByteSource(path: path)
        source.close()
        source.close()
        var buffer = [UInt8](repeating: 0, count: 8)
        XCTAssertThrowsError(try buffer.withUnsafeMutableBytes { try source.read(into: $0) }) {
            XCTAssertEqual($0 as? ByteSourceError, ByteSourceError(operation: "read", path: path, code: EBADF))
        }
    }

    func testFileSourceOfADirectoryFailsToRead() throws {
        let source = try FileByteSource(path: directory.path)
        XCTAssertEqual(source.fileSize, 0)
        var buffer = [UInt8](repeating: 0, count: 8)
        XCTAssertThrowsError(try buffer.withUnsafeMutableBytes { try source.read(into: $0) }) {
            XCTAssertEqual(($0 as? ByteSourceError)?.code, EISDIR)
        }
    }

    func testCSVReaderOverAFile() throws {
        let path = try write(Array("\u{FEFF}id,name\r\n1,\"Ada\nLovelace\"\r\n2,\r\n".utf8))
        let source = try FileByteSource(path: path)
        let reader = try CSVReader(source: source, options: .init(chunkSize: 5))
        var records: [ExpectedRecord] = []
        while let record = try reader.next() { records.append(ExpectedRecord(record)) }
        XCTAssertEqual(records, [
            ExpectedRecord(line: 1, ["id", "name"]),
            ExpectedRecord(line: 2, ["1", .quoted("Ada\nLovelace")]),
            ExpectedRecord(line: 4, ["2", ""]),
        ])
        XCTAssertEqual(reader.bytesConsumed, source.fileSize)
        XCTAssertEqual(source.bytesRead, source.fileSize)
    }

    func testMemorySourceHonoursShortReads() {
        var source = MemoryByteSource("abcdefg", maxReadSize: 3)
        var buffer = [UInt8](repeating: 0, count: 5)
        var counts: [Int] = []
        while true {
            let count = buffer.withUnsafeMutableBytes { source.read(into: $0) }
            counts.append(count)
            if count == 0 { break }
        }
        XCTAssertEqual(counts, [3, 3, 1, 0])
        XCTAssertEqual(source.bytesRead, 7)
        XCTAssertEqual(buffer[0], UInt8(ascii: "g"))
    }

    private func write(_ bytes: [UInt8]) throws -> String {
        let url = directory.appendingPathComponent("input-\(UUID().uuidString)")
        try Data(bytes).write(to: url)
        return url.path
    }
}
