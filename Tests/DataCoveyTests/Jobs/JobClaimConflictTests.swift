@testable import DataCovey
import Foundation
import MariaDB
import TestSupport
import XCTest

/// A claim that loses a race on a Galera cluster (its COMMIT fails certification with 1213,
/// JobQueue) has claimed nothing: no error, no attempt counted, the job claimed on the next
/// poll and run once. On one node the 1213 comes from the server by SIGNAL, where Galera
/// reports it: inside the claim's transaction, just before its COMMIT.
final class JobClaimConflictTests: XCTestCase {
    private func stackctl(_ command: String) throws {
        let ctl = ProcessInfo.processInfo.environment["DATACOVEY_TEST_STACKCTL"] ?? ""
        let (status, output) = try ChildProcess.run([ctl, command], environment: ProcessInfo.processInfo.environment)
        XCTAssertEqual(status, 0, "stackctl \(command): \(output)")
    }

    func testAClaimThatFailsCertificationClaimsNothingAndTheJobRunsOnce() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("claimconflict")
        let user = try db.caller(tenant, .user)
        let project = try user.call("POST", "/api/v1/projects", json: ["name": "claim"]).json()["id"] as? Int ?? 0
        let dataset = try user.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": "claim"]).json()["id"] as? Int ?? 0
        let table = try user.call("POST", "/api/v1/datasets/\(dataset)/tables", json: [
            "name": "t", "columns": [["name": "id", "type": "int64", "primary_key": true]],
        ]).json()["id"] as? Int ?? 0

        // The stack's worker is stopped so this test's queues are the only claimers.
        try stackctl("worker-stop")
        var restarted = false
        defer { if !restarted { try? stackctl("worker-start") } }
        let upload = try user.call("POST", "/api/v1/tables/\(table)/imports", body: Array("id\n1\n2\n3\n".utf8),
                                   headers: [("Content-Type", "text/csv")])
        XCTAssertEqual(upload.status, 202, upload.text)
        let job = Int64(try upload.json()["id"] as? Int ?? 0)

        let pool = MariaDBPool(configuration: db.configuration.workerDatabase, maxConnections: 2)
        defer { pool.shutDown() }
        let losing = JobQueue(kind: .imports, pool: pool, owner: "claim-test-loser", leaseSeconds: 30, maxAttempts: 3,
                              beforeClaimCommit: { connection in
                                  try connection.executeText(
                                      "SIGNAL SQLSTATE '40001' SET MYSQL_ERRNO = 1213, MESSAGE_TEXT = 'certification failed (test)'")
                              })
        XCTAssertEqual(try losing.claim(limit: 100).map(\.id), [], "a lost claim claims nothing and throws nothing")
        let ops = try db.ops()
        defer { ops.close() }
        func state() throws -> (String, Int64, String?) {
            try ops.query("SELECT status, attempts, lease_owner FROM import_jobs WHERE id = \(job)")[0].decode((String, Int64, String?).self)
        }
        XCTAssertEqual(try state().0, "pending")
        XCTAssertEqual(try state().1, 0, "no attempt counted")
        XCTAssertNil(try state().2)

        // The next poll claims it, once.
        let winning = JobQueue(kind: .imports, pool: pool, owner: "claim-test-winner", leaseSeconds: 30, maxAttempts: 3)
        let claimed = try winning.claim(limit: 100)
        for other in claimed where other.id != job { try winning.handBack(other.id) }
        XCTAssertEqual(claimed.filter { $0.id == job }.map(\.attempt), [1])
        XCTAssertEqual(try state().0, "running")
        XCTAssertEqual(try state().2, "claim-test-winner")
        XCTAssertEqual(try losing.claim(limit: 100).filter { $0.id == job }.count, 0, "a running job is not claimed again")

        // A run whose load lost a race goes back to pending, the attempt counted; the loser of
        // a race cannot requeue what it does not hold.
        XCTAssertFalse(try losing.requeue(job))
        XCTAssertTrue(try winning.requeue(job))
        XCTAssertEqual(try state().0, "pending")
        XCTAssertEqual(try state().1, 1)

        try stackctl("worker-start")
        restarted = true
        let ended = try user.awaitJob("/api/v1/imports/\(job)")
        XCTAssertEqual(ended["status"] as? String, "completed", "\(ended)")
        XCTAssertEqual(ended["attempts"] as? Int, 2)
        XCTAssertEqual(ended["rows_loaded"] as? Int, 3)
    }
}
