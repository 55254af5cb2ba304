import MariaDB
import XCTest

/// 0003: every write to a tracked table leaves a version in its history table, whoever writes it,
/// with the acting user, the database account and the full row image.
final class HistoryTriggerTests: XCTestCase {
    // MARK: Insert, update, update, delete → versions 1, 2, 3, 4

    func testUserWritesAreVersioned() throws {
        let db = try StackDatabase.require()
        let (a, b) = try db.makeTwoTenants("hist-user")
        let app = try scopedApp(db, a)
        defer { app.close() }
        let subject = "local|history-\(UInt64.random(in: 0..<UInt64.max))@hist-user.test"
        try assertFourVersions(of: TrackedEntity(
            table: "users", history: "user_history", column: "name", values: ["Ada", "Ada L.", "Ada Lovelace"],
            insert: "INSERT INTO users (tenant_id, auth0_sub, email, name, role) VALUES (\(a.tenantID), \(subject), 'ada@hist-user.test', 'Ada', 'user')"),
            writer: app, account: db.configuration.appAccount.user, actor: a.userID, owner: a.tenantID, stranger: b.tenantID, db: db)
    }

    func testProjectWritesAreVersioned() throws {
        let db = try StackDatabase.require()
        let (a, b) = try db.makeTwoTenants("hist-project")
        let app = try scopedApp(db, a)
        defer { app.close() }
        try assertFourVersions(of: TrackedEntity(
            table: "projects", history: "project_history", column: "name", values: ["sales", "sales-2025", "sales-archive"],
            insert: "INSERT INTO projects (tenant_id, name, created_by) VALUES (\(a.tenantID), 'sales', \(a.userID))"),
            writer: app, account: db.configuration.appAccount.user, actor: a.userID, owner: a.tenantID, stranger: b.tenantID, db: db)
    }

    func testDatasetWritesAreVersioned() throws {
        let db = try StackDatabase.require()
        let (a, b) = try db.makeTwoTenants("hist-dataset")
        let app = try scopedApp(db, a)
        defer { app.close() }
        let project = try TenantViewWriter(connection: app, tenantID: a.tenantID).project("parent")
        try assertFourVersions(of: TrackedEntity(
            table: "datasets", history: "dataset_history", column: "name", values: ["orders", "orders-eu", "orders-world"],
            insert: "INSERT INTO datasets (tenant_id, project_id, name) VALUES (\(a.tenantID), \(project), 'orders')"),
            writer: app, account: db.configuration.appAccount.user, actor: a.userID, owner: a.tenantID, stranger: b.tenantID, db: db)
    }

    func testDatasetTableWritesAreVersioned() throws {
        let db = try StackDatabase.require()
        let (a, b) = try db.makeTwoTenants("hist-table")
        let app = try scopedApp(db, a)
        defer { app.close() }
        let writer = TenantViewWriter(connection: app, tenantID: a.tenantID)
        let dataset = try writer.dataset("parent", project: try writer.project("parent"))
        try assertFourVersions(of: TrackedEntity(
            table: "dataset_tables", history: "table_history", column: "name", values: ["lines", "order_lines", "order_items"],
            insert: "INSERT INTO dataset_tables (tenant_id, dataset_id, name) VALUES (\(a.tenantID), \(dataset), 'lines')"),
            writer: app, account: db.configuration.appAccount.user, actor: a.userID, owner: a.tenantID, stranger: b.tenantID, db: db)
    }

    func testTableColumnWritesAreVersioned() throws {
        let db = try StackDatabase.require()
        let (a, b) = try db.makeTwoTenants("hist-column")
        let app = try scopedApp(db, a)
        defer { app.close() }
        let table = try TenantViewWriter(connection: app, tenantID: a.tenantID).tableWithParents("parent")
        try assertFourVersions(of: TrackedEntity(
            table: "table_columns", history: "table_column_history", column: "name", values: ["amt", "amount", "amount_eur"],
            insert: "INSERT INTO table_columns (tenant_id, table_id, position, name, type) VALUES (\(a.tenantID), \(table), 0, 'amt', 'int64')"),
            writer: app, account: db.configuration.appAccount.user, actor: a.userID, owner: a.tenantID, stranger: b.tenantID, db: db)
    }

