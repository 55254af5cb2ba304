import DataCovey
import Foundation
import TestSupport
import XCTest

/// `POST /api/v1/imports/{id}/revert`: an append's rows leave, a replace's previous rows come
/// back, exactly; refused with a reason when the table moved on.
final class ImportRevertTests: XCTestCase {
    private struct Fixture {
        let db: StackDatabase
        let admin: APICaller
        let table: Int

        /// Imports `csv` and waits for it; answers the job id.
        func load(_ csv: String, mode: String = "append", dryRun: Bool = false, expect: String = "completed") throws -> Int {
            let upload = try admin.call("POST", "/api/v1/tables/\(table)/imports?mode=\(mode)\(dryRun ? "&dry_run=true" : "")",
                                        body: Array(csv.utf8), headers: [("Content-Type", "text/csv")])
            XCTAssertEqual(upload.status, 202, upload.text)
            let id = try upload.json()["id"] as? Int ?? 0
            XCTAssertEqual(try admin.awaitJob("/api/v1/imports/\(id)")["status"] as? String, expect)
            return id
        }

        /// The table's rows as "id:name", in row order.
        func rows() throws -> [String] {
            let response = try admin.call("GET", "/api/v1/tables/\(table)/rows?limit=1000")
            XCTAssertEqual(response.status, 200, response.text)
            return (try response.json()["items"] as? [[String: Any]] ?? []).map { "\($0["id"] ?? ""):\($0["name"] ?? "")" }
        }

        func revert(_ job: Int, as caller: APICaller? = nil) throws -> HTTPTestClient.Response {
            try (caller ?? admin).call("POST", "/api/v1/imports/\(job)/revert")
        }

        /// A table of a fresh tenant; answers the fixture, its tenant and another tenant.
        static func make(_ label: String) throws -> (Fixture, TenantFixture, TenantFixture) {
            let db = try StackDatabase.require()
            let (tenant, other) = try db.makeTwoTenants(label)
            let admin = try db.caller(tenant, .admin)
            let project = try admin.call("POST", "/api/v1/projects", json: ["name": "revert"]).json()["id"] as? Int ?? 0
            let dataset = try admin.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": "d"]).json()["id"] as? Int ?? 0
            let table = try admin.call("POST", "/api/v1/datasets/\(dataset)/tables", json: [
                "name": "people", "columns": [["name": "id", "type": "int64"], ["name": "name", "type": "string"]],
            ]).json()["id"] as? Int ?? 0
            return (Fixture(db: db, admin: admin, table: table), tenant, other)
        }
    }

    private func detail(_ response: HTTPTestClient.Response) throws -> String? { try response.json()["detail"] as? String }

    func testRevertingAppendsAndAReplaceGivesBackTheExactPreviousRows() throws {
        let (fixture, _, _) = try Fixture.make("revert")
        let first = try fixture.load("id,name\n1,ann\n2,bob\n")
        let second = try fixture.load("id,name\n3,cy\n4,dee\n")
        XCTAssertEqual(try fixture.rows(), ["1:ann", "2:bob", "3:cy", "4:dee"])

        // An earlier append comes out from under a later one.
        let reverted = try fixture.revert(first)
        XCTAssertEqual(reverted.status, 200, reverted.text)
        XCTAssertNotNil(try reverted.json()["reverted_at"] as? String)
        XCTAssertEqual(try reverted.json()["reverted_by"] as? Int, Int(fixture.admin.userID))
        XCTAssertEqual(try fixture.rows(), ["3:cy", "4:dee"])
        let again = try fixture.revert(first)
        XCTAssertEqual(again.status, 409)
        XCTAssertEqual(try detail(again), "The import has already been reverted.")
        let history = try fixture.admin.call("GET", "/api/v1/imports/\(first)/history").json()["items"] as? [[String: Any]] ?? []
        XCTAssertEqual(history.first?["operation"] as? String, "update")
        XCTAssertTrue((history.first?["changed"] as? [String] ?? []).contains("reverted_at"), "the revert is a version of the job")

        // A replace, reverted: the rows it replaced are back.
        let replace = try fixture.load("id,name\n7,gil\n8,hal\n9,ivy\n", mode: "replace")
        XCTAssertEqual(try fixture.rows(), ["7:gil", "8:hal", "9:ivy"])
        let blocked = try fixture.revert(second)
        XCTAssertEqual(blocked.status, 409)
        XCTAssertEqual(try detail(blocked), "Import \(replace) changed the table after this one; revert it first.")
        XCTAssertEqual(try fixture.revert(replace).status, 200)
        XCTAssertEqual(try fixture.rows(), ["3:cy", "4:dee"])
        // With the replace undone, the append before it can go too.
        XCTAssertEqual(try fixture.revert(second).status, 200)
        XCTAssertEqual(try fixture.rows(), [])

        // New rows keep coming after reverts (ids continue), and revert as exactly.
        let later = try fixture.load("id,name\n5,eve\n")
        XCTAssertEqual(try fixture.rows(), ["5:eve"])
        XCTAssertEqual(try fixture.revert(later).status, 200)
        XCTAssertEqual(try fixture.rows(), [])
    }

