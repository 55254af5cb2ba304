import DataCovey
import Foundation
import MariaDB
import TestSupport
import XCTest

/// kill -9 of the real worker process at random points of real jobs: a killed import adds all
/// of its rows or none, a killed export never serves a partial file, and every job ends
/// (retried by the restarted worker once the lease runs out).
final class JobCrashTests: XCTestCase {
    private static let rows = 300_000

    private func stackctl(_ command: String) throws -> String {
        let ctl = ProcessInfo.processInfo.environment["DATACOVEY_TEST_STACKCTL"] ?? ""
        let (status, output) = try ChildProcess.run([ctl, command], environment: ProcessInfo.processInfo.environment)
        XCTAssertEqual(status, 0, "stackctl \(command): \(output)")
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Kills the running worker process (its supervisor starts a new one).
    private func killWorker() throws {
        guard let pid = Int32(try stackctl("worker-pid").split(separator: "\n").last ?? "") else {
            return XCTFail("no worker pid")
        }
        XCTAssertEqual(kill(pid, SIGKILL), 0)
    }

    /// Polls until the job is running (or already ended).
    private func awaitRunning(_ caller: APICaller, _ path: String) throws {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let status = try caller.call("GET", path).json()["status"] as? String
            if status != "pending" { return }
            Thread.sleep(forTimeInterval: 0.01)
        }
        XCTFail("\(path) never started")
    }

    /// The rows in a table, and the staging or old copies an import left beside it.
    private func count(_ db: StackDatabase, table: Int) throws -> (Int64, [String]) {
        let ops = try db.ops()
        defer { ops.close() }
        let (physical, database) = try ops.query("""
            SELECT t.physical_name, d.data_database FROM dataset_tables t JOIN datasets d ON d.id = t.dataset_id
            WHERE t.id = \(Int64(table))
            """)[0].decode((String, String).self)
        let superuser = try db.superuser()
        defer { superuser.close() }
        let rows = try superuser.query("SELECT COUNT(*) FROM \(unsafeRaw: "`\(database)`.`\(physical)`")")[0].decode(Int64.self, at: 0)
        let leftovers = try superuser.query("""
            SELECT TABLE_NAME FROM information_schema.TABLES
            WHERE TABLE_SCHEMA = \(database) AND TABLE_NAME LIKE CONCAT(\(physical), '\\_\\_%')
            """).map { try $0.decode(String.self, at: 0) }
        return (rows, leftovers)
    }

    func testSIGTERMHandsBackARunningImportThatTheNextWorkerCompletes() throws {
        let db = try StackDatabase.require()
        XCTAssertEqual(db.configuration.jobs.graceSeconds, 0, "scripts/test gives no grace, so the import is handed back")
        let (tenant, _) = try db.makeTwoTenants("sigterm")
        let user = try db.caller(tenant, .user)
        let project = try user.call("POST", "/api/v1/projects", json: ["name": "term"]).json()["id"] as? Int ?? 0
        let dataset = try user.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": "term"]).json()["id"] as? Int ?? 0
        let table = try user.call("POST", "/api/v1/datasets/\(dataset)/tables", json: [
            "name": "t", "columns": [["name": "id", "type": "int64", "primary_key": true]],
        ]).json()["id"] as? Int ?? 0
        let body = Array(("id\n" + (1...Self.rows).map(String.init).joined(separator: "\n") + "\n").utf8)
        let upload = try user.call("POST", "/api/v1/tables/\(table)/imports", body: body, headers: [("Content-Type", "text/csv")])
        let path = "/api/v1/imports/\(try upload.json()["id"] as? Int ?? 0)"
        try awaitRunning(user, path)
        _ = try stackctl("worker-stop")
        let stopped = try user.call("GET", path).json()
        let status = stopped["status"] as? String
        XCTAssertTrue(status == "pending" || status == "completed", "never left running: \(stopped)")
        if status == "pending" {
            XCTAssertEqual(stopped["attempts"] as? Int, 0, "a handed-back attempt is not counted")
            XCTAssertEqual(try count(db, table: table).0, 0, "nothing of the stopped load stays")
        }
        _ = try stackctl("worker-start")
        let job = try user.awaitJob(path)
        XCTAssertEqual(job["status"] as? String, "completed", "\(job)")
        XCTAssertEqual(try count(db, table: table).0, Int64(Self.rows))
    }