    func testQueryWritesAreVersioned() throws {
        let db = try StackDatabase.require()
        let (a, b) = try db.makeTwoTenants("hist-query")
        let app = try scopedApp(db, a)
        defer { app.close() }
        let project = try TenantViewWriter(connection: app, tenantID: a.tenantID).project("parent")
        try assertFourVersions(of: TrackedEntity(
            table: "queries", history: "query_history", column: "sql_text",
            values: ["SELECT 1", "SELECT 2", "SELECT 3"],
            insert: "INSERT INTO queries (tenant_id, project_id, name, sql_text) VALUES (\(a.tenantID), \(project), 'top', 'SELECT 1')"),
            writer: app, account: db.configuration.appAccount.user, actor: a.userID, owner: a.tenantID, stranger: b.tenantID, db: db)
    }

    func testImportJobWritesAreVersioned() throws {
        let db = try StackDatabase.require()
        let (a, b) = try db.makeTwoTenants("hist-import")
        let app = try scopedApp(db, a)
        defer { app.close() }
        let table = try TenantViewWriter(connection: app, tenantID: a.tenantID).tableWithParents("parent")
        try assertFourVersions(of: TrackedEntity(
            // Never pending: the stack's running worker would claim the job and race the test.
            table: "import_jobs", history: "import_job_history", column: "status", values: ["completed", "failed", "completed"],
            insert: "INSERT INTO import_jobs (tenant_id, table_id, format, status) VALUES (\(a.tenantID), \(table), 'csv', 'completed')"),
            writer: app, account: db.configuration.appAccount.user, actor: a.userID, owner: a.tenantID, stranger: b.tenantID, db: db)
    }

    func testExportJobWritesAreVersioned() throws {
        let db = try StackDatabase.require()
        let (a, b) = try db.makeTwoTenants("hist-export")
        let app = try scopedApp(db, a)
        defer { app.close() }
        let table = try TenantViewWriter(connection: app, tenantID: a.tenantID).tableWithParents("parent")
        try assertFourVersions(of: TrackedEntity(
            table: "export_jobs", history: "export_job_history", column: "status", values: ["failed", "completed", "failed"],
            insert: "INSERT INTO export_jobs (tenant_id, table_id, format, status) VALUES (\(a.tenantID), \(table), 'ndjson', 'failed')"),
            writer: app, account: db.configuration.appAccount.user, actor: a.userID, owner: a.tenantID, stranger: b.tenantID, db: db)
    }

    /// Tenants are written by operators on the base table; the history row's tenant is the tenant itself.
    func testTenantWritesByOperatorsAreVersioned() throws {
        let db = try StackDatabase.require()
        let (a, b) = try db.makeTwoTenants("hist-tenant")
        let ops = try db.ops()
        defer { ops.close() }
        try ops.scope(tenant: nil, user: a.userID)
        let name = "th-\(String(UInt64.random(in: 0..<UInt64.max), radix: 36))"
        try assertFourVersions(of: TrackedEntity(
            table: "tenants", history: "tenant_history", column: "display_name", values: ["Acme", "Acme Ltd", "Acme Group"],
            insert: "INSERT INTO tenants (name, display_name) VALUES (\(name), 'Acme')"),
            writer: ops, account: db.configuration.opsAccount.user, actor: a.userID, owner: nil, stranger: b.tenantID, db: db)
    }

    // MARK: Restores

    /// A restore re-inserts a deleted row under its old id; its versions go on after the delete.
    func testRestoringADeletedRowContinuesItsVersionSequence() throws {
        let db = try StackDatabase.require()
        let (a, _) = try db.makeTwoTenants("hist-restore")
        let app = try scopedApp(db, a)
        defer { app.close() }
        let project = try TenantViewWriter(connection: app, tenantID: a.tenantID).project("restored")
        try app.execute("DELETE FROM projects WHERE id = \(project)")

        try app.execute("INSERT INTO projects (id, tenant_id, name) VALUES (\(project), \(a.tenantID), 'restored')")

        XCTAssertEqual(try app.textRows("SELECT version, name FROM projects WHERE id = \(project)"), ["3|restored"])
        XCTAssertEqual(try app.textRows("SELECT version, operation FROM project_history WHERE entity_id = \(project) ORDER BY version"),
                       ["1|insert", "2|delete", "3|insert"])
    }

    /// Another tenant cannot take over a deleted row's id: its history belongs to the first tenant.
    func testAnotherTenantCannotReuseTheIDOfADeletedRow() throws {
        let db = try StackDatabase.require()
        let (a, b) = try db.makeTwoTenants("hist-reuse")
        let app = try scopedApp(db, a)
        defer { app.close() }
        let project = try TenantViewWriter(connection: app, tenantID: a.tenantID).project("deleted")
        try app.execute("DELETE FROM projects WHERE id = \(project)")

        try app.scope(tenant: b.tenantID, user: b.userID)
        XCTAssertMariaDBError(1644, try app.execute("INSERT INTO projects (id, tenant_id, name) VALUES (\(project), \(b.tenantID), 'reused')"))

        let ops = try db.ops()
        defer { ops.close() }
        XCTAssertEqual(try ops.scalar("SELECT COUNT(*) FROM projects WHERE id = \(project)"), 0)
        XCTAssertEqual(try ops.textRows("SELECT tenant_id, version, operation FROM project_history WHERE entity_id = \(project) ORDER BY version"),
                       ["\(a.tenantID)|1|insert", "\(a.tenantID)|2|delete"])
    }

