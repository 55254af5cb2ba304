import DataCovey
import Foundation
import TestSupport
import XCTest

/// Every JSON body is strict RFC 8259, and a member named twice is refused rather than one of
/// them quietly winning (issue 18, defect 4): on a create, a patch and the rows API alike.
final class StrictJSONBodyTests: XCTestCase {
    func testTrailingCommasAndRepeatedMembersAreRefusedWithWhereTheyAre() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("strictjson")
        let user = try db.caller(tenant, .user)
        func send(_ method: String, _ path: String, _ body: String) throws -> HTTPTestClient.Response {
            try user.call(method, path, body: Array(body.utf8), headers: [("Content-Type", "application/json")])
        }
        let cases: [(String, String)] = [
            (#"{"name": "a",}"#, "The body is not valid JSON: it has a trailing comma (at byte 14)."),
            (#"{"name": "a", "name": "b"}"#, #"The body is not valid JSON: it names member "name" twice (at byte 23)."#),
            (#"{"name": "a", "description": {"x": 1, "x": 2}}"#, #"The body is not valid JSON: it names member "x" twice (at byte 44)."#),
            (#"[{"name": "a"},]"#, "The body is not valid JSON: it has a trailing comma (at byte 16)."),
        ]
        for (body, detail) in cases {
            let response = try send("POST", "/api/v1/projects", body)
            XCTAssertEqual(response.status, 400, body)
            XCTAssertEqual(try response.json()["detail"] as? String, detail, body)
        }
        let created = try send("POST", "/api/v1/projects", #"{"name": "strict"}"#)
        XCTAssertEqual(created.status, 201, created.text)
        let id = try created.json()["id"] as? Int ?? 0
        let patched = try send("PATCH", "/api/v1/projects/\(id)", #"{"description": "x", "description": "y"}"#)
        XCTAssertEqual(patched.status, 400)
        let projects = try user.call("GET", "/api/v1/projects").json()["items"] as? [[String: Any]] ?? []
        XCTAssertEqual(projects.compactMap { $0["name"] as? String }, ["strict"], "nothing else was created")
        XCTAssertTrue(projects.first?["description"] is NSNull, "nor changed")
    }
}
