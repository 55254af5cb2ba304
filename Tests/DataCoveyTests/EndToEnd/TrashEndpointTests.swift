import DataCovey
import Foundation
import MariaDB
import TestSupport
import XCTest

/// Deletes go to the trash with what they contain: invisible to every endpoint and to queries
/// while there, back whole with every row on restore, gone for good after `trash purge`.
final class TrashEndpointTests: XCTestCase {
    private func created(_ response: HTTPTestClient.Response, file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        XCTAssertEqual(response.status, 201, response.text, file: file, line: line)
        return try response.json()["id"] as? Int ?? 0
    }

    private func rows(_ caller: APICaller, _ table: Int) throws -> [String] {
        let response = try caller.call("GET", "/api/v1/tables/\(table)/rows?limit=1000")
        XCTAssertEqual(response.status, 200, response.text)
        return (try response.json()["items"] as? [[String: Any]] ?? []).map { row in
            row.keys.sorted().map { "\($0)=\(row[$0] ?? "")" }.joined(separator: ",")
        }
    }

    func testADatasetGoesToTheTrashWithItsTablesAndComesBackWithEveryRow() throws {
        let db = try StackDatabase.require()
        let (tenant, other) = try db.makeTwoTenants("trash")
        let admin = try db.caller(tenant, .admin)
        let user = try db.caller(tenant, .user)
        let stranger = try db.caller(other, .admin)
        let project = try created(try user.call("POST", "/api/v1/projects", json: ["name": "shop"]))
        let dataset = try created(try user.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": "sales"]))
        let orders = try created(try user.call("POST", "/api/v1/datasets/\(dataset)/tables", json: [
            "name": "orders", "columns": [["name": "id", "type": "int64", "primary_key": true], ["name": "amount", "type": "decimal(10,2)"]],
        ]))
        let notes = try created(try user.call("POST", "/api/v1/datasets/\(dataset)/tables", json: [
            "name": "notes", "columns": [["name": "text", "type": "text"]],
        ]))
        let upload = try user.call("POST", "/api/v1/tables/\(orders)/imports", body: Array("id,amount\n1,9.50\n2,20.00\n3,0.01\n".utf8),
                                   headers: [("Content-Type", "text/csv")])
        XCTAssertEqual(upload.status, 202, upload.text)
        let importJob = try upload.json()["id"] as? Int ?? 0
        XCTAssertEqual(try user.awaitJob("/api/v1/imports/\(importJob)")["status"] as? String, "completed")
        XCTAssertEqual(try user.call("POST", "/api/v1/tables/\(notes)/rows", json: [["text": "first"], ["text": "second"]]).status, 201)
        let export = try user.call("POST", "/api/v1/tables/\(orders)/exports", json: ["format": "csv"])
        let exportJob = try export.json()["id"] as? Int ?? 0
        XCTAssertEqual(try user.awaitJob("/api/v1/exports/\(exportJob)")["status"] as? String, "completed")
        let savedQuery = try created(try user.call("POST", "/api/v1/projects/\(project)/queries",
                                                   json: ["name": "total", "sql": "SELECT SUM(amount) AS total FROM sales.orders"]))
        let ordersBefore = try rows(user, orders)
        let notesBefore = try rows(user, notes)
        XCTAssertEqual(ordersBefore.count, 3)

        XCTAssertEqual(try user.call("DELETE", "/api/v1/datasets/\(dataset)").status, 204)

        // Listed in the trash (for its tenant only), and unreachable everywhere else.
        let trash = try user.call("GET", "/api/v1/trash").json()["items"] as? [[String: Any]] ?? []
        XCTAssertEqual(trash.count, 1)
        XCTAssertEqual(trash.first?["kind"] as? String, "datasets")
        XCTAssertEqual(trash.first?["id"] as? Int, dataset)
        XCTAssertEqual(trash.first?["parent_id"] as? Int, project)
        XCTAssertEqual(trash.first?["deleted_by"] as? Int, Int(user.userID))
        XCTAssertEqual(trash.first?["restore"] as? String, "/api/v1/datasets/\(dataset)/restore")
        XCTAssertEqual((try stranger.call("GET", "/api/v1/trash").json()["items"] as? [[String: Any]])?.count, 0)
        for path in ["/api/v1/datasets/\(dataset)", "/api/v1/datasets/\(dataset)/tables", "/api/v1/tables/\(orders)",
                     "/api/v1/tables/\(orders)/rows", "/api/v1/tables/\(orders)/imports", "/api/v1/imports/\(importJob)",
                     "/api/v1/imports/\(importJob)/rejects", "/api/v1/exports/\(exportJob)", "/api/v1/exports/\(exportJob)/download",
                     "/api/v1/tables/\(notes)/rows"] {
            XCTAssertEqual(try user.call("GET", path).status, 404, path)
        }
        XCTAssertEqual((try user.call("GET", "/api/v1/projects/\(project)/datasets").json()["items"] as? [[String: Any]])?.count, 0)
        XCTAssertEqual(try user.call("POST", "/api/v1/tables/\(orders)/imports", body: Array("id,amount\n9,1\n".utf8),
                                     headers: [("Content-Type", "text/csv")]).status, 404)
        XCTAssertEqual(try user.call("POST", "/api/v1/tables/\(orders)/exports", json: ["format": "csv"]).status, 404)
        XCTAssertEqual(try user.call("POST", "/api/v1/tables/\(orders)/rows", json: [["id": 9, "amount": 1]]).status, 404)
        let adHoc = try user.call("POST", "/api/v1/projects/\(project)/query", json: ["sql": "SELECT COUNT(*) FROM sales.orders"])
        XCTAssertEqual(adHoc.status, 400)
        XCTAssertEqual(try adHoc.json()["detail"] as? String, "Unknown table sales.orders: no dataset of this project has it.")
        XCTAssertEqual(try user.call("POST", "/api/v1/queries/\(savedQuery)/runs").status, 400, "the saved query no longer finds it")
        XCTAssertEqual(try user.call("POST", "/api/v1/queries/\(savedQuery)/exports", json: ["format": "csv"]).status, 400)
        // The rows left the dataset's database for dcd_0, which no project's account may read.
        let superuser = try db.superuser()
        defer { superuser.close() }
        let placed = try superuser.query("""
            SELECT t.TABLE_SCHEMA FROM information_schema.TABLES t JOIN datacovey.dataset_tables d ON d.physical_name = t.TABLE_NAME
             WHERE d.id IN (\(Int64(orders)), \(Int64(notes)))
            """).map { try $0.decode(String.self, at: 0) }
        XCTAssertEqual(placed, ["dcd_0", "dcd_0"])
        XCTAssertEqual(try superuser.scalar("""
            SELECT COUNT(*) FROM mysql.db WHERE User = \("dcq_\(project)") AND REPLACE(Db, '\\\\', '') = 'dcd_0'
            """), 0)

        // Users may delete but only admins restore; another tenant cannot even see it.
        XCTAssertEqual(try user.call("POST", "/api/v1/datasets/\(dataset)/restore").status, 403)
        XCTAssertEqual(try stranger.call("POST", "/api/v1/datasets/\(dataset)/restore").status, 404)
        let restored = try admin.call("POST", "/api/v1/datasets/\(dataset)/restore")
        XCTAssertEqual(restored.status, 200, restored.text)
        XCTAssertEqual(try rows(user, orders), ordersBefore, "every row is back")
        XCTAssertEqual(try rows(user, notes), notesBefore)
        XCTAssertEqual(try user.call("GET", "/api/v1/imports/\(importJob)").status, 200)
        XCTAssertEqual(try user.call("GET", "/api/v1/exports/\(exportJob)/download").status, 200, "its export file was kept")
        let total = try user.call("POST", "/api/v1/queries/\(savedQuery)/runs")
        XCTAssertEqual(try total.json()["rows"] as? [[String]], [["29.51"]], total.text)
        XCTAssertEqual((try user.call("GET", "/api/v1/trash").json()["items"] as? [[String: Any]])?.count, 0)
    }

    func testPurgeRemovesTrashedDataForGoodAndHistoryStaysVerifiable() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("purge")
        let admin = try db.caller(tenant, .admin)
        let project = try created(try admin.call("POST", "/api/v1/projects", json: ["name": "gone"]))
        let dataset = try created(try admin.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": "d"]))
        let table = try created(try admin.call("POST", "/api/v1/datasets/\(dataset)/tables", json: [
            "name": "t", "columns": [["name": "a", "type": "int64"]],
        ]))
        let loose = try created(try admin.call("POST", "/api/v1/datasets/\(dataset)/tables", json: [
            "name": "loose", "columns": [["name": "a", "type": "int64"]],
        ]))
        XCTAssertEqual(try admin.call("POST", "/api/v1/tables/\(table)/rows", json: [["a": 1]]).status, 201)
        let ops = try db.ops()
        defer { ops.close() }
        let physical = try ops.query("""
            SELECT d.data_database, t.physical_name FROM datasets d JOIN dataset_tables t ON t.dataset_id = d.id WHERE t.id = \(Int64(table))
            """)[0].decode((String, String).self)
        // A table deleted on its own, then the project with everything in it.
        XCTAssertEqual(try admin.call("DELETE", "/api/v1/tables/\(loose)").status, 204)
        XCTAssertEqual(try admin.call("DELETE", "/api/v1/projects/\(project)").status, 204)
        XCTAssertEqual(try ops.scalar("SELECT COUNT(*) FROM trash WHERE tenant_id = \(tenant.tenantID)"), 2)

        // Not yet expired: a plain purge keeps it.
        let early = try db.admin(["trash", "purge"])
        XCTAssertEqual(early.status, 0, early.output)
        XCTAssertEqual(try ops.scalar("SELECT COUNT(*) FROM trash WHERE tenant_id = \(tenant.tenantID)"), 2)
        try ops.execute("UPDATE trash SET expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE tenant_id = \(tenant.tenantID) AND kind = 'project'")
        let purged = try db.admin(["trash", "purge"])
        XCTAssertEqual(purged.status, 0, purged.output)
        XCTAssertTrue(purged.output.contains("purged 2 trash entries"), purged.output)

        XCTAssertEqual(try ops.scalar("SELECT COUNT(*) FROM trash WHERE tenant_id = \(tenant.tenantID)"), 0)
        for (table, id) in [("projects", project), ("datasets", dataset), ("dataset_tables", table), ("dataset_tables", loose)] {
            XCTAssertEqual(try ops.scalar("SELECT COUNT(*) FROM \(unsafeRaw: table) WHERE id = \(Int64(id))"), 0, table)
        }
        XCTAssertEqual(try ops.scalar("SELECT COUNT(*) FROM table_columns WHERE table_id IN (\(Int64(table)), \(Int64(loose)))"), 0)
        let superuser = try db.superuser()
        defer { superuser.close() }
        XCTAssertEqual(try superuser.scalar("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = \(physical.0)"), 0)
        XCTAssertEqual(try superuser.scalar("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_NAME = \(physical.1)"), 0)
        XCTAssertEqual(try superuser.scalar("SELECT COUNT(*) FROM mysql.user WHERE User = \("dcq_\(project)")"), 0,
                       "the project's query account went with it")
        XCTAssertEqual(try admin.call("POST", "/api/v1/projects/\(project)/restore").status, 404)
        // The history stays readable, ending with the purge's delete.
        let history = try admin.call("GET", "/api/v1/datasets/\(dataset)/history").json()["items"] as? [[String: Any]] ?? []
        XCTAssertEqual(history.map { $0["operation"] as? String ?? "" }, ["delete", "delete", "insert"])
        let verified = try db.admin(["history", "verify", "--tenant", tenant.tenantName])
        XCTAssertEqual(verified.status, 0, verified.output)
    }

    /// A create racing its parent's delete waits for the delete and then finds no parent:
    /// nothing is created under a trashed project.
    func testACreateWaitingOnItsParentsDeleteCreatesNothing() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("trashrace")
        let admin = try db.caller(tenant, .admin)
        let project = try created(try admin.call("POST", "/api/v1/projects", json: ["name": "racing"]))
        let superuser = try db.superuser()
        defer { superuser.close() }
        // A delete in progress: the project row marked and locked, not yet committed.
        try superuser.execute("START TRANSACTION")
        try superuser.execute("UPDATE datacovey.projects SET trash_id = 987654321 WHERE id = \(Int64(project))")
        let answer = LockedBox<HTTPTestClient.Response?>(nil)
        let (port, token) = (db.stack.port, admin.token)
        let thread = Thread {
            answer.set(try? HTTPTestClient.request(port: port, method: "POST", path: "/api/v1/projects/\(project)/datasets",
                                                   headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")],
                                                   body: Array(#"{"name": "late"}"#.utf8), timeoutSeconds: 60))
        }
        thread.start()
        Thread.sleep(forTimeInterval: 0.5)
        XCTAssertNil(answer.get(), "the create waits for the delete")
        try superuser.execute("COMMIT")
        XCTAssertTrue(TestStack.eventually(within: 20) { answer.get() != nil })
        XCTAssertEqual(answer.get()?.status, 404)
        XCTAssertEqual(try superuser.scalar("SELECT COUNT(*) FROM datacovey.datasets WHERE project_id = \(Int64(project))"), 0)
        try superuser.execute("UPDATE datacovey.projects SET trash_id = 0 WHERE id = \(Int64(project))")
    }
}

/// A value shared with a thread.
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }
    func set(_ newValue: Value) { lock.withLock { value = newValue } }
    func get() -> Value { lock.withLock { value } }
}