    // MARK: Actors and heartbeats

    func testAWriteWithoutAnActingUserSucceedsAndRecordsNoActor() throws {
        let db = try StackDatabase.require()
        let (a, b) = try db.makeTwoTenants("hist-noactor")
        let app = try db.app()
        defer { app.close() }
        try app.scope(tenant: a.tenantID, user: nil)
        let project = try TenantViewWriter(connection: app, tenantID: a.tenantID).project("unattended")
        let ops = try db.ops()
        defer { ops.close() }
        try ops.scope(tenant: nil, user: nil)
        XCTAssertEqual(try ops.execute("UPDATE projects SET description = 'by an operator' WHERE id = \(project)").affectedRows, 1)

        XCTAssertEqual(try ops.textRows("""
            SELECT version, operation, actor_user_id, SUBSTRING_INDEX(db_user, '@', 1)
            FROM project_history WHERE entity_id = \(project) ORDER BY version
            """), ["1|insert|NULL|\(db.configuration.appAccount.user)", "2|update|NULL|\(db.configuration.opsAccount.user)"])
        XCTAssertEqual(try ops.scalar("SELECT COUNT(*) FROM project_history WHERE tenant_id = \(b.tenantID)"), 0)
    }

    /// A worker's progress/lease heartbeat keeps the version (the ETag) and writes no history.
    func testImportJobHeartbeatKeepsTheVersionAndAddsNoHistory() throws {
        try assertHeartbeatKeepsTheVersion(table: "import_jobs", history: "import_job_history", progress: "bytes_read", format: "csv")
    }

    func testExportJobHeartbeatKeepsTheVersionAndAddsNoHistory() throws {
        try assertHeartbeatKeepsTheVersion(table: "export_jobs", history: "export_job_history", progress: "bytes_written", format: "ndjson")
    }

    // MARK: The shared cycle

    /// One tracked table: its base table (and view, same name), its history table, the INSERT
    /// that creates a row with `values[0]` in `column`, and the two values the updates set.
    private struct TrackedEntity {
        let table: String
        let history: String
        let column: String
        let values: [String]
        let insert: SQLQuery
    }

    /// One history row, as the assertions compare it.
    private struct Version: Equatable, CustomStringConvertible {
        let version: Int64
        let operation: String
        let tenantID: Int64
        let actor: Int64?
        let imageVersion: Int64
        let imageValue: String?
        var description: String {
            "v\(version) \(operation) tenant \(tenantID) actor \(actor.map(String.init) ?? "NULL") image(v\(imageVersion), \(imageValue ?? "NULL"))"
        }
    }

