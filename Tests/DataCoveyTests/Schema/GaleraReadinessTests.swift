@testable import DataCovey
import Foundation
import MariaDB
import XCTest

/// What a Galera cluster needs of the schema and the code (docs/DESIGN.md, "Galera"), checked
/// on the single-node stack, which runs the same schema and settings.
final class GaleraReadinessTests: XCTestCase {
    /// Galera certifies and applies row events by primary key: every table of the metadata, of
    /// the trash and of every data database has one (a data table without a key of its user's
    /// has its hidden row id, sql/0025).
    func testEveryTableHasAPrimaryKey() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("primarykeys")
        let admin = try db.caller(tenant, .admin)
        let madeProject = try admin.call("POST", "/api/v1/projects", json: ["name": "pk"])
        XCTAssertEqual(madeProject.status, 201, madeProject.text)
        let project = try madeProject.json()["id"] as? Int ?? 0
        let madeDataset = try admin.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": "d"])
        XCTAssertEqual(madeDataset.status, 201, madeDataset.text)
        let dataset = try madeDataset.json()["id"] as? Int ?? 0
        for (name, key) in [("keyless", false), ("keyed", true)] {
            let created = try admin.call("POST", "/api/v1/datasets/\(dataset)/tables", json: [
                "name": name, "columns": [["name": "id", "type": "int64", "primary_key": key], ["name": "v", "type": "string"]],
            ])
            XCTAssertEqual(created.status, 201, created.text)
        }
        let superuser = try db.superuser()
        defer { superuser.close() }
        let tables = try superuser.query("""
            SELECT t.TABLE_SCHEMA, t.TABLE_NAME,
                   EXISTS (SELECT 1 FROM information_schema.TABLE_CONSTRAINTS k
                            WHERE k.TABLE_SCHEMA = t.TABLE_SCHEMA AND k.TABLE_NAME = t.TABLE_NAME AND k.CONSTRAINT_TYPE = 'PRIMARY KEY')
              FROM information_schema.TABLES t
             WHERE (t.TABLE_SCHEMA IN ('datacovey', 'datacovey_app') OR t.TABLE_SCHEMA LIKE 'dcd\\_%')
               AND t.TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')
            """).map { try $0.decode((String, String, Bool).self) }
        XCTAssertTrue(tables.contains { $0.0 == "datacovey" && $0.1 == "import_row_runs" })
        XCTAssertGreaterThanOrEqual(tables.filter { $0.0.hasPrefix("dcd_") }.count, 2, "the data tables are listed")
        let missing = tables.filter { !$0.2 }.map { "\($0.0).\($0.1)" }
        XCTAssertEqual(missing, [], "tables without a primary key")

        // A data table without a key of its user's has the hidden row id as its primary key.
        let keys = try superuser.query("""
            SELECT t.name, GROUP_CONCAT(s.COLUMN_NAME ORDER BY s.SEQ_IN_INDEX)
              FROM datacovey.dataset_tables t JOIN datacovey.datasets d ON d.id = t.dataset_id
              JOIN information_schema.STATISTICS s ON s.TABLE_SCHEMA = d.data_database AND s.TABLE_NAME = t.physical_name
             WHERE t.dataset_id = \(Int64(dataset)) AND s.INDEX_NAME = 'PRIMARY' GROUP BY t.name ORDER BY t.name
            """).map { try $0.decode((String, String).self) }
        XCTAssertEqual(keys.map { "\($0.0): \($0.1)" }, ["keyed: id", "keyless: _dc_row_id"])
    }

    /// Table locks and named locks are local to one node (not replicated): no account may take
    /// table locks, and no statement of the code or the migrations takes either.
    func testNothingTakesNodeLocalLocks() throws {
        let db = try StackDatabase.require()
        let superuser = try db.superuser()
        defer { superuser.close() }
        for account in ["dc_app", "dc_data", "dc_ops", "dc_worker", "dc_owner", "dc_grantor"] {
            let grants = try superuser.query("SHOW GRANTS FOR '\(unsafeRaw: account)'@'localhost'").map { try $0.decode(String.self, at: 0) }
            XCTAssertFalse(grants.contains { $0.contains("LOCK TABLES") }, "\(account): \(grants)")
        }
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let pattern = try NSRegularExpression(pattern: #"\b(GET_LOCK|RELEASE_LOCK|RELEASE_ALL_LOCKS|LOCK\s+TABLES?)\b"#,
                                              options: [.caseInsensitive])
        // Where the words are allowed: the guard that refuses them in user SQL, the grant that
        // 0005 gave (applied migrations are never edited) and 0025 that revokes it.
        let allowed: Set<String> = ["SQLGuardVocabulary.swift", "0005_accounts.sql", "0025_galera.sql"]
        var found: [String] = []
        for directory in ["Sources", "sql"] {
            let root = repository.appendingPathComponent(directory)
            let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
            XCTAssertFalse(files.isEmpty, "\(root.path) is read")
            for file in files where ["swift", "sql"].contains(file.pathExtension) && !allowed.contains(file.lastPathComponent) {
                let text = try String(contentsOf: file, encoding: .utf8)
                if pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil { found.append(file.lastPathComponent) }
            }
        }
        XCTAssertEqual(found, [])
    }

    /// On a server that is not a Galera node the import's transaction is left as it was: no
    /// streaming replication settings (ImportTransaction).
    func testNoStreamingReplicationWithoutWsrep() throws {
        let db = try StackDatabase.require()
        let worker = try MariaDBConnection.connect(db.configuration.workerDatabase)
        defer { worker.close() }
        XCTAssertEqual(try worker.query("SELECT @@wsrep_on")[0].decode(Bool.self, at: 0), false)
        XCTAssertNil(try ImportTransaction.fragmentSize(on: worker))
        let value = try ImportTransaction.run(on: worker) { connection in
            try connection.query("SELECT @@wsrep_trx_fragment_size, @@tx_isolation")[0].decode((Int64, String).self)
        }
        XCTAssertEqual(value.0, 0)
        XCTAssertEqual(value.1, "REPEATABLE-READ")
    }
}
