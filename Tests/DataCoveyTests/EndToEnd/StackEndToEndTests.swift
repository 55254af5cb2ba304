import Foundation
import TestSupport
import XCTest

/// The real stack through nginx: responder, MariaDB, supervisor, configuration.
final class StackEndToEndTests: XCTestCase {
    private let securityHeaders = [
        "x-content-type-options": "nosniff", "x-frame-options": "DENY", "referrer-policy": "no-referrer",
    ]

    private func assertSecurityHeaders(_ response: HTTPTestClient.Response, file: StaticString = #filePath, line: UInt = #line) {
        for (name, value) in securityHeaders {
            XCTAssertEqual(response.headers[name], value, name, file: file, line: line)
        }
        XCTAssertNotNil(response.headers["content-security-policy"], file: file, line: line)
    }

    func testHealthAndReadinessAnswerThroughNginx() throws {
        let stack = try TestStack.require()
        let health = try stack.http("GET", "/healthz")
        XCTAssertEqual(health.status, 200)
        XCTAssertEqual(health.text, #"{"status":"ok"}"#)
        XCTAssertEqual(health.headers["content-type"], "application/json")
        XCTAssertEqual(health.headers["x-request-id"]?.count, 32, "nginx's request id reaches the responder")
        assertSecurityHeaders(health)
        let ready = try stack.http("GET", "/readyz")
        XCTAssertEqual(ready.status, 200)
        XCTAssertEqual(ready.text, #"{"database_nodes":{"configured":1,"usable":1},"status":"ready","warnings":[],"workers":1}"#)
    }

    func testErrorsAreProblemJSONWithSecurityHeaders() throws {
        let stack = try TestStack.require()
        let missing = try stack.http("GET", "/api/v1/nothing-here")
        XCTAssertEqual(missing.status, 404)
        XCTAssertEqual(missing.headers["content-type"], "application/problem+json")
        XCTAssertEqual(try missing.json()["title"] as? String, "Not Found")
        assertSecurityHeaders(missing)
        let wrongMethod = try stack.http("DELETE", "/healthz")
        XCTAssertEqual(wrongMethod.status, 405)
        XCTAssertEqual(wrongMethod.headers["allow"], "GET")
    }

    func testBodyOverTheUploadLimitIs413ProblemJSON() throws {
        let stack = try TestStack.require()
        let limit = Int(stack.environment["DATACOVEY_MAX_BODY_BYTES"] ?? "") ?? 0
        XCTAssertGreaterThan(limit, 0)
        let response = try stack.http("POST", "/healthz", headers: [("Content-Type", "text/csv")],
                                      body: [UInt8](repeating: 65, count: limit + 1024))
        XCTAssertEqual(response.status, 413)
        XCTAssertEqual(response.headers["content-type"], "application/problem+json")
        assertSecurityHeaders(response)
    }

    func testProtectedDownloadLocationIsUnreachableDirectly() throws {
        let stack = try TestStack.require()
        let response = try stack.http("GET", "/_protected_downloads/anything.csv")
        XCTAssertEqual(response.status, 404)
    }

    func testResponderSocketIsReachableByOwnerAndGroupOnly() throws {
        let stack = try TestStack.require()
        let attributes = try FileManager.default.attributesOfItem(atPath: stack.fastCGISocket)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o660)
    }

    func testReadinessFollowsTheDatabaseAndTheResponderOutlivesARestart() throws {
        let stack = try TestStack.require()
        let responderBefore = try stack.control("responder-pid")
        try stack.control("db-stop")
        var stopped = false
        defer { if stopped { _ = try? stack.control("db-start") } }
        stopped = true
        let down = try stack.http("GET", "/readyz")
        XCTAssertEqual(down.status, 503)
        XCTAssertEqual(down.headers["content-type"], "application/problem+json")
        XCTAssertEqual(try stack.http("GET", "/healthz").status, 200, "the process is up even when the database is not")
        try stack.control("db-start")
        stopped = false
        XCTAssertTrue(TestStack.eventually(within: 15) { (try? stack.http("GET", "/readyz"))?.status == 200 })
        XCTAssertEqual(try stack.control("responder-pid"), responderBefore, "recovered without restarting the responder")
    }

    /// SECURITY rule 21: libfcgi 2.4.2 aborts on a params length of 0x7ffffffe. Only nginx can
    /// reach the socket, and the supervisor brings the responder back within 2 s.
    func testSupervisorRestartsTheResponderAfterALibfcgiAbortWithinTwoSeconds() throws {
        let stack = try TestStack.require()
        let before = try stack.control("responder-pid")
        let socket = try TestSocket.unix(stack.fastCGISocket)
        var params: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFE, 1]  // name length 0x7ffffffe (high bit = 4-byte form), value length 1
        params += Array("HOSTILE".utf8)
        try socket.send(FastCGITestClient.beginRequest() + FastCGITestClient.record(.params, params))
        _ = try? socket.readToEnd()
        let started = Date()
        let back = TestStack.eventually(within: 5) {
            guard let pid = try? stack.control("responder-pid"), pid != before else { return false }
            return (try? stack.http("GET", "/healthz"))?.status == 200
        }
        let took = Date().timeIntervalSince(started)
        XCTAssertTrue(back, "a new responder serves again")
        XCTAssertLessThan(took, 2.0, "back within 2 s")
        XCTAssertNotEqual(try stack.control("responder-pid"), before, "the abort really killed the old process")
    }
}