    /// Inserts, updates `column` twice and deletes through `writer`, then checks the history
    /// table (as operators) and the tenant's history view: four versions, the actor, the
    /// account, the image after each change, and nothing visible to another tenant.
    private func assertFourVersions(of entity: TrackedEntity, writer: MariaDBConnection, account: String, actor: Int64?,
                                    owner: Int64?, stranger: Int64, db: StackDatabase,
                                    file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(entity.values.count, 3, file: file, line: line)
        let id = Int64(try writer.execute(entity.insert).lastInsertID)
        for value in entity.values.dropFirst() {
            let update = try writer.execute("UPDATE \(unsafeRaw: entity.table) SET \(unsafeRaw: entity.column) = \(value) WHERE id = \(id)")
            XCTAssertEqual(update.affectedRows, 1, "update to \(value)", file: file, line: line)
        }
        XCTAssertEqual(try writer.execute("DELETE FROM \(unsafeRaw: entity.table) WHERE id = \(id)").affectedRows, 1, file: file, line: line)
        let tenant = owner ?? id

        let ops = try db.ops()
        defer { ops.close() }
        let rows = try ops.query("""
            SELECT version, operation, tenant_id, actor_user_id,
                   JSON_VALUE(row_image, '$.version'), JSON_VALUE(row_image, '$.\(unsafeRaw: entity.column)'),
                   JSON_VALUE(row_image, '$.id'), db_user
            FROM datacovey.\(unsafeRaw: entity.history) WHERE entity_id = \(id) ORDER BY version
            """)
        let versions = try rows.map { row in
            Version(version: try row.decode(Int64.self, at: 0), operation: try row.decode(String.self, at: 1),
                    tenantID: try row.decode(Int64.self, at: 2), actor: try row.decode(Int64?.self, at: 3),
                    imageVersion: try row.decode(Int64.self, at: 4), imageValue: try row.decode(String?.self, at: 5))
        }
        let (first, second, third) = (entity.values[0], entity.values[1], entity.values[2])
        XCTAssertEqual(versions, [
            Version(version: 1, operation: "insert", tenantID: tenant, actor: actor, imageVersion: 1, imageValue: first),
            Version(version: 2, operation: "update", tenantID: tenant, actor: actor, imageVersion: 2, imageValue: second),
            Version(version: 3, operation: "update", tenantID: tenant, actor: actor, imageVersion: 3, imageValue: third),
            // The delete image is the last state, under the version the delete creates.
            Version(version: 4, operation: "delete", tenantID: tenant, actor: actor, imageVersion: 3, imageValue: third),
        ], entity.table, file: file, line: line)
        for row in rows {
            XCTAssertEqual(try row.decode(Int64.self, at: 6), id, "\(entity.table): image id", file: file, line: line)
            let dbUser = try row.decode(String.self, at: 7)
            XCTAssertTrue(dbUser.hasPrefix("\(account)@"), "\(entity.table): db_user \(dbUser)", file: file, line: line)
        }

        // The tenant's own history view shows the four versions; another tenant's shows none.
        for (scope, expected) in [(tenant, Int64(4)), (stranger, 0)] {
            try ops.scope(tenant: scope, user: nil)
            XCTAssertEqual(try ops.scalar("SELECT COUNT(*) FROM datacovey_app.\(unsafeRaw: entity.history) WHERE entity_id = \(id)"),
                           expected, "\(entity.table): history seen by tenant \(scope)", file: file, line: line)
        }
    }

    private func assertHeartbeatKeepsTheVersion(table: String, history: String, progress: String, format: String,
                                                file: StaticString = #filePath, line: UInt = #line) throws {
        let db = try StackDatabase.require()
        let (a, b) = try db.makeTwoTenants("hist-beat")
        let app = try scopedApp(db, a)
        defer { app.close() }
        let parent = try TenantViewWriter(connection: app, tenantID: a.tenantID).tableWithParents("parent")
        // Not pending: the stack's running worker would claim a pending job and race the test.
        let job = Int64(try app.execute("""
            INSERT INTO \(unsafeRaw: table) (tenant_id, table_id, format, status)
            VALUES (\(a.tenantID), \(parent), \(format), 'completed')
            """).lastInsertID)

        for bytes in [4096, 8192] {
            let beat = try app.execute("""
                UPDATE \(unsafeRaw: table)
                SET \(unsafeRaw: progress) = \(bytes), percent = 50, lease_owner = 'worker-1',
                    lease_expires_at = UTC_TIMESTAMP(6) + INTERVAL 30 SECOND
                WHERE id = \(job)
                """)
            XCTAssertEqual(beat.affectedRows, 1, file: file, line: line)
        }
        XCTAssertEqual(try app.textRows("SELECT version, \(unsafeRaw: progress), lease_owner FROM \(unsafeRaw: table) WHERE id = \(job)"),
                       ["1|8192|worker-1"], file: file, line: line)
        XCTAssertEqual(try app.textRows("SELECT version, operation FROM \(unsafeRaw: history) WHERE entity_id = \(job)"),
                       ["1|insert"], file: file, line: line)

        // A real change after heartbeats is version 2, and its image carries the progress so far.
        try app.execute("UPDATE \(unsafeRaw: table) SET status = 'failed' WHERE id = \(job)")
        XCTAssertEqual(try app.textRows("""
            SELECT version, operation, JSON_VALUE(row_image, '$.\(unsafeRaw: progress)')
            FROM \(unsafeRaw: history) WHERE entity_id = \(job) ORDER BY version
            """), ["1|insert|0", "2|update|8192"], file: file, line: line)

        try app.scope(tenant: b.tenantID, user: b.userID)
        XCTAssertEqual(try app.scalar("SELECT COUNT(*) FROM \(unsafeRaw: history) WHERE entity_id = \(job)"), 0, file: file, line: line)
    }

    /// The responder's connection, scoped to `tenant` with its admin as the acting user.
    private func scopedApp(_ db: StackDatabase, _ tenant: TenantFixture) throws -> MariaDBConnection {
        let app = try db.app()
        try app.scope(tenant: tenant.tenantID, user: tenant.userID)
        return app
    }
}
