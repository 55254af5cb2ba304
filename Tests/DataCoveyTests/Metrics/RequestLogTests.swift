import Foundation
import TestSupport
import XCTest

/// The responder's log: one JSON object a line, one line per request.
final class RequestLogTests: XCTestCase {
    /// The responder's log line for `requestID`: it is written before the response ends, so it
    /// is there once the answer is.
    private func logLine(_ stack: TestStack, requestID: String) throws -> String? {
        let log = try String(contentsOfFile: "\(stack.runDirectory)/logs/fcgi.log", encoding: .utf8)
        return log.split(separator: "\n").last { $0.contains("\"request_id\":\"\(requestID)\"") && $0.contains("\"message\":\"request\"") }
            .map(String.init)
    }

    func testARequestIsLoggedAsJSONWithItsIDAndTenantButNotItsToken() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("reqlog")
        let user = try db.caller(tenant, .user)
        let response = try user.call("GET", "/api/v1/me")
        XCTAssertEqual(response.status, 200)
        let requestID = try XCTUnwrap(response.headers["x-request-id"])
        XCTAssertEqual(requestID.count, 32, "nginx's $request_id: 32 hex digits")

        let line = try XCTUnwrap(try logLine(db.stack, requestID: requestID))
        let entry = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        XCTAssertEqual(entry["level"] as? String, "info")
        XCTAssertEqual(entry["logger"] as? String, "datacovey.fcgi")
        XCTAssertEqual(entry["request_id"] as? String, requestID)
        XCTAssertEqual(entry["tenant_id"] as? Int, Int(tenant.tenantID))
        XCTAssertEqual(entry["method"] as? String, "GET")
        XCTAssertEqual(entry["route"] as? String, "/api/v1/me")
        XCTAssertEqual(entry["status"] as? Int, 200)
        XCTAssertNotNil(entry["duration_ms"] as? Double)
        XCTAssertNotNil((entry["time"] as? String).flatMap { ISO8601DateFormatter.withFractionalSeconds.date(from: $0) })
        XCTAssertFalse(line.contains(user.token))
        XCTAssertFalse(line.lowercased().contains("bearer"))
    }

    func testAnUnauthenticatedRequestIsLoggedWithoutATenant() throws {
        let db = try StackDatabase.require()
        let response = try db.stack.http("GET", "/api/v1/me", headers: [("Authorization", "Bearer not-a-token")])
        XCTAssertEqual(response.status, 401)
        let line = try XCTUnwrap(try logLine(db.stack, requestID: try XCTUnwrap(response.headers["x-request-id"])))
        let entry = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        XCTAssertEqual(entry["status"] as? Int, 401)
        XCTAssertNil(entry["tenant_id"])
        XCTAssertFalse(line.contains("not-a-token"))
    }
}

private extension ISO8601DateFormatter {
    static var withFractionalSeconds: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}
