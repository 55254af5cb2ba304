import DataCovey
import Foundation
import MariaDB
import TestSupport
import XCTest

/// `GET /api/v1/audit/verify`: a tenant admin learns whether the tenant's history chain
/// (sql/0024, one per writer node since 0026: one here) holds and its head; others are refused; concurrent writers keep one chain.
final class AuditVerifyEndpointTests: XCTestCase {
    private func head(_ superuser: MariaDBConnection, _ tenant: TenantFixture) throws -> (seq: Int64, hash: String) {
        try superuser.query("SELECT seq, head_hash FROM datacovey.history_chain_heads WHERE tenant_id = \(tenant.tenantID)")[0]
            .decode((Int64, String).self)
    }

    func testAnAdminGetsTheHeadAndAnEditIsReported() throws {
        let db = try StackDatabase.require()
        let (tenant, other) = try db.makeTwoTenants("auditverify")
        let admin = try db.caller(tenant, .admin)
        let user = try db.caller(tenant, .user)
        let viewer = try db.caller(tenant, .viewer)
        let (_, _, table) = try user.makeTable(columns: [["name": "id", "type": "int64"], ["name": "note", "type": "string"]])
        XCTAssertEqual(try user.call("POST", "/api/v1/tables/\(table)/rows", json: [["id": 1, "note": "a"]]).status, 201)

        let superuser = try db.superuser()
        defer { superuser.close() }
        let answer = try admin.call("GET", "/api/v1/audit/verify")
        XCTAssertEqual(answer.status, 200, answer.text)
        let verdict = try answer.json()
        let (seq, hash) = try head(superuser, tenant)
        XCTAssertEqual(verdict["valid"] as? Bool, true)
        XCTAssertEqual(verdict["head"] as? String, hash)
        // One server, one chain: the chain without a node name (sql/0026).
        let heads = verdict["heads"] as? [[String: Any]]
        XCTAssertEqual(heads?.count, 1)
        XCTAssertEqual(heads?.first?["chain"] as? String, "")
        XCTAssertEqual((heads?.first?["seq"] as? NSNumber)?.int64Value, seq)
        XCTAssertEqual(heads?.first?["hash"] as? String, hash)
        XCTAssertEqual((verdict["entries"] as? NSNumber)?.int64Value, seq, "every link is there")
        XCTAssertTrue(verdict["first_broken"] is NSNull)
        XCTAssertEqual(try db.chainSeqs(tenant: tenant.tenantID), Array(1...seq), "one link per history row, no gap")
        // The row change is a link too, and every history table takes part.
        XCTAssertEqual(try superuser.scalar("""
            SELECT COUNT(*) FROM datacovey.row_change_history WHERE tenant_id = \(tenant.tenantID) AND chain_seq > 0
            """), 1)
        XCTAssertEqual(try user.call("GET", "/api/v1/audit/verify").status, 403)
        XCTAssertEqual(try viewer.call("GET", "/api/v1/audit/verify").status, 403)

        // The row-change audit entry rewritten: reported, naming it; the other tenant is unaffected.
        let entry = try superuser.query("SELECT history_id, row_image FROM datacovey.row_change_history WHERE tenant_id = \(tenant.tenantID)")[0]
            .decode((Int64, String).self)
        try superuser.execute("UPDATE datacovey.row_change_history SET row_image = JSON_SET(row_image, '$.rows', 0) WHERE history_id = \(entry.0)")
        let broken = try admin.call("GET", "/api/v1/audit/verify").json()
        XCTAssertEqual(broken["valid"] as? Bool, false)
        XCTAssertEqual(broken["head"] as? String, hash)
        let first = broken["first_broken"] as? [String: Any]
        XCTAssertEqual(first?["table"] as? String, "row_change_history")
        XCTAssertEqual(first?["chain"] as? String, "")
        XCTAssertEqual((first?["history_id"] as? NSNumber)?.int64Value, entry.0)
        XCTAssertEqual(try db.caller(other, .admin).call("GET", "/api/v1/audit/verify").json()["valid"] as? Bool, true)
        try superuser.execute("UPDATE datacovey.row_change_history SET row_image = \(entry.1) WHERE history_id = \(entry.0)")
        XCTAssertEqual(try admin.call("GET", "/api/v1/audit/verify").json()["valid"] as? Bool, true)
    }

    /// Eight writers of one tenant at once (datasets and saved queries through the API), and a
    /// reader verifying meanwhile: the links still form one chain, 1…n without a gap or a
    /// fork, and it verifies, during the writes and after.
    func testConcurrentWritersOfOneTenantKeepOneChain() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("chainrace")
        let admin = try db.caller(tenant, .admin)
        let project = try admin.call("POST", "/api/v1/projects", json: ["name": "race"]).json()["id"] as? Int ?? 0
        let statuses = LockedStatuses()
        let shared = SharedCaller(caller: admin)
        let verdicts = LockedStatuses()
        DispatchQueue.concurrentPerform(iterations: 9) { writer in
            let admin = shared.caller
            if writer == 8 {
                // A reader meanwhile: a chain that is being appended to still verifies.
                for _ in 0..<8 {
                    let valid = (try? admin.call("GET", "/api/v1/audit/verify").json()["valid"] as? Bool) ?? nil
                    verdicts.append(valid == true ? 1 : 0)
                }
                return
            }
            for index in 0..<4 {
                let created = writer % 2 == 0
                    ? try? admin.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": "d\(writer)_\(index)"])
                    : try? admin.call("POST", "/api/v1/projects/\(project)/queries", json: ["name": "q\(writer)_\(index)", "sql": "SELECT 1"])
                statuses.append(created?.status ?? 0)
            }
        }
        XCTAssertEqual(statuses.all.filter { $0 == 201 }.count, 32, "\(statuses.all)")
        XCTAssertEqual(verdicts.all, Array(repeating: 1, count: 8), "every verify during the writes found the chain whole")
        let verdict = try admin.call("GET", "/api/v1/audit/verify").json()
        XCTAssertEqual(verdict["valid"] as? Bool, true, "\(verdict)")
        let seqs = try db.chainSeqs(tenant: tenant.tenantID)
        XCTAssertEqual(seqs, Array(1...Int64(seqs.count)))
        XCTAssertEqual((verdict["entries"] as? NSNumber)?.intValue, seqs.count)
        let verified = try db.admin(["history", "verify", "--tenant", tenant.tenantName])
        XCTAssertEqual(verified.status, 0, verified.output)
    }
}

/// A caller used from several threads (it holds only a token and the stack's address).
private struct SharedCaller: @unchecked Sendable {
    let caller: APICaller
}

/// Statuses collected from several threads.
private final class LockedStatuses: @unchecked Sendable {
    private let lock = NSLock()
    private var statuses: [Int] = []

    func append(_ status: Int) { lock.withLock { statuses.append(status) } }
    var all: [Int] { lock.withLock { statuses } }
}
