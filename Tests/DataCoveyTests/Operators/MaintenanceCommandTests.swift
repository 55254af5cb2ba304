import DataCovey
import Foundation
import MariaDB
import XCTest

/// `datacovey-admin maintenance`, the daily upkeep (issue 14: trash and history retention never
/// ran by themselves): what the trash holds past its retention goes, data included; history
/// is purged only when a retention is configured.
final class MaintenanceCommandTests: XCTestCase {
    func testMaintenancePurgesTheExpiredTrashAndHistoryOnlyWhenConfigured() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("maint")
        let admin = try db.caller(tenant, .admin)
        let project = try admin.call("POST", "/api/v1/projects", json: ["name": "p"]).json()["id"] as? Int ?? 0
        let kept = try admin.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": "kept"]).json()["id"] as? Int ?? 0
        let expired = try admin.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": "expired"]).json()["id"] as? Int ?? 0
        XCTAssertEqual(try admin.call("DELETE", "/api/v1/datasets/\(kept)").status, 204)
        XCTAssertEqual(try admin.call("DELETE", "/api/v1/datasets/\(expired)").status, 204)
        let ops = try db.ops()
        defer { ops.close() }
        try ops.execute("UPDATE trash SET expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE tenant_id = \(tenant.tenantID) AND entity_id = \(expired)")

        let run = try db.admin(["maintenance"])
        XCTAssertEqual(run.status, 0, run.output)
        let lines = run.output.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3, run.output)
        XCTAssertTrue(lines[0].hasPrefix("trash: purged "), run.output)
        // Row versions past each tenant's time-travel retention (issue 15, TimeTravelEndpointTests).
        XCTAssertTrue(lines[1].hasPrefix("time travel: purged "), run.output)
        XCTAssertEqual(lines[2], "history: every version kept (DATACOVEY_HISTORY_RETENTION_DAYS is not set)")
        let trash = try admin.call("GET", "/api/v1/trash").json()["items"] as? [[String: Any]] ?? []
        XCTAssertEqual(trash.compactMap { $0["id"] as? Int }, [kept], "the expired one is gone for good, the other stays")
        XCTAssertEqual(try ops.query("SELECT COUNT(*) FROM datasets WHERE id = \(expired)")[0].decode(Int.self, at: 0), 0)

        let withHistory = try db.admin(["maintenance"], environment: ["DATACOVEY_HISTORY_RETENTION_DAYS": "3650"])
        XCTAssertEqual(withHistory.status, 0, withHistory.output)
        XCTAssertEqual(withHistory.output.split(separator: "\n").last.map(String.init), "history: purged 0 versions older than 3650 days")
        let refused = try db.admin(["maintenance"], environment: ["DATACOVEY_HISTORY_RETENTION_DAYS": "0"])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.output.contains("DATACOVEY_HISTORY_RETENTION_DAYS"), refused.output)
    }
}
