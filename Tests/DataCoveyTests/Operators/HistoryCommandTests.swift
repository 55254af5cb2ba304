import DataCovey
import Foundation
import MariaDB
import TestSupport
import XCTest

/// `datacovey-admin history purge --older-than` and `history verify`, run as operators run them.
final class HistoryCommandTests: XCTestCase {
    private func versions(_ ops: MariaDBConnection, project: Int) throws -> [Int64] {
        try ops.query("SELECT version FROM project_history WHERE entity_id = \(Int64(project)) ORDER BY version")
            .map { try $0.decode(Int64.self, at: 0) }
    }

    func testPurgeKeepsEachObjectsNewestVersionAndVerifyFindsHoles() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("histcli")
        let admin = try db.caller(tenant, .admin)
        func project(_ name: String, updates: Int) throws -> Int {
            let id = try admin.call("POST", "/api/v1/projects", json: ["name": name]).json()["id"] as? Int ?? 0
            for index in 0..<updates {
                XCTAssertEqual(try admin.call("PATCH", "/api/v1/projects/\(id)", json: ["description": "v\(index + 2)"]).status, 200)
            }
            return id
        }
        let recent = try project("recent", updates: 2)
        let old = try project("old", updates: 2)
        let superuser = try db.superuser()
        defer { superuser.close() }
        let ops = try db.ops()
        defer { ops.close() }
        // Versions 1 and 2 of one project, and every version of the other, are 40 days old.
        try superuser.execute("""
            UPDATE datacovey.project_history SET changed_at = UTC_TIMESTAMP(6) - INTERVAL 40 DAY
             WHERE (entity_id = \(Int64(recent)) AND version <= 2) OR entity_id = \(Int64(old))
            """)
        // As if written then: the history chain (sql/0024) would report the backdating otherwise.
        try db.rechain(tenant: tenant.tenantID)

        let purged = try db.admin(["history", "purge", "--older-than", "30"])
        XCTAssertEqual(purged.status, 0, purged.output)
        XCTAssertTrue(purged.output.contains("project_history\t4"), purged.output)
        XCTAssertEqual(try versions(ops, project: recent), [3])
        XCTAssertEqual(try versions(ops, project: old), [3], "the newest version stays, however old")
        let history = try admin.call("GET", "/api/v1/projects/\(old)/history").json()["items"] as? [[String: Any]] ?? []
        XCTAssertEqual(history.map { $0["version"] as? Int ?? 0 }, [3])
        let verified = try db.admin(["history", "verify", "--tenant", tenant.tenantName])
        XCTAssertEqual(verified.status, 0, verified.output)

        // A hole: the current version's row goes missing; verify names the row, exits 1.
        let image = try superuser.query("""
            SELECT history_id FROM datacovey.project_history WHERE entity_id = \(Int64(recent)) AND version = 3
            """)[0].decode(Int64.self, at: 0)
        XCTAssertEqual(try admin.call("PATCH", "/api/v1/projects/\(recent)", json: ["description": "v4"]).status, 200)
        try superuser.execute("UPDATE datacovey.project_history SET version = 30 WHERE history_id = \(image)")
        let broken = try db.admin(["history", "verify", "--tenant", tenant.tenantName])
        XCTAssertEqual(broken.status, 1, broken.output)
        XCTAssertTrue(broken.output.contains("projects \(recent): version 4, history has 2 versions from 4 to 30"), broken.output)
        try superuser.execute("UPDATE datacovey.project_history SET version = 3 WHERE history_id = \(image)")
        XCTAssertEqual(try db.admin(["history", "verify", "--tenant", tenant.tenantName]).status, 0)

        XCTAssertNotEqual(try db.admin(["history", "purge", "--older-than", "-1"]).status, 0, "a negative age is refused")
    }
}
