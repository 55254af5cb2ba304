import DataCovey
import Foundation
import MariaDB
import TestSupport
import XCTest

/// `Idempotency-Key` on POST: a retried create does not create twice.
final class IdempotencyKeyTests: XCTestCase {
    func testARetryWithTheSameKeyReplaysTheFirstResponse() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("idem")
        let user = try db.caller(tenant, .user)
        let key = [("Idempotency-Key", "create-sales-1")]
        let first = try user.call("POST", "/api/v1/projects", json: ["name": "sales"], headers: key)
        XCTAssertEqual(first.status, 201)
        XCTAssertNil(first.headers["idempotent-replayed"])
        let retry = try user.call("POST", "/api/v1/projects", json: ["name": "sales"], headers: key)
        XCTAssertEqual(retry.status, 201)
        XCTAssertEqual(retry.headers["idempotent-replayed"], "true")
        XCTAssertEqual(retry.text, first.text)
        XCTAssertEqual(retry.headers["location"], first.headers["location"])
        XCTAssertEqual(retry.headers["etag"], "\"1\"")
        XCTAssertEqual(try db.ops().scalar("SELECT COUNT(*) FROM projects WHERE tenant_id = \(tenant.tenantID)"), 1)

        let reused = try user.call("POST", "/api/v1/projects", json: ["name": "other"], headers: key)
        XCTAssertEqual(reused.status, 422)
        XCTAssertEqual((try reused.json()["errors"] as? [[String: Any]])?.first?["field"] as? String, "Idempotency-Key")

        let colleague = try db.caller(tenant, .user)
        XCTAssertEqual(try colleague.call("POST", "/api/v1/projects", json: ["name": "theirs"], headers: key).status, 201,
                       "keys belong to one user")
    }

    func testAFailedRequestDoesNotUseUpItsKey() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("idemfail")
        let user = try db.caller(tenant, .user)
        XCTAssertEqual(try user.call("POST", "/api/v1/projects", json: ["name": "taken"]).status, 201)
        let key = [("Idempotency-Key", "k-2")]
        XCTAssertEqual(try user.call("POST", "/api/v1/projects", json: ["name": "taken"], headers: key).status, 409)
        XCTAssertEqual(try user.call("POST", "/api/v1/projects", json: ["name": "fresh"], headers: key).status, 201,
                       "the key was not kept for the failed attempt")
        XCTAssertEqual(try user.call("POST", "/api/v1/projects", json: ["name": "x"], headers: [("Idempotency-Key", "bad key")]).status, 400)
    }

    func testRowInsertsAreNotRepeatedOnRetry() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("idemrows")
        let user = try db.caller(tenant, .user)
        let project = try user.call("POST", "/api/v1/projects", json: ["name": "p"]).json()["id"] as? Int ?? 0
        let dataset = try user.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": "d"]).json()["id"] as? Int ?? 0
        let table = try user.call("POST", "/api/v1/datasets/\(dataset)/tables",
                                  json: ["name": "t", "columns": [["name": "v", "type": "int64"]]]).json()["id"] as? Int ?? 0
        for _ in 0..<3 {
            let response = try user.call("POST", "/api/v1/tables/\(table)/rows", json: [["v": 1], ["v": 2]],
                                         headers: [("Idempotency-Key", "batch-7")])
            XCTAssertEqual(response.status, 201)
            XCTAssertEqual(try response.json()["inserted"] as? Int, 2)
        }
        let rows = try user.call("GET", "/api/v1/tables/\(table)/rows").json()["items"] as? [[String: Any]]
        XCTAssertEqual(rows?.count, 2, "three deliveries, one insert")
    }
}
