import DataCovey
import Foundation
import MariaDB
import TestSupport
import XCTest

/// `datacovey-admin history verify`: every history row is a link of its tenant's hash chain
/// (sql/0024); a rewritten or removed row is named, a purge leaves a checkpoint the chain
/// still verifies from.
final class HistoryChainCommandTests: XCTestCase {
    private func project(_ admin: APICaller, _ name: String, updates: Int) throws -> Int {
        let id = try admin.call("POST", "/api/v1/projects", json: ["name": name]).json()["id"] as? Int ?? 0
        for index in 0..<updates {
            XCTAssertEqual(try admin.call("PATCH", "/api/v1/projects/\(id)", json: ["description": "v\(index + 2)"]).status, 200)
        }
        return id
    }

    private func historyID(_ connection: MariaDBConnection, project: Int, version: Int) throws -> Int64 {
        try connection.query("""
            SELECT history_id FROM datacovey.project_history WHERE entity_id = \(Int64(project)) AND version = \(Int64(version))
            """)[0].decode(Int64.self, at: 0)
    }

    func testACleanChainVerifiesAndAnEditedRowIsNamed() throws {
        let db = try StackDatabase.require()
        let (tenant, other) = try db.makeTwoTenants("chaincli")
        let admin = try db.caller(tenant, .admin)
        let id = try project(admin, "chained", updates: 2)
        let clean = try db.admin(["history", "verify", "--tenant", tenant.tenantName])
        XCTAssertEqual(clean.status, 0, clean.output)
        XCTAssertTrue(clean.output.contains("tenant \(tenant.tenantName) (\(tenant.tenantID)): chain holds"), clean.output)

        // The superuser rewrites what version 2 says: verify names that row and exits 1.
        let superuser = try db.superuser()
        defer { superuser.close() }
        let edited = try historyID(superuser, project: id, version: 2)
        let original = try superuser.query("SELECT row_image FROM datacovey.project_history WHERE history_id = \(edited)")[0]
            .decode(String.self, at: 0)
        try superuser.execute("""
            UPDATE datacovey.project_history SET row_image = JSON_SET(row_image, '$.description', 'rewritten')
             WHERE history_id = \(edited)
            """)
        let broken = try db.admin(["history", "verify", "--tenant", tenant.tenantName])
        XCTAssertEqual(broken.status, 1, broken.output)
        XCTAssertTrue(broken.output.contains("chain BROKEN at project_history history_id \(edited)"), broken.output)
        XCTAssertTrue(broken.output.contains("the row does not hash to its stored hash"), broken.output)
        let json = try db.admin(["history", "verify", "--tenant", tenant.tenantName, "--json"])
        XCTAssertEqual(json.status, 1, json.output)
        let reports = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]] ?? []
        XCTAssertEqual(reports.count, 1)
        XCTAssertEqual(reports.first?["valid"] as? Bool, false)
        let first = reports.first?["first_broken"] as? [String: Any]
        XCTAssertEqual(first?["table"] as? String, "project_history")
        XCTAssertEqual((first?["history_id"] as? NSNumber)?.int64Value, edited)
        XCTAssertEqual((first?["stored"] as? String)?.count, 64)
        XCTAssertNotEqual(first?["expected"] as? String, first?["stored"] as? String)
        // Another tenant's chain is its own: it still holds.
        XCTAssertEqual(try db.admin(["history", "verify", "--tenant", other.tenantName]).status, 0)

        // The same bytes back: the chain holds again (the hash covers the text exactly as stored).
        try superuser.execute("UPDATE datacovey.project_history SET row_image = \(original) WHERE history_id = \(edited)")
        let restored = try db.admin(["history", "verify", "--tenant", tenant.tenantName])
        XCTAssertEqual(restored.status, 0, restored.output)
    }

    func testADeletedMiddleLinkIsCaught() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("chaindel")
        // The tampered tenants leave no broken chain behind for the tests after this one.
        defer { XCTAssertNoThrow(try db.erase(tenant: tenant.tenantID)) }
        let admin = try db.caller(tenant, .admin)
        let id = try project(admin, "holey", updates: 3)
        let superuser = try db.superuser()
        defer { superuser.close() }
        let gone = try superuser.query("""
            SELECT chain_seq FROM datacovey.project_history WHERE entity_id = \(Int64(id)) AND version = 2
            """)[0].decode(Int64.self, at: 0)
        let next = try historyID(superuser, project: id, version: 3)
        try superuser.execute("DELETE FROM datacovey.project_history WHERE entity_id = \(Int64(id)) AND version = 2")
        let broken = try db.admin(["history", "verify", "--tenant", tenant.tenantName])
        XCTAssertEqual(broken.status, 1, broken.output)
        XCTAssertTrue(broken.output.contains("chain BROKEN at project_history history_id \(next) (seq \(gone + 1)): link \(gone) is missing (deleted)"),
                      broken.output)

        // Cutting the end off is caught too: the head says how far the chain went.
        let (_, other) = try db.makeTwoTenants("chaintail")
        defer { XCTAssertNoThrow(try db.erase(tenant: other.tenantID)) }
        let otherAdmin = try db.caller(other, .admin)
        _ = try project(otherAdmin, "tail", updates: 1)
        let last = try superuser.query("""
            SELECT history_table, history_id, chain_seq FROM datacovey.history_chain_links WHERE tenant_id = \(other.tenantID)
             ORDER BY chain_seq DESC LIMIT 1
            """)[0].decode((String, Int64, Int64).self)
        try superuser.execute("DELETE FROM datacovey.\(unsafeRaw: last.0) WHERE history_id = \(last.1)")
        let cut = try db.admin(["history", "verify", "--tenant", other.tenantName])
        XCTAssertEqual(cut.status, 1, cut.output)
        XCTAssertTrue(cut.output.contains("links \(last.2)…\(last.2) are missing (the head is at \(last.2))"), cut.output)
    }

    func testPurgeLeavesACheckpointTheChainVerifiesFrom() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("chainpurge")
        defer { XCTAssertNoThrow(try db.erase(tenant: tenant.tenantID)) }
        let admin = try db.caller(tenant, .admin)
        let old = try project(admin, "old", updates: 2)
        let recent = try project(admin, "recent", updates: 1)
        let superuser = try db.superuser()
        defer { superuser.close() }
        // The tenant's history so far is 40 days old (rechained, as if written then).
        try superuser.execute("""
            UPDATE datacovey.project_history SET changed_at = UTC_TIMESTAMP(6) - INTERVAL 40 DAY WHERE tenant_id = \(tenant.tenantID)
            """)
        try db.rechain(tenant: tenant.tenantID)
        XCTAssertEqual(try db.admin(["history", "verify", "--tenant", tenant.tenantName]).status, 0)
        XCTAssertEqual(try admin.call("PATCH", "/api/v1/projects/\(recent)", json: ["description": "new"]).status, 200)
        let before = try db.chainSeqs(tenant: tenant.tenantID)

        let purged = try db.admin(["history", "purge", "--older-than", "30"])
        XCTAssertEqual(purged.status, 0, purged.output)
        // Gone: versions 1 and 2 of `old`, and 1 and 2 of `recent` (its version 3 is new); the
        // tenant's and its user's first versions stay (each object's newest version stays).
        let after = try db.chainSeqs(tenant: tenant.tenantID)
        XCTAssertLessThan(after.count, before.count)
        let checkpoint = try superuser.query("""
            SELECT seq, kept_links FROM datacovey.history_chain_checkpoints WHERE tenant_id = \(tenant.tenantID)
            """)
        XCTAssertEqual(checkpoint.count, 1)
        let (checkpointSeq, keptLinks) = try checkpoint[0].decode((Int64, Int64).self)
        XCTAssertEqual(Set(before).subtracting(after).max(), checkpointSeq, "the checkpoint is the last purged link")
        XCTAssertEqual(Int64(after.filter { $0 <= checkpointSeq }.count), keptLinks)
        let verified = try db.admin(["history", "verify", "--tenant", tenant.tenantName])
        XCTAssertEqual(verified.status, 0, verified.output)
        XCTAssertEqual(try admin.call("GET", "/api/v1/audit/verify").json()["valid"] as? Bool, true)

        // New links still chain on; a kept link below the checkpoint is still covered.
        XCTAssertEqual(try admin.call("PATCH", "/api/v1/projects/\(old)", json: ["description": "later"]).status, 200)
        XCTAssertEqual(try db.admin(["history", "verify", "--tenant", tenant.tenantName]).status, 0)
        let kept = try superuser.query("""
            SELECT history_table, history_id FROM datacovey.history_chain_links
             WHERE tenant_id = \(tenant.tenantID) AND chain_seq < \(checkpointSeq) ORDER BY chain_seq LIMIT 1
            """)[0].decode((String, Int64).self)
        try superuser.execute("DELETE FROM datacovey.\(unsafeRaw: kept.0) WHERE history_id = \(kept.1)")
        let broken = try db.admin(["history", "verify", "--tenant", tenant.tenantName])
        XCTAssertEqual(broken.status, 1, broken.output)
        XCTAssertTrue(broken.output.contains("the links kept at or below the purge checkpoint are not the ones the purge left"), broken.output)

        // A purge never seals a broken chain: this tenant is left alone now.
        try superuser.execute("""
            UPDATE datacovey.project_history SET changed_at = UTC_TIMESTAMP(6) - INTERVAL 40 DAY
             WHERE tenant_id = \(tenant.tenantID) AND entity_id = \(Int64(old))
            """)
        let refused = try db.admin(["history", "purge", "--older-than", "30"])
        XCTAssertEqual(refused.status, 0, refused.output)
        XCTAssertTrue(refused.output.contains("tenant \(tenant.tenantID): not purged, its history chain is broken"), refused.output)
    }
}
