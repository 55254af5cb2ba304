@testable import DataCovey
import Foundation
import MariaDB
import TestSupport
import XCTest

/// An append's revert removes exactly its rows when its ids are not a block (issue 16):
/// innodb_autoinc_lock_mode 2 and another connection inserting into the same table while the
/// import loads interleave the ids, and an auto_increment_increment of 3 (what a 3-node Galera
/// cluster gives every node) spaces them.
final class ImportRevertInterleavedTests: XCTestCase {
    private static let rows = 100_000

    /// Inserts single rows into a table on its own connection until stopped.
    private final class Inserter: @unchecked Sendable {
        private let lock = NSLock()
        private var stopped = false
        private(set) var inserted = 0
        private let done = DispatchSemaphore(value: 0)
        var failure: Error?

        func start(_ connection: MariaDBConnection, table: String) {
            Thread.detachNewThread { [self] in
                defer { done.signal() }
                var n = 0
                while !lock.withLock({ stopped }) {
                    n += 1
                    do {
                        try connection.execute("INSERT INTO \(unsafeRaw: table) (id, name) VALUES (\(Int64(-n)), 'other')")
                    } catch {
                        failure = error
                        return
                    }
                    lock.withLock { inserted = n }
                }
            }
        }

        func stop() {
            lock.withLock { stopped = true }
            done.wait()
        }
    }

    func testAnAppendsRevertRemovesExactlyItsInterleavedRows() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("interleaved")
        let admin = try db.caller(tenant, .admin)
        let project = try admin.call("POST", "/api/v1/projects", json: ["name": "interleaved"]).json()["id"] as? Int ?? 0
        let dataset = try admin.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": "d"]).json()["id"] as? Int ?? 0
        let table = try admin.call("POST", "/api/v1/datasets/\(dataset)/tables", json: [
            "name": "people", "columns": [["name": "id", "type": "int64"], ["name": "name", "type": "string"]],
        ]).json()["id"] as? Int ?? 0
        let superuser = try db.superuser()
        defer { superuser.close() }
        let (database, physical) = try superuser.physicalTable(of: table)
        let qualified = "`\(database)`.`\(physical)`"
        XCTAssertEqual(try superuser.query("""
            SELECT COUNT(*) FROM information_schema.TABLE_CONSTRAINTS
             WHERE TABLE_SCHEMA = \(database) AND TABLE_NAME = \(physical) AND CONSTRAINT_TYPE = 'PRIMARY KEY'
            """)[0].decode(Int64.self, at: 0), 1, "a table without a key of its own has the row id as its primary key")
        XCTAssertEqual(try superuser.query("SELECT @@innodb_autoinc_lock_mode")[0].decode(Int64.self, at: 0), 2)

        // Every new session steps by 3, as on a node of a 3-node cluster: the worker's pooled
        // connection takes it at its next lease (a reset), the inserter at connect.
        try superuser.execute("SET GLOBAL auto_increment_increment = 3")
        defer { try? superuser.execute("SET GLOBAL auto_increment_increment = 1") }
        XCTAssertEqual(try admin.call("POST", "/api/v1/tables/\(table)/rows", json: [["id": 0, "name": "before"]]).status, 201)

        let csv = "id,name\n" + (1...Self.rows).map { "\($0),imported\n" }.joined()
        let inserting = try db.superuser()
        defer { inserting.close() }
        let inserter = Inserter()
        inserter.start(inserting, table: qualified)
        let upload = try admin.call("POST", "/api/v1/tables/\(table)/imports?mode=append",
                                    body: Array(csv.utf8), headers: [("Content-Type", "text/csv")])
        XCTAssertEqual(upload.status, 202, upload.text)
        let job = try upload.json()["id"] as? Int ?? 0
        let ended = try admin.awaitJob("/api/v1/imports/\(job)", seconds: 120)
        inserter.stop()
        XCTAssertNil(inserter.failure)
        try superuser.execute("SET GLOBAL auto_increment_increment = 1")
        XCTAssertEqual(ended["status"] as? String, "completed", "\(ended)")
        XCTAssertEqual(ended["rows_loaded"] as? Int, Self.rows)

        // The ids did interleave: rows of the other connection lie between the import's first and last.
        let (low, high) = try superuser.query("""
            SELECT MIN(`_dc_row_id`), MAX(`_dc_row_id`) FROM \(unsafeRaw: qualified) WHERE name = 'imported'
            """)[0].decode((Int64, Int64).self)
        let between = try superuser.query("""
            SELECT COUNT(*) FROM \(unsafeRaw: qualified) WHERE name = 'other' AND `_dc_row_id` BETWEEN \(low) AND \(high)
            """)[0].decode(Int64.self, at: 0)
        XCTAssertGreaterThan(between, 0, "no concurrent insert landed among the import's ids (\(inserter.inserted) inserted)")
        let runs = try superuser.query("""
            SELECT COUNT(*), CAST(COALESCE(SUM((last_row_id - first_row_id) DIV step + 1), 0) AS SIGNED), COALESCE(MIN(step), 0), COALESCE(MAX(step), 0)
              FROM datacovey.import_row_runs WHERE job_id = \(Int64(job))
            """)[0].decode((Int64, Int64, Int64, Int64).self)
        XCTAssertGreaterThan(runs.0, 1, "the import's ids are several runs")
        XCTAssertEqual(runs.1, Int64(Self.rows), "the runs hold exactly the rows loaded")
        XCTAssertEqual(runs.2, 3)
        XCTAssertEqual(runs.3, 3)
        print("interleaved append: \(inserter.inserted) concurrent inserts, \(between) among the import's ids, \(runs.0) runs")

