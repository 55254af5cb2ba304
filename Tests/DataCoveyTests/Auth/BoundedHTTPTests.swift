@testable import DataCovey
import Foundation
import XCTest

/// Outbound calls end at their deadline (issue 14: JWKS and token calls had no timeout). The
/// server here accepts connections (the kernel's backlog does) and never answers, as a stuck
/// identity provider would.
final class BoundedHTTPTests: XCTestCase {
    /// A loopback port that takes connections and never answers; closed by the returned closure.
    private func silentServer() throws -> (port: Int, close: () -> Void) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(fd, 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        XCTAssertEqual(bound, 0)
        XCTAssertEqual(listen(fd, 16), 0)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return (Int(UInt16(bigEndian: address.sin_port)), { close(fd) })
    }

    func testAJWKSFetchFromAServerThatNeverAnswersFailsAtItsDeadline() throws {
        let server = try silentServer()
        defer { server.close() }
        let fetch = SigningKeyCache.fetching(from: URL(string: "http://127.0.0.1:\(server.port)/.well-known/jwks.json")!, deadline: 0.5)
        XCTAssertThrowsError(try fetch()) { error in
            XCTAssertEqual("\(error)", "no complete answer from 127.0.0.1 within 0.5 s")
        }
        // Through the cache, as a token's verification meets it: keys unavailable, not a hang.
        let cache = SigningKeyCache(cooldown: 0, fetch: fetch)
        XCTAssertThrowsError(try cache.key(for: "any")) { error in
            XCTAssertEqual(error as? TokenError, .keysUnavailable)
        }
    }

    func testAnAnswerWithinTheDeadlineComesThrough() throws {
        let directory = NSTemporaryDirectory() + "bounded-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // A file URL (the development issuer's JWKS) is read directly.
        try Data("{\"keys\":[]}".utf8).write(to: URL(fileURLWithPath: directory + "/jwks.json"))
        let fetched = try SigningKeyCache.fetching(from: URL(fileURLWithPath: directory + "/jwks.json"), deadline: 0.5)()
        XCTAssertEqual(String(decoding: fetched, as: UTF8.self), "{\"keys\":[]}")
    }
}
