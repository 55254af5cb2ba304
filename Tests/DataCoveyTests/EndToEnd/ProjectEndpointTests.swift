import DataCovey
import Foundation
import MariaDB
import TestSupport
import XCTest

/// `/api/v1/projects` through nginx: the conventions every resource follows.
final class ProjectEndpointTests: XCTestCase {
    private func create(_ caller: APICaller, _ name: String, description: String? = nil) throws -> [String: Any] {
        var body: [String: Any] = ["name": name]
        if let description { body["description"] = description }
        let response = try caller.call("POST", "/api/v1/projects", json: body)
        XCTAssertEqual(response.status, 201, response.text)
        return try response.json()
    }

    func testCreateReadUpdateDeleteWithVersionsAndETags() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("crud")
        let user = try db.caller(tenant, .user)

        let created = try user.call("POST", "/api/v1/projects", json: ["name": "sales", "description": "Q4"])
        XCTAssertEqual(created.status, 201)
        let id = try created.json()["id"] as? Int ?? 0
        XCTAssertEqual(created.headers["location"], "/api/v1/projects/\(id)")
        XCTAssertEqual(created.headers["etag"], "\"1\"")
        XCTAssertEqual(try created.json()["created_by"] as? Int, Int(user.userID))

        let read = try user.call("GET", "/api/v1/projects/\(id)")
        XCTAssertEqual(read.status, 200)
        XCTAssertEqual(try read.json()["name"] as? String, "sales")
        XCTAssertEqual(try read.json()["description"] as? String, "Q4")
        XCTAssertNotNil(Timestamp.parse(try read.json()["created_at"] as? String ?? ""))

        let renamed = try user.call("PATCH", "/api/v1/projects/\(id)", json: ["name": "sales_eu"], headers: [("If-Match", "\"1\"")])
        XCTAssertEqual(renamed.status, 200)
        XCTAssertEqual(renamed.headers["etag"], "\"2\"")
        XCTAssertEqual(try renamed.json()["description"] as? String, "Q4", "absent fields stay")

        let stale = try user.call("PATCH", "/api/v1/projects/\(id)", json: ["description": NSNull()], headers: [("If-Match", "\"1\"")])
        XCTAssertEqual(stale.status, 412)
        XCTAssertEqual(try stale.json()["title"] as? String, "Precondition Failed")

        let cleared = try user.call("PATCH", "/api/v1/projects/\(id)", json: ["description": NSNull()])
        XCTAssertEqual(cleared.status, 200)
        XCTAssertTrue(try cleared.json()["description"] is NSNull)

        XCTAssertEqual(try user.call("DELETE", "/api/v1/projects/\(id)", headers: [("If-Match", "\"2\"")]).status, 412)
        XCTAssertEqual(try user.call("DELETE", "/api/v1/projects/\(id)", headers: [("If-Match", "\"3\"")]).status, 204)
        XCTAssertEqual(try user.call("GET", "/api/v1/projects/\(id)").status, 404)