    func testARevertIsRefusedWithItsReason() throws {
        let (fixture, tenant, other) = try Fixture.make("revertno")
        _ = try fixture.load("id,name\n1,ann\n")
        let replace = try fixture.load("id,name\n2,bob\n", mode: "replace")
        let append = try fixture.load("id,name\n3,cy\n")
        let onTop = try fixture.revert(replace)
        XCTAssertEqual(onTop.status, 409)
        XCTAssertEqual(try detail(onTop), "Import \(append) changed the table after this one; revert it first.")
        XCTAssertEqual(try fixture.rows(), ["2:bob", "3:cy"], "a refused revert changes nothing")

        let dryRun = try fixture.load("id,name\n4,dee\n", dryRun: true)
        XCTAssertEqual(try detail(try fixture.revert(dryRun)), "A dry run loaded nothing; there is nothing to revert.")
        let failed = try fixture.load("id,name\n\"5,unterminated\n", expect: "failed")
        XCTAssertEqual(try detail(try fixture.revert(failed)), "Only a completed import can be reverted; this one is failed.")

        // Roles and tenants.
        let user = try fixture.db.caller(tenant, .user)
        XCTAssertEqual(try fixture.revert(append, as: user).status, 403)
        XCTAssertEqual(try fixture.revert(append, as: try fixture.db.caller(other, .admin)).status, 404)
        XCTAssertEqual(try fixture.revert(999_999_999).status, 404)
        let stale = try fixture.admin.call("POST", "/api/v1/imports/\(append)/revert", headers: [("If-Match", "\"1\"")])
        XCTAssertEqual(stale.status, 412)

        // Columns changed since: refused, naming both.
        XCTAssertEqual(try fixture.admin.call("PATCH", "/api/v1/tables/\(fixture.table)",
                                              json: ["add_columns": [["name": "age", "type": "int64"]]]).status, 200)
        let changed = try fixture.revert(append)
        XCTAssertEqual(changed.status, 409)
        XCTAssertEqual(try detail(changed), "The table's columns changed since the import (then: id int64, name string; "
                                            + "now: id int64, name string, age int64); it cannot be reverted.")
        XCTAssertEqual(try fixture.rows(), ["2:bob", "3:cy"])
    }

    /// Issue 18, defect 2: a row added through the rows API after a replace would be discarded
    /// by reverting it; the revert is refused with the reason, and the table stays as it is.
    func testAReplaceIsNotRevertedOverRowsWrittenSince() throws {
        let (fixture, _, _) = try Fixture.make("revertrows")
        _ = try fixture.load("id,name\n1,before\n")
        let replace = try fixture.load("id,name\n2,replaced\n3,too\n", mode: "replace")
        XCTAssertEqual(try fixture.admin.call("POST", "/api/v1/tables/\(fixture.table)/rows", json: [["id": 4, "name": "added"]]).status, 201)
        let refused = try fixture.revert(replace)
        XCTAssertEqual(refused.status, 409, refused.text)
        XCTAssertEqual(try refused.json()["detail"] as? String,
                       "The table changed after this import (rows were written since by another import or the rows API). "
                       + "Reverting would discard those changes, so it is refused.")
        XCTAssertEqual(try fixture.rows(), ["2:replaced", "3:too", "4:added"])
    }

    /// An update keeps the count and the row ids; the table's versions still show it.
    func testAReplaceIsNotRevertedOverRowsChangedSince() throws {
        let (fixture, _, _) = try Fixture.make("revertpatch")
        _ = try fixture.load("id,name\n1,before\n")
        let replace = try fixture.load("id,name\n2,replaced\n3,too\n", mode: "replace")
        let patched = try fixture.admin.call("PATCH", "/api/v1/tables/\(fixture.table)/rows?id=eq.3", json: ["name": "edited"])
        XCTAssertEqual(patched.status, 204, patched.text)
        let refused = try fixture.revert(replace)
        XCTAssertEqual(refused.status, 409, refused.text)
        XCTAssertEqual(try detail(refused), "The table changed after this import (rows were written since by another import or the "
                       + "rows API). Reverting would discard those changes, so it is refused.")
        XCTAssertEqual(try fixture.rows(), ["2:replaced", "3:edited"])
    }

    /// A replace keeps the rows it replaced as the table's history (issue 15), not in the trash:
    /// purging the trash leaves it revertible; once the import is older than the tenant's
    /// time-travel retention, those versions are not kept and the revert is refused.
    func testAReplaceCannotBeRevertedOnceItsPreviousRowsArePurged() throws {
        let (fixture, tenant, _) = try Fixture.make("revertpurge")
        _ = try fixture.load("id,name\n1,ann\n")
        let replace = try fixture.load("id,name\n2,bob\n", mode: "replace")
        let purged = try fixture.db.admin(["trash", "purge", "--all"])
        XCTAssertEqual(purged.status, 0, purged.output)
        XCTAssertEqual(try fixture.db.admin(["tenant", "time-travel", tenant.tenantName, "--days", "1"]).status, 0)
        let superuser = try fixture.db.superuser()
        defer { superuser.close() }
        try superuser.execute("""
            UPDATE datacovey.import_jobs SET started_at = started_at - INTERVAL 2 DAY, finished_at = finished_at - INTERVAL 2 DAY
             WHERE table_id = \(Int64(fixture.table))
            """)
        let refused = try fixture.revert(replace)
        XCTAssertEqual(refused.status, 409)
        XCTAssertEqual(try detail(refused), "The rows this import replaced are no longer kept; it cannot be reverted.")
        XCTAssertEqual(try fixture.rows(), ["2:bob"])
    }
}