    func testKilledImportsAddAllRowsOrNoneAndAlwaysEnd() throws {
        let db = try StackDatabase.require()
        let lease = Double(db.configuration.jobs.leaseSeconds)
        XCTAssertLessThanOrEqual(lease, 5, "scripts/test sets a short lease for this test")
        let (tenant, _) = try db.makeTwoTenants("crash")
        let user = try db.caller(tenant, .user)
        let project = try user.call("POST", "/api/v1/projects", json: ["name": "crash"]).json()["id"] as? Int ?? 0
        let dataset = try user.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": "crash"]).json()["id"] as? Int ?? 0
        var csv = "id,note\n"
        csv.reserveCapacity(Self.rows * 10)
        for id in 1...Self.rows { csv += "\(id),n\n" }
        let body = Array(csv.utf8)
        var outcomes: [String: Int] = [:]
        var lastTable = 0

        for attempt in 0..<20 {
            let replace = attempt % 2 == 1
            let created = try user.call("POST", "/api/v1/datasets/\(dataset)/tables", json: [
                "name": "t\(attempt)", "columns": [["name": "id", "type": "int64", "primary_key": true], ["name": "note", "type": "string"]],
            ])
            let table = try created.json()["id"] as? Int ?? 0
            lastTable = table
            if replace {
                let old = (1...5).map { ["id": -$0, "note": "old"] as [String: Any] }
                XCTAssertEqual(try user.call("POST", "/api/v1/tables/\(table)/rows", json: old).status, 201)
            }
            let upload = try user.call("POST", "/api/v1/tables/\(table)/imports\(replace ? "?mode=replace" : "")", body: body,
                                       headers: [("Content-Type", "text/csv")])
            XCTAssertEqual(upload.status, 202, upload.text)
            let path = "/api/v1/imports/\(try upload.json()["id"] as? Int ?? 0)"
            try awaitRunning(user, path)
            Thread.sleep(forTimeInterval: Double.random(in: 0...1.5))
            try killWorker()
            // The job must end once its lease has run out: the wait gives it the lease and a
            // wide margin (a machine busy with builds is slow), so only a job that never ends
            // fails here; how fast it ends is a figure, not a test.
            let job = try user.awaitJob(path, seconds: lease + 30)
            let status = job["status"] as? String ?? "?"
            XCTAssertTrue(status == "completed" || status == "failed", "attempt \(attempt) did not end: \(job)")
            let (rows, leftovers) = try count(db, table: table)
            let before: Int64 = replace ? 5 : 0
            XCTAssertEqual(rows, status == "completed" ? Int64(Self.rows) : before, "attempt \(attempt) (\(status)): all or nothing")
            XCTAssertEqual(leftovers, [], "attempt \(attempt): no staging table left")
            let file = try db.ops().query("SELECT file_path FROM import_jobs WHERE id = \(Int64(job["id"] as? Int ?? 0))")[0]
                .decode(String?.self, at: 0)
            XCTAssertFalse(file.map { FileManager.default.fileExists(atPath: "\(db.configuration.dataDirectory)/\($0)") } ?? false,
                           "attempt \(attempt): the upload is removed once the job has ended")
            outcomes["\(status) after \(job["attempts"] as? Int ?? 0) attempt(s)", default: 0] += 1
        }
        print("kill -9 outcomes: \(outcomes)")

        // An export killed mid-write never serves a partial file; its retry serves a whole one.
        let started = try user.call("POST", "/api/v1/tables/\(lastTable)/exports", json: ["format": "csv"])
        let path = "/api/v1/exports/\(try started.json()["id"] as? Int ?? 0)"
        try awaitRunning(user, path)
        Thread.sleep(forTimeInterval: Double.random(in: 0...0.3))
        try killWorker()
        let killed = Date()
        while Date().timeIntervalSince(killed) < lease + 30 {
            let download = try user.call("GET", "\(path)/download")
            if download.status == 200 {
                XCTAssertEqual(download.text.split(separator: "\r\n").count, Self.rows + 1, "the whole file, header included")
                break
            }
            XCTAssertEqual(download.status, 409, "nothing but a complete file is ever served")
            Thread.sleep(forTimeInterval: 0.05)
        }
        let job = try user.awaitJob(path)
        XCTAssertEqual(job["status"] as? String, "completed")
        XCTAssertLessThanOrEqual(Date().timeIntervalSince(killed), lease + 5)
        let directory = "\(db.configuration.dataDirectory)/exports/\(tenant.tenantID)"
        let partials = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".part") }
        XCTAssertEqual(partials, [], "the retry removed the killed attempt's partial file")
    }
}
