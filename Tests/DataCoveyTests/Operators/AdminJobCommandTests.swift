import DataCovey
import Foundation
import MariaDB
import TestSupport
import XCTest

/// `datacovey-admin` for the operations of a running site (issue 14): `--version`, `--json`
/// listings, `tenant enable`, and `jobs list|cancel|retry` on the real executable and stack.
final class AdminJobCommandTests: XCTestCase {
    private func stackctl(_ command: String) throws {
        let ctl = ProcessInfo.processInfo.environment["DATACOVEY_TEST_STACKCTL"] ?? ""
        let (status, output) = try ChildProcess.run([ctl, command], environment: ProcessInfo.processInfo.environment)
        XCTAssertEqual(status, 0, "stackctl \(command): \(output)")
    }

    private func json(_ output: String) throws -> [[String: Any]] {
        try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]] ?? []
    }

    func testEveryExecutableSaysItsVersion() throws {
        let db = try StackDatabase.require()
        let repo = ProcessInfo.processInfo.environment["DATACOVEY_REPO_DIR"] ?? FileManager.default.currentDirectoryPath
        let file = try String(contentsOfFile: repo + "/VERSION", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(BuildInfo.version, file, "BuildInfo.version and VERSION (the package's) must agree")
        let admin = try db.admin(["--version"])
        XCTAssertEqual(admin.status, 0)
        XCTAssertEqual(admin.output, BuildInfo.version + "\n")
        let binDirectory = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).deletingLastPathComponent().path
        for name in ["datacovey-fcgi", "datacovey-worker"] {
            let run = try ChildProcess.run(["\(binDirectory)/\(name)", "--version"], environment: [:])
            XCTAssertEqual(run.status, 0, name)
            XCTAssertEqual(run.output, BuildInfo.version + "\n", name)
        }
    }

    func testTenantsDisableAndEnableAndListAsJSON() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("cliten")
        XCTAssertEqual(try db.admin(["tenant", "disable", tenant.tenantName]).status, 0)
        func listed() throws -> [String: Any]? {
            let list = try db.admin(["tenant", "list", "--json"])
            XCTAssertEqual(list.status, 0, list.output)
            return try json(list.output).first { $0["name"] as? String == tenant.tenantName }
        }
        XCTAssertEqual(try listed()?["disabled"] as? Bool, true)
        XCTAssertEqual(try listed()?["id"] as? Int, Int(tenant.tenantID))
        let enabled = try db.admin(["tenant", "enable", tenant.tenantName])
        XCTAssertEqual(enabled.output, "enabled tenant \(tenant.tenantName)\n")
        XCTAssertEqual(try listed()?["disabled"] as? Bool, false)
        let users = try json(try db.admin(["user", "list", "--tenant", tenant.tenantName, "--json"]).output)
        XCTAssertEqual(users.map { $0["id"] as? Int }, [Int(tenant.userID)])
        XCTAssertEqual(users.first?["role"] as? String, "admin")
    }

    /// With the worker stopped, jobs wait: an operator lists them, cancels one, retries it,
    /// and the restarted worker completes it; what cannot be done is refused with the reason.
    func testJobsAreListedCancelledAndRetried() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("clijobs")
        let admin = try db.caller(tenant, .admin)
        let table = try admin.makeTable(columns: [["name": "id", "type": "int64"]]).table
        XCTAssertEqual(try admin.call("POST", "/api/v1/tables/\(table)/rows", json: [["id": 1]]).status, 201)

        // The running worker is alive, for operators and in /readyz.
        let workers = try json(try db.admin(["jobs", "workers", "--json"]).output)
        XCTAssertEqual(workers.filter { $0["alive"] as? Bool == true }.count, 1, "\(workers)")
        XCTAssertEqual(workers.first?["version"] as? String, BuildInfo.version)
        let ready = try db.stack.http("GET", "/readyz")
        XCTAssertEqual(ready.status, 200)
        XCTAssertEqual(try ready.json()["workers"] as? Int, 1)
        XCTAssertEqual(try ready.json()["warnings"] as? [String], [])

        try stackctl("worker-stop")
        var workerStopped = true
        // A stopped worker leaves: still ready (the responder serves), but it says so.
        let unready = try db.stack.http("GET", "/readyz")
        XCTAssertEqual(unready.status, 200)
        XCTAssertEqual(try unready.json()["workers"] as? Int, 0)
        XCTAssertEqual(try unready.json()["warnings"] as? [String], ["No job worker is alive: imports and exports wait until one runs."])
        XCTAssertEqual(try json(try db.admin(["jobs", "workers", "--json"]).output).filter { $0["alive"] as? Bool == true }.count, 0)
        defer { if workerStopped { try? stackctl("worker-start") } }
        let export = try admin.call("POST", "/api/v1/tables/\(table)/exports", json: ["format": "csv"]).json()["id"] as? Int ?? 0
        let imported = try admin.call("POST", "/api/v1/tables/\(table)/imports", body: Array("id\n2\n3\n".utf8),
                                      headers: [("Content-Type", "text/csv")]).json()["id"] as? Int ?? 0

        let listed = try json(try db.admin(["jobs", "list", "--tenant", tenant.tenantName, "--json"]).output)
        XCTAssertEqual(listed.map { "\($0["kind"] ?? "") \($0["id"] ?? "") \($0["status"] ?? "")" },
                       ["imports \(imported) pending", "exports \(export) pending"])
        let pendingExports = try db.admin(["jobs", "list", "--tenant", tenant.tenantName, "--kind", "exports", "--status", "pending"])
        XCTAssertTrue(pendingExports.output.hasPrefix("exports\t\(export)\t\(tenant.tenantName)\tpending\t"), pendingExports.output)

        XCTAssertEqual(try db.admin(["jobs", "cancel", "exports", "\(export)"]).output, "cancelled exports job \(export)\n")
        let exportJob = try admin.call("GET", "/api/v1/exports/\(export)").json()
        XCTAssertEqual(exportJob["status"] as? String, "failed")
        XCTAssertEqual(exportJob["error"] as? String, "cancelled")
        let again = try db.admin(["jobs", "cancel", "exports", "\(export)"])
        XCTAssertNotEqual(again.status, 0)
        XCTAssertTrue(again.output.contains("exports job \(export) has already failed; it cannot be cancelled"), again.output)

        // An import whose upload is gone cannot be retried; one whose upload is there can.
        XCTAssertEqual(try db.admin(["jobs", "cancel", "imports", "\(imported)"]).status, 0)
        let ops = try db.ops()
        defer { ops.close() }
        let upload = try ops.query("SELECT file_path FROM import_jobs WHERE id = \(imported)")[0].decode(String.self, at: 0)
        let uploadPath = db.configuration.dataDirectory + "/" + upload
        let kept = try Data(contentsOf: URL(fileURLWithPath: uploadPath))
        try FileManager.default.removeItem(atPath: uploadPath)
        let gone = try db.admin(["jobs", "retry", "imports", "\(imported)"])
        XCTAssertNotEqual(gone.status, 0)
        XCTAssertTrue(gone.output.contains("imports job \(imported): its input file is gone"), gone.output)
        try kept.write(to: URL(fileURLWithPath: uploadPath))

        // One at a time, so the export reads the table before the import adds to it.
        XCTAssertEqual(try db.admin(["jobs", "retry", "exports", "\(export)"]).output, "queued exports job \(export) again\n")
        try stackctl("worker-start")
        workerStopped = false
        let exportDone = try admin.awaitJob("/api/v1/exports/\(export)")
        XCTAssertEqual(exportDone["status"] as? String, "completed", "\(exportDone)")
        XCTAssertEqual(exportDone["rows_exported"] as? Int, 1)
        XCTAssertEqual(try db.admin(["jobs", "retry", "imports", "\(imported)"]).output, "queued imports job \(imported) again\n")
        let importDone = try admin.awaitJob("/api/v1/imports/\(imported)")
        XCTAssertEqual(importDone["status"] as? String, "completed", "\(importDone)")
        XCTAssertEqual(importDone["rows_loaded"] as? Int, 2)

        let completed = try db.admin(["jobs", "retry", "exports", "\(export)"])
        XCTAssertNotEqual(completed.status, 0)
        XCTAssertTrue(completed.output.contains("exports job \(export) is completed; only a failed job can be retried"), completed.output)
        let unknown = try db.admin(["jobs", "cancel", "reports", "1"])
        XCTAssertTrue(unknown.output.contains("no job kind 'reports'; kinds: imports, exports"), unknown.output)
        // Each operator action is in the job's history, by the operators' account.
        let history = try ops.query("SELECT db_user FROM export_job_history WHERE entity_id = \(export) ORDER BY version")
            .map { try $0.decode(String.self, at: 0) }
        XCTAssertEqual(history.filter { $0.hasPrefix("dc_ops@") }.count, 2, "\(history)")
    }
}
