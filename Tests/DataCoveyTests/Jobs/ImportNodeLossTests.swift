@testable import DataCovey
import Foundation
import MariaDB
import TestSupport
import XCTest

/// An import whose database connection dies under its load (a Galera node killed, issue 16;
/// here the worker's connection killed by the superuser) is run again, not failed: the load and
/// the completion are one transaction, so nothing of it stayed, and its rows end up there once.
final class ImportNodeLossTests: XCTestCase {
    private static let rows = 200_000

    func testAnImportWhoseConnectionDiesMidLoadRunsAgainAndLoadsEveryRowOnce() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("nodeloss")
        let admin = try db.caller(tenant, .admin)
        let project = try admin.call("POST", "/api/v1/projects", json: ["name": "nodeloss"]).json()["id"] as? Int ?? 0
        let dataset = try admin.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": "d"]).json()["id"] as? Int ?? 0
        let table = try admin.call("POST", "/api/v1/datasets/\(dataset)/tables", json: [
            "name": "numbers", "columns": [["name": "n", "type": "int64"]],
        ]).json()["id"] as? Int ?? 0
        let superuser = try db.superuser()
        defer { superuser.close() }

        let csv = "n\n" + (1...Self.rows).map { "\($0)\n" }.joined()
        let upload = try admin.call("POST", "/api/v1/tables/\(table)/imports?mode=append",
                                    body: Array(csv.utf8), headers: [("Content-Type", "text/csv")])
        XCTAssertEqual(upload.status, 202, upload.text)
        let job = try upload.json()["id"] as? Int ?? 0

        // The worker's connection while it runs this load, killed as a dying node kills it.
        var killed = false
        let deadline = Date().addingTimeInterval(60)
        while !killed && Date() < deadline {
            if let id = try superuser.query("""
                SELECT ID FROM information_schema.PROCESSLIST WHERE USER = 'dc_worker' AND INFO LIKE 'LOAD DATA%' LIMIT 1
                """).first?.decode(Int64.self, at: 0) {
                try superuser.execute("KILL CONNECTION \(id)")
                killed = true
            } else {
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
        XCTAssertTrue(killed, "the load was never seen running")

        let ended = try admin.awaitJob("/api/v1/imports/\(job)", seconds: 120)
        XCTAssertEqual(ended["status"] as? String, "completed", "\(ended)")
        XCTAssertEqual(ended["rows_loaded"] as? Int, Self.rows)
        let attempts = try superuser.query("SELECT attempts FROM datacovey.import_jobs WHERE id = \(Int64(job))")[0]
            .decode(Int64.self, at: 0)
        XCTAssertEqual(attempts, 2, "run again once after the connection died")
        let physical = try superuser.physicalTable(of: table)
        let (count, distinct, sum) = try superuser.query("""
            SELECT COUNT(*), COUNT(DISTINCT n), CAST(SUM(n) AS SIGNED) FROM `\(unsafeRaw: physical.database)`.`\(unsafeRaw: physical.table)`
            """)[0].decode((Int64, Int64, Int64).self)
        XCTAssertEqual(count, Int64(Self.rows))
        XCTAssertEqual(distinct, Int64(Self.rows))
        XCTAssertEqual(sum, Int64(Self.rows) * Int64(Self.rows + 1) / 2)
    }
}
