import DataCovey
import Foundation
import TestSupport
import XCTest

/// `GET /api/v1/audit`: the tenant's changes merged across kinds, filtered, paged, as CSV;
/// tenant admins only, and never another tenant's.
final class AuditEndpointTests: XCTestCase {
    func testTheAuditLogMergesFiltersAndPagesTheTenantsChanges() throws {
        let db = try StackDatabase.require()
        let (tenant, other) = try db.makeTwoTenants("audit")
        let admin = try db.caller(tenant, .admin)
        let user = try db.caller(tenant, .user)
        let stranger = try db.caller(other, .admin)
        _ = try stranger.call("POST", "/api/v1/projects", json: ["name": "theirs"])
        let started = Timestamp.format(Date().addingTimeInterval(-1))
        let project = try user.call("POST", "/api/v1/projects", json: ["name": "audited"]).json()["id"] as? Int ?? 0
        let dataset = try user.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": "d"]).json()["id"] as? Int ?? 0
        XCTAssertEqual(try user.call("PATCH", "/api/v1/datasets/\(dataset)", json: ["description": "x"]).status, 200)
        XCTAssertEqual(try user.call("DELETE", "/api/v1/datasets/\(dataset)").status, 204)
        let query = try user.call("POST", "/api/v1/projects/\(project)/queries", json: ["name": "q", "sql": "SELECT 1"]).json()["id"] as? Int ?? 0

        // Everything the user did since the start, newest first, across kinds.
        let mine = try admin.call("GET", "/api/v1/audit?user=\(user.userID)&since=\(started)")
        XCTAssertEqual(mine.status, 200, mine.text)
        let items = try mine.json()["items"] as? [[String: Any]] ?? []
        XCTAssertEqual(items.map { "\($0["kind"] as? String ?? "") \($0["entity_id"] as? Int ?? 0) \($0["operation"] as? String ?? "")" },
                       ["queries \(query) insert", "datasets \(dataset) delete", "datasets \(dataset) update",
                        "datasets \(dataset) insert", "projects \(project) insert"])
        XCTAssertEqual(Set(items.map { ($0["changed_by"] as? [String: Any])?["id"] as? Int ?? 0 }), [Int(user.userID)])

        // Filters by kind and operation.
        let deletes = try admin.call("GET", "/api/v1/audit?kind=datasets&operation=delete&since=\(started)").json()["items"] as? [[String: Any]]
        XCTAssertEqual(deletes?.compactMap { $0["entity_id"] as? Int }, [dataset])
        let nothing = try admin.call("GET", "/api/v1/audit?until=\(started)&user=\(user.userID)").json()["items"] as? [[String: Any]]
        XCTAssertEqual(nothing?.count, 0)

        // Pages of two follow on exactly, with no entry repeated or skipped.
        var seen: [String] = []
        var path = "/api/v1/audit?user=\(user.userID)&limit=2"
        for _ in 0..<5 {
            let page = try admin.call("GET", path).json()
            seen += (page["items"] as? [[String: Any]] ?? []).map { "\($0["kind"] as? String ?? "") \($0["entity_id"] as? Int ?? 0) \($0["version"] as? Int ?? 0)" }
            guard let cursor = page["next_cursor"] as? String else { break }
            path = "/api/v1/audit?user=\(user.userID)&limit=2&cursor=\(cursor)"
        }
        XCTAssertEqual(seen, items.map { "\($0["kind"] as? String ?? "") \($0["entity_id"] as? Int ?? 0) \($0["version"] as? Int ?? 0)" })

        // CSV of the same.
        let csv = try admin.call("GET", "/api/v1/audit?user=\(user.userID)", headers: [("Accept", "text/csv")])
        XCTAssertEqual(csv.headers["content-type"], "text/csv; charset=utf-8")
        let lines = csv.text.split(separator: "\r\n")
        XCTAssertEqual(lines.first, "changed_at,kind,entity_id,version,operation,changed_by,changed_by_email,record")
        XCTAssertEqual(lines.count, 6)
        XCTAssertTrue(lines[1].contains(",queries,\(query),1,insert,\(user.userID),"), String(lines[1]))

        // Admins only; no other tenant's changes; bad filters are named.
        XCTAssertEqual(try user.call("GET", "/api/v1/audit").status, 403)
        XCTAssertEqual(try db.caller(tenant, .viewer).call("GET", "/api/v1/audit").status, 403)
        let all = try admin.call("GET", "/api/v1/audit?limit=1000").json()["items"] as? [[String: Any]] ?? []
        XCTAssertFalse(all.contains { ($0["record"] as? [String: Any])?["tenant_id"] as? Int != Int(tenant.tenantID)
                                      && ($0["record"] as? [String: Any])?["tenant_id"] != nil })
        XCTAssertEqual((try stranger.call("GET", "/api/v1/audit?user=\(user.userID)").json()["items"] as? [[String: Any]])?.count, 0)
        for bad in ["kind=cells", "operation=upsert", "since=yesterday", "user=x", "cursor=bm9wZQ", "limit=0"] {
            let response = try admin.call("GET", "/api/v1/audit?\(bad)")
            XCTAssertEqual(response.status, 400, bad)
        }
    }