        let others = try superuser.query("SELECT COUNT(*) FROM \(unsafeRaw: qualified) WHERE name <> 'imported'")[0].decode(Int64.self, at: 0)
        let reverted = try admin.call("POST", "/api/v1/imports/\(job)/revert")
        XCTAssertEqual(reverted.status, 200, reverted.text)
        let left = try superuser.query("""
            SELECT COUNT(*), CAST(COALESCE(SUM(name = 'imported'), 0) AS SIGNED), CAST(COALESCE(SUM(name = 'before'), 0) AS SIGNED) FROM \(unsafeRaw: qualified)
            """)[0].decode((Int64, Int64, Int64).self)
        XCTAssertEqual(left.0, others, "every row of the other writers is kept")
        XCTAssertEqual(left.1, 0, "every imported row is gone")
        XCTAssertEqual(left.2, 1)
        XCTAssertEqual(others, Int64(inserter.inserted) + 1)
    }

    /// A job completed before the runs were recorded (its server ran innodb_autoinc_lock_mode
    /// 1) is still reverted by its block of ids from first_row_id.
    func testAJobWithoutRunsIsRevertedByItsBlockOfIDs() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("oldrevert")
        let admin = try db.caller(tenant, .admin)
        let project = try admin.call("POST", "/api/v1/projects", json: ["name": "old"]).json()["id"] as? Int ?? 0
        let dataset = try admin.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": "d"]).json()["id"] as? Int ?? 0
        let table = try admin.call("POST", "/api/v1/datasets/\(dataset)/tables", json: [
            "name": "people", "columns": [["name": "id", "type": "int64"], ["name": "name", "type": "string"]],
        ]).json()["id"] as? Int ?? 0
        func load(_ csv: String) throws -> Int {
            let upload = try admin.call("POST", "/api/v1/tables/\(table)/imports", body: Array(csv.utf8), headers: [("Content-Type", "text/csv")])
            let id = try upload.json()["id"] as? Int ?? 0
            XCTAssertEqual(try admin.awaitJob("/api/v1/imports/\(id)")["status"] as? String, "completed")
            return id
        }
        _ = try load("id,name\n1,kept\n")
        let old = try load("id,name\n2,old\n3,old\n4,old\n")
        _ = try load("id,name\n5,kept\n")
        let superuser = try db.superuser()
        defer { superuser.close() }
        XCTAssertEqual(try superuser.execute("DELETE FROM datacovey.import_row_runs WHERE job_id = \(Int64(old))").affectedRows, 1)
        let reverted = try admin.call("POST", "/api/v1/imports/\(old)/revert")
        XCTAssertEqual(reverted.status, 200, reverted.text)
        let rows = try admin.call("GET", "/api/v1/tables/\(table)/rows?limit=10").json()["items"] as? [[String: Any]] ?? []
        XCTAssertEqual(rows.map { "\($0["id"] ?? ""):\($0["name"] ?? "")" }, ["1:kept", "5:kept"])
    }

    /// What recording the runs adds to a 100,000-row append: the query that finds them, timed on
    /// the loaded table (the worker runs it once, in the load's transaction), against the load.
    /// Printed, not asserted (timings are for the bench).
    func testTheRunsOfA100kAppendCostLittleNextToItsLoad() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("runscost")
        let admin = try db.caller(tenant, .admin)
        let project = try admin.call("POST", "/api/v1/projects", json: ["name": "cost"]).json()["id"] as? Int ?? 0
        let dataset = try admin.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": "d"]).json()["id"] as? Int ?? 0
        let table = try admin.call("POST", "/api/v1/datasets/\(dataset)/tables", json: [
            "name": "people", "columns": [["name": "id", "type": "int64"], ["name": "name", "type": "string"]],
        ]).json()["id"] as? Int ?? 0
        let csv = "id,name\n" + (1...Self.rows).map { "\($0),imported\n" }.joined()
        let upload = try admin.call("POST", "/api/v1/tables/\(table)/imports?mode=append",
                                    body: Array(csv.utf8), headers: [("Content-Type", "text/csv")])
        let job = try upload.json()["id"] as? Int ?? 0
        let ended = try admin.awaitJob("/api/v1/imports/\(job)", seconds: 120)
        XCTAssertEqual(ended["status"] as? String, "completed", "\(ended)")
        let superuser = try db.superuser()
        defer { superuser.close() }
        let (database, physical, loadSeconds) = try superuser.query("""
            SELECT d.data_database, t.physical_name, TIMESTAMPDIFF(MICROSECOND, j.started_at, j.finished_at) / 1e6
              FROM datacovey.import_jobs j JOIN datacovey.dataset_tables t ON t.id = j.table_id JOIN datacovey.datasets d ON d.id = t.dataset_id
             WHERE j.id = \(Int64(job))
            """)[0].decode((String, String, Double).self)
        let first = try superuser.query("SELECT first_row_id FROM datacovey.import_jobs WHERE id = \(Int64(job))")[0].decode(Int64.self, at: 0)
        let started = Date()
        let runs = try ImportRowRuns.find(in: "`\(database)`.`\(physical)`", from: first, step: 1, on: superuser)
        let findSeconds = Date().timeIntervalSince(started)
        XCTAssertEqual(runs.reduce(0) { $0 + $1.rows }, Int64(Self.rows))
        print(String(format: "100k append: job %.3f s, finding its %d runs %.3f s (%.1f%%)", loadSeconds, runs.count, findSeconds,
                     100 * findSeconds / max(loadSeconds, 0.001)))
    }
}