        // History: insert, two updates, delete — each by the acting user.
        let ops = try db.ops()
        let history = try ops.query("""
            SELECT version, operation, actor_user_id FROM project_history WHERE entity_id = \(Int64(id)) ORDER BY version
            """).map { try $0.decode((Int64, String, Int64?).self) }
        XCTAssertEqual(history.map(\.0), [1, 2, 3, 4])
        XCTAssertEqual(history.map(\.1), ["insert", "update", "update", "delete"])
        XCTAssertEqual(Set(history.map(\.2)), [user.userID])
    }

    func testListsPageWithAnOpaqueCursor() throws {
        let db = try StackDatabase.require()
        let (tenant, other) = try db.makeTwoTenants("pages")
        let viewer = try db.caller(tenant, .viewer)
        let admin = try db.caller(tenant, .admin)
        _ = try create(try db.caller(other, .admin), "theirs")
        for index in 1...5 { _ = try create(admin, "p\(index)") }

        var names: [String] = []
        var cursor: String?
        var pages = 0
        repeat {
            let path = "/api/v1/projects?limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
            let response = try viewer.call("GET", path)
            XCTAssertEqual(response.status, 200)
            let json = try response.json()
            names += (json["items"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            cursor = json["next_cursor"] as? String
            pages += 1
        } while cursor != nil && pages < 10
        XCTAssertEqual(names, ["p1", "p2", "p3", "p4", "p5"], "every project once, in order, none of the other tenant's")
        XCTAssertEqual(pages, 3)

        for bad in ["limit=0", "limit=1001", "limit=x", "cursor=bm9wZQ", "cursor=%21%21"] {
            let response = try viewer.call("GET", "/api/v1/projects?\(bad)")
            XCTAssertEqual(response.status, 400, bad)
            XCTAssertEqual(response.headers["content-type"], "application/problem+json", bad)
        }
    }

    func testAnotherTenantsProjectIsNotFoundForEveryVerb() throws {
        let db = try StackDatabase.require()
        let (mine, theirs) = try db.makeTwoTenants("isolation")
        let foreignID = try create(try db.caller(theirs, .admin), "secret")["id"] as? Int ?? 0
        let admin = try db.caller(mine, .admin)
        XCTAssertEqual(try admin.call("GET", "/api/v1/projects/\(foreignID)").status, 404)
        XCTAssertEqual(try admin.call("PATCH", "/api/v1/projects/\(foreignID)", json: ["name": "stolen"]).status, 404)
        XCTAssertEqual(try admin.call("PATCH", "/api/v1/projects/\(foreignID)", json: ["name": "stolen"], headers: [("If-Match", "\"1\"")]).status, 404)
        XCTAssertEqual(try admin.call("DELETE", "/api/v1/projects/\(foreignID)").status, 404)
        let ops = try db.ops()
        let row = try ops.query("SELECT name, version FROM projects WHERE id = \(Int64(foreignID))")[0].decode((String, Int64).self)
        XCTAssertEqual(row.0, "secret")
        XCTAssertEqual(row.1, 1, "untouched")
    }

    func testViewersReadButCannotWrite() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("roles")
        let id = try create(try db.caller(tenant, .user), "shared")["id"] as? Int ?? 0
        let viewer = try db.caller(tenant, .viewer)
        XCTAssertEqual(try viewer.call("GET", "/api/v1/projects/\(id)").status, 200)
        XCTAssertEqual(try viewer.call("POST", "/api/v1/projects", json: ["name": "mine"]).status, 403)
        XCTAssertEqual(try viewer.call("PATCH", "/api/v1/projects/\(id)", json: ["name": "x"]).status, 403)
        XCTAssertEqual(try viewer.call("DELETE", "/api/v1/projects/\(id)").status, 403)
    }

    func testBadInputIsAClear4xxAndWritesNothing() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("badinput")
        let user = try db.caller(tenant, .user)
        let cases: [(String, [UInt8], String, Int, String?)] = [
            ("malformed JSON", Array("{\"name\": ".utf8), "application/json", 400, nil),
            ("not an object", Array("[1,2]".utf8), "application/json", 400, nil),
            ("wrong type", Array("{\"name\": 5}".utf8), "application/json", 400, "name"),
            ("missing name", Array("{}".utf8), "application/json", 400, "name"),
            ("unknown field", Array("{\"name\": \"ok_name\", \"owner\": 1}".utf8), "application/json", 400, "owner"),
            ("over-long name", Array("{\"name\": \"\(String(repeating: "n", count: 65))\"}".utf8), "application/json", 400, "name"),
            ("bad characters", Array("{\"name\": \"drop table;\"}".utf8), "application/json", 400, "name"),
            ("reserved word", Array("{\"name\": \"select\"}".utf8), "application/json", 400, "name"),
            ("wrong media type", Array("name=x".utf8), "application/x-www-form-urlencoded", 415, nil),
        ]
        for (label, body, type, status, field) in cases {
            let response = try user.call("POST", "/api/v1/projects", body: body, headers: [("Content-Type", type)])
            XCTAssertEqual(response.status, status, label)
            XCTAssertEqual(response.headers["content-type"], "application/problem+json", label)
            if let field {
                let errors = try response.json()["errors"] as? [[String: Any]]
                XCTAssertEqual(errors?.first?["field"] as? String, field, label)
            }
        }
        _ = try create(user, "unique_name")
        let duplicate = try user.call("POST", "/api/v1/projects", json: ["name": "UNIQUE_NAME"])
        XCTAssertEqual(duplicate.status, 409, "names are unique per tenant regardless of case")
        let ops = try db.ops()
        XCTAssertEqual(try ops.scalar("SELECT COUNT(*) FROM projects WHERE tenant_id = \(tenant.tenantID)"), 1, "nothing else was written")
    }
}