    /// People are found by the e-mail they are known by, and the worker's job updates (no
    /// person made them) can be left out (issue 18).
    func testTheAuditLogFindsAPersonByEmailAndCanLeaveOutTheSystem() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("auditmail")
        let admin = try db.caller(tenant, .admin)
        let user = try db.caller(tenant, .user)
        let email = try admin.call("GET", "/api/v1/users/\(user.userID)").json()["email"] as? String ?? ""
        let project = try user.call("POST", "/api/v1/projects", json: ["name": "mail"]).json()["id"] as? Int ?? 0
        let dataset = try user.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": "d"]).json()["id"] as? Int ?? 0
        let table = try user.call("POST", "/api/v1/datasets/\(dataset)/tables",
                                  json: ["name": "t", "columns": [["name": "id", "type": "int64"]]]).json()["id"] as? Int ?? 0
        let job = try user.call("POST", "/api/v1/tables/\(table)/imports", body: Array("id\n1\n".utf8),
                                headers: [("Content-Type", "text/csv")]).json()["id"] as? Int ?? 0
        XCTAssertEqual(try user.awaitJob("/api/v1/imports/\(job)")["status"] as? String, "completed")

        func entries(_ query: String) throws -> [String] {
            let answer = try admin.call("GET", "/api/v1/audit?limit=1000&\(query)")
            XCTAssertEqual(answer.status, 200, answer.text)
            return (try answer.json()["items"] as? [[String: Any]] ?? []).map {
                "\($0["kind"] as? String ?? "") \($0["entity_id"] as? Int ?? 0) \($0["version"] as? Int ?? 0) "
                    + "\((($0["changed_by"] as? [String: Any])?["id"] as? Int).map(String.init) ?? "system")"
            }
        }
        let byID = try entries("user=\(user.userID)")
        XCTAssertEqual(byID.count, 5, "project, dataset, table, its column and the import: \(byID)")
        let encoded = email.uppercased().addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        XCTAssertEqual(try entries("user=\(encoded)"), byID, "the e-mail, in any case, finds the same changes")
        XCTAssertEqual(try entries("user=nobody%40example.test"), [])

        let imports = try entries("kind=imports")
        XCTAssertTrue(imports.contains { $0.hasSuffix(" system") }, "the worker's updates of the job are in the log: \(imports)")
        let people = try entries("kind=imports&hide_system=true")
        XCTAssertEqual(people, imports.filter { !$0.hasSuffix(" system") })
        XCTAssertEqual(people, ["imports \(job) 1 \(user.userID)"])
        XCTAssertEqual(try admin.call("GET", "/api/v1/audit?hide_system=yes").status, 400)
    }
}
