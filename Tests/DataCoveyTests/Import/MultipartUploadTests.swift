@testable import DataCovey
import XCTest

/// The multipart reader with bodies cut into tiny chunks, so a boundary, a CRLF or a header
/// break split across two chunks is exercised.
final class MultipartUploadTests: XCTestCase {
    private let boundary = "XyZ-123"

    private func body(_ file: [UInt8], fields: [(String, String)] = [("mode", "replace")]) -> [UInt8] {
        var bytes: [UInt8] = Array("preamble to ignore\r\n".utf8)
        for (name, value) in fields {
            bytes += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        bytes += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a b.csv\"\r\nContent-Type: text/csv\r\n\r\n".utf8)
        bytes += file
        bytes += Array("\r\n--\(boundary)--\r\nepilogue".utf8)
        return bytes
    }

    private func read(_ body: [UInt8], chunk: Int) throws -> (file: [UInt8], fields: [String: String], name: String?, chunks: Int) {
        var offset = 0
        var upload = try MultipartUpload(contentType: "multipart/form-data; boundary=\"\(boundary)\"") {
            defer { offset = min(body.count, offset + chunk) }
            return Array(body[offset..<min(body.count, offset + chunk)])
        }
        var fields: [String: String] = [:]
        var file: [UInt8] = []
        var chunks = 0
        let found = try upload.read(fileField: "file", fields: &fields) { piece in
            file += piece
            chunks += 1
        }
        XCTAssertTrue(found)
        return (file, fields, upload.fileName, chunks)
    }

    func testEveryChunkSizeGivesTheSameFileAndFields() throws {
        let content = Array("id,note\r\n1,\"--XyZ-12 is not the boundary\"\r\n2,\r\n--XyZ-1234 neither\r\n".utf8) + [0x00, 0xFF, 0x0D]
        for size in [1, 2, 3, 5, 7, 64, 1 << 20] {
            let result = try read(body(content), chunk: size)
            XCTAssertEqual(result.file, content, "chunk \(size)")
            XCTAssertEqual(result.fields, ["mode": "replace"], "chunk \(size)")
            XCTAssertEqual(result.name, "a b.csv")
        }
    }

    func testALargeFileIsHandedOnInPiecesNotWhole() throws {
        let content = [UInt8](repeating: UInt8(ascii: "a"), count: 5 << 20)
        let result = try read(body(content), chunk: 1 << 20)
        XCTAssertEqual(result.file.count, content.count)
        XCTAssertGreaterThanOrEqual(result.chunks, 5, "streamed as it arrived")
    }

    func testMalformedBodiesAreProblems() throws {
        XCTAssertThrowsError(try MultipartUpload(contentType: "multipart/form-data") { [] })
        for bad in [Array(body(Array("x".utf8)).dropLast(20)), Array("--\(boundary)\r\nno headers end".utf8)] {
            var offset = 0
            var upload = try MultipartUpload(contentType: "multipart/form-data; boundary=\(boundary)") {
                defer { offset = bad.count }
                return offset == 0 ? bad : []
            }
            var fields: [String: String] = [:]
            XCTAssertThrowsError(try upload.read(fileField: "file", fields: &fields) { _ in }) { error in
                XCTAssertTrue(error is MultipartUpload.Problem)
            }
        }
    }
}
