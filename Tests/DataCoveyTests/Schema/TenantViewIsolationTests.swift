import MariaDB
import XCTest

/// SECURITY rules 1, 2 and 4: the responder's account (dc_app) reaches tenant data only through the
/// views of `datacovey_app`, and each view shows and accepts the session tenant's rows only.
final class TenantViewIsolationTests: XCTestCase {
    // MARK: Base tables are out of reach

    func testAppAccountIsRefusedOnEveryBaseTableEvenWithATenantSet() throws {
        let db = try StackDatabase.require()
        let (a, _) = try db.makeTwoTenants("iso-base")
        let tables = try baseTables(db)
        XCTAssertTrue(Set(["tenants", "users", "projects", "tenant_history", "user_history", "schema_migrations"]).isSubset(of: tables),
                      "the listing must really cover the schema: \(tables)")
        let app = try db.app()
        defer { app.close() }
        try app.scope(tenant: a.tenantID, user: a.userID)
        for table in tables {
            XCTAssertMariaDBError(1142, try app.query("SELECT * FROM datacovey.`\(unsafeRaw: table)` LIMIT 1"), "datacovey.\(table)")
        }
    }

    // MARK: Reads

    func testEachTenantSeesOnlyItsOwnRows() throws {
        let db = try StackDatabase.require()
        let (a, b) = try db.makeTwoTenants("iso-read")
        let app = try db.app()
        defer { app.close() }
        var ids: [Int64: (project: Int64, dataset: Int64)] = [:]
        for tenant in [a, b] {
            try app.scope(tenant: tenant.tenantID, user: tenant.userID)
            let writer = TenantViewWriter(connection: app, tenantID: tenant.tenantID)
            let project = try writer.project("same-name")
            ids[tenant.tenantID] = (project, try writer.dataset("same-dataset", project: project))
        }

        for tenant in [a, b] {
            let (project, dataset) = try XCTUnwrap(ids[tenant.tenantID])
            let t = tenant.tenantID
            try app.scope(tenant: t, user: tenant.userID)
            XCTAssertEqual(try app.textRows("SELECT id, tenant_id, name FROM projects"), ["\(project)|\(t)|same-name"])
            XCTAssertEqual(try app.textRows("SELECT id, tenant_id, project_id, name FROM datasets"), ["\(dataset)|\(t)|\(project)|same-dataset"])
            XCTAssertEqual(try app.textRows("SELECT id, tenant_id FROM users"), ["\(tenant.userID)|\(t)"])
            XCTAssertEqual(try app.textRows("SELECT id, name FROM tenants"), ["\(t)|\(tenant.tenantName)"])
            XCTAssertEqual(try app.textRows("SELECT entity_id, tenant_id, operation FROM project_history"), ["\(project)|\(t)|insert"])
            XCTAssertEqual(try app.textRows("SELECT entity_id, tenant_id, operation FROM tenant_history"), ["\(t)|\(t)|insert"])
        }
    }

    func testWithoutATenantEveryViewIsEmpty() throws {
        let db = try StackDatabase.require()
        let (a, b) = try db.makeTwoTenants("iso-unset")
        let app = try db.app()
        defer { app.close() }
        for tenant in [a, b] {
            try app.scope(tenant: tenant.tenantID, user: tenant.userID)
            let writer = TenantViewWriter(connection: app, tenantID: tenant.tenantID)
            _ = try writer.dataset("visible-only-when-scoped", project: try writer.project("scoped"))
        }
        let views = try tenantViews(db)
        XCTAssertTrue(Set(["projects", "datasets", "users", "tenants", "identities", "project_history"]).isSubset(of: views), "\(views)")

        try app.scope(tenant: nil, user: nil)
        try app.execute("SET @dc_subject = NULL")
        for view in views {
            XCTAssertEqual(try app.scalar("SELECT COUNT(*) FROM `\(unsafeRaw: view)`"), 0, "datacovey_app.\(view) without @dc_tenant")
        }
    }

    // MARK: Writes

    func testInsertingARowForAnotherTenantFailsTheCheckOption() throws {
        let db = try StackDatabase.require()
        let (a, b) = try db.makeTwoTenants("iso-insert")
        let app = try db.app()
        defer { app.close() }
        try app.scope(tenant: b.tenantID, user: b.userID)

        XCTAssertMariaDBError(1369, try app.execute("INSERT INTO projects (tenant_id, name) VALUES (\(a.tenantID), 'planted')"))

        let ops = try db.ops()
        defer { ops.close() }
        XCTAssertEqual(try ops.scalar("SELECT COUNT(*) FROM projects WHERE tenant_id IN (\(a.tenantID), \(b.tenantID))"), 0)
    }

    func testUpdateAndDeleteOfAnotherTenantsRowMatchNothing() throws {
        let db = try StackDatabase.require()
        let (a, b) = try db.makeTwoTenants("iso-update")
        let app = try db.app()
        defer { app.close() }
        try app.scope(tenant: a.tenantID, user: a.userID)
        let project = try TenantViewWriter(connection: app, tenantID: a.tenantID).project("alpha")

        try app.scope(tenant: b.tenantID, user: b.userID)
        XCTAssertEqual(try app.execute("UPDATE projects SET name = 'taken' WHERE id = \(project)").affectedRows, 0)
        XCTAssertEqual(try app.execute("DELETE FROM projects WHERE id = \(project)").affectedRows, 0)

        let ops = try db.ops()
        defer { ops.close() }
        XCTAssertEqual(try ops.textRows("SELECT tenant_id, name, version FROM projects WHERE id = \(project)"), ["\(a.tenantID)|alpha|1"])
        XCTAssertEqual(try ops.scalar("SELECT COUNT(*) FROM project_history WHERE entity_id = \(project)"), 1, "only the insert")
    }

    func testMovingARowToAnotherTenantFailsTheCheckOption() throws {
        let db = try StackDatabase.require()
        let (a, b) = try db.makeTwoTenants("iso-move")
        let app = try db.app()
        defer { app.close() }
        try app.scope(tenant: a.tenantID, user: a.userID)
        let project = try TenantViewWriter(connection: app, tenantID: a.tenantID).project("alpha")

        XCTAssertMariaDBError(1369, try app.execute("UPDATE projects SET tenant_id = \(b.tenantID) WHERE id = \(project)"))

        let ops = try db.ops()
        defer { ops.close() }
        XCTAssertEqual(try ops.textRows("SELECT tenant_id, name, version FROM projects WHERE id = \(project)"), ["\(a.tenantID)|alpha|1"])
    }

    /// Two different guards answer, depending on which tenant the child claims: with its own
    /// tenant the composite FK (tenant_id, project_id) finds no such parent (1452); with the
    /// parent's tenant the view's CHECK OPTION refuses the row before the FK is consulted (1369).
    func testAChildCannotBeAttachedToAnotherTenantsParent() throws {
        let db = try StackDatabase.require()
        let (a, b) = try db.makeTwoTenants("iso-child")
        let app = try db.app()
        defer { app.close() }
        try app.scope(tenant: a.tenantID, user: a.userID)
        let project = try TenantViewWriter(connection: app, tenantID: a.tenantID).project("alpha")

        try app.scope(tenant: b.tenantID, user: b.userID)
        XCTAssertMariaDBError(1452, try app.execute(
            "INSERT INTO datasets (tenant_id, project_id, name) VALUES (\(b.tenantID), \(project), 'stowaway')"))
        XCTAssertMariaDBError(1369, try app.execute(
            "INSERT INTO datasets (tenant_id, project_id, name) VALUES (\(a.tenantID), \(project), 'stowaway')"))

        let ops = try db.ops()
        defer { ops.close() }
        XCTAssertEqual(try ops.scalar("SELECT COUNT(*) FROM datasets WHERE project_id = \(project)"), 0)
    }

    /// REPLACE checks the new row against the view but deletes the row it collides with unchecked;
    /// the AFTER DELETE trigger refuses deleting another tenant's row (0003, "delete guard").
    func testReplaceWithAnotherTenantsSubjectCannotDeleteTheirUser() throws {
        let db = try StackDatabase.require()
        let (a, b) = try db.makeTwoTenants("iso-replace")
        let ops = try db.ops()
        defer { ops.close() }
        let before = try ops.textRows("SELECT id, tenant_id, auth0_sub, email, version FROM users WHERE id = \(a.userID)")
        let subjectOfA = try XCTUnwrap(try ops.text("SELECT auth0_sub FROM users WHERE id = \(a.userID)"))

        let app = try db.app()
        defer { app.close() }
        try app.scope(tenant: b.tenantID, user: b.userID)
        XCTAssertMariaDBError(1644, try app.execute("""
            REPLACE INTO users (tenant_id, auth0_sub, email, role)
            VALUES (\(b.tenantID), \(subjectOfA), 'takeover@iso-replace.test', 'admin')
            """))

        XCTAssertEqual(try ops.textRows("SELECT id, tenant_id, auth0_sub, email, version FROM users WHERE id = \(a.userID)"), before)
        XCTAssertEqual(before.count, 1)
        XCTAssertEqual(try ops.scalar("SELECT COUNT(*) FROM users WHERE tenant_id = \(b.tenantID)"), 1, "only B's admin")
    }

    /// The same hole through the primary key: the BEFORE INSERT trigger already refuses an
    /// explicit id whose history belongs to another tenant.
    func testReplaceWithAnotherTenantsIDCannotDeleteTheirProject() throws {
        let db = try StackDatabase.require()
        let (a, b) = try db.makeTwoTenants("iso-replace-id")
        let app = try db.app()
        defer { app.close() }
        try app.scope(tenant: a.tenantID, user: a.userID)
        let project = try TenantViewWriter(connection: app, tenantID: a.tenantID).project("alpha")

        try app.scope(tenant: b.tenantID, user: b.userID)
        XCTAssertMariaDBError(1644, try app.execute(
            "REPLACE INTO projects (id, tenant_id, name) VALUES (\(project), \(b.tenantID), 'stolen')"))

        let ops = try db.ops()
        defer { ops.close() }
        XCTAssertEqual(try ops.textRows("SELECT tenant_id, name, version FROM projects WHERE id = \(project)"), ["\(a.tenantID)|alpha|1"])
    }

    func testUpsertWithAnotherTenantsSubjectFailsTheCheckOption() throws {
        let db = try StackDatabase.require()
        let (a, b) = try db.makeTwoTenants("iso-upsert")
        let ops = try db.ops()
        defer { ops.close() }
        let before = try ops.textRows("SELECT id, tenant_id, auth0_sub, email, version FROM users WHERE id = \(a.userID)")
        let subjectOfA = try XCTUnwrap(try ops.text("SELECT auth0_sub FROM users WHERE id = \(a.userID)"))

        let app = try db.app()
        defer { app.close() }
        try app.scope(tenant: b.tenantID, user: b.userID)
        XCTAssertMariaDBError(1369, try app.execute("""
            INSERT INTO users (tenant_id, auth0_sub, email) VALUES (\(b.tenantID), \(subjectOfA), 'x@iso-upsert.test')
            ON DUPLICATE KEY UPDATE email = 'takeover@iso-upsert.test'
            """))

        XCTAssertEqual(try ops.textRows("SELECT id, tenant_id, auth0_sub, email, version FROM users WHERE id = \(a.userID)"), before)
    }

    // MARK: Sign-in

    func testIdentitiesShowOnlyTheUserNamedByTheSubject() throws {
        let db = try StackDatabase.require()
        let (a, b) = try db.makeTwoTenants("iso-identity")
        let ops = try db.ops()
        defer { ops.close() }
        func subject(_ user: Int64) throws -> String {
            try XCTUnwrap(try ops.text("SELECT auth0_sub FROM users WHERE id = \(user)"))
        }
        let app = try db.app()
        defer { app.close() }
        let columns: SQLQuery = "SELECT user_id, tenant_id, tenant_name, role, user_disabled, tenant_disabled FROM identities"

        for tenant in [a, b] {
            try app.execute("SET @dc_subject = \(try subject(tenant.userID))")
            XCTAssertEqual(try app.textRows(columns), ["\(tenant.userID)|\(tenant.tenantID)|\(tenant.tenantName)|admin|0|0"])
        }
        // The look-up crosses tenants by design: a session scoped to B still finds A's subject, and only it.
        try app.scope(tenant: b.tenantID, user: b.userID)
        try app.execute("SET @dc_subject = \(try subject(a.userID))")
        XCTAssertEqual(try app.textRows("SELECT user_id FROM identities"), ["\(a.userID)"])

        try app.execute("SET @dc_subject = 'local|nobody@iso-identity.test'")
        XCTAssertEqual(try app.scalar("SELECT COUNT(*) FROM identities"), 0)
        try app.execute("SET @dc_subject = NULL")
        XCTAssertEqual(try app.scalar("SELECT COUNT(*) FROM identities"), 0)
    }

    // MARK: Shape and plans of the views

    /// SECURITY rule 1: a NOT DETERMINISTIC tenant function, or a view that stops merging, turns
    /// every read into a full scan. Every view must reach its rows through an index: `ref` on an
    /// index that starts with tenant_id, or a single-row look-up for `tenants` and `identities`.
    func testEveryViewReadsThroughAnIndexOnTheSessionTenant() throws {
        let db = try StackDatabase.require()
        let (a, _) = try db.makeTwoTenants("iso-explain")
        let ops = try db.ops()
        defer { ops.close() }
        let subjectOfA = try XCTUnwrap(try ops.text("SELECT auth0_sub FROM users WHERE id = \(a.userID)"))
        try ops.scope(tenant: a.tenantID, user: nil)
        try ops.execute("SET @dc_subject = \(subjectOfA)")
        let singleRowViews: Set = ["tenants", "identities", "time_travel"]

        let views = try tenantViews(db)
        XCTAssertTrue(Set(["projects", "tenants", "identities", "query_runs", "export_job_history"]).isSubset(of: views), "\(views)")
        for view in views {
            let plan = try ops.query("EXPLAIN SELECT * FROM datacovey_app.`\(unsafeRaw: view)`")
            guard let first = plan.first else {
                XCTFail("\(view): EXPLAIN returned no plan")
                continue
            }
            let type = try first.decode(String?.self, column: "type")
            let key = try first.decode(String?.self, column: "key")
            let table = try first.decode(String.self, column: "table")
            XCTAssertNotEqual(type, "ALL", "\(view): full scan")
            XCTAssertNotNil(key, "\(view): no index used (type \(type ?? "NULL"))")
            if singleRowViews.contains(view) {
                XCTAssertTrue(["const", "eq_ref", "ref"].contains(type ?? ""), "\(view): type \(type ?? "NULL")")
            } else {
                XCTAssertEqual(type, "ref", "\(view): access type")
                XCTAssertEqual(try first.decode(String?.self, column: "ref"), "const", "\(view): the tenant must be a constant")
                if let key {
                    XCTAssertEqual(try ops.text("""
                        SELECT COLUMN_NAME FROM information_schema.STATISTICS
                        WHERE TABLE_SCHEMA = 'datacovey' AND TABLE_NAME = \(table) AND INDEX_NAME = \(key) AND SEQ_IN_INDEX = 1
                        """), "tenant_id", "\(view): index \(key) must start with tenant_id")
                }
            }
        }
    }

    /// SECURITY rule 2, read from the catalog so a new view is held to it automatically.
    func testEveryViewIsAMergeDefinerViewAndTenantViewsCascadeTheirCheckOption() throws {
        let db = try StackDatabase.require()
        let ops = try db.ops()
        defer { ops.close() }
        let rows = try ops.query("""
            SELECT TABLE_NAME, ALGORITHM, SECURITY_TYPE, CHECK_OPTION, DEFINER
            FROM information_schema.VIEWS WHERE TABLE_SCHEMA = 'datacovey_app' ORDER BY TABLE_NAME
            """)
        XCTAssertGreaterThan(rows.count, 10)
        for row in rows {
            let (view, algorithm, security, checkOption, definer) = try row.decode((String, String, String, String, String).self)
            XCTAssertEqual(algorithm, "MERGE", view)
            XCTAssertEqual(security, "DEFINER", view)
            XCTAssertEqual(definer, "dc_owner@localhost", view)
            // identities is read-only by grant and has no tenant predicate to check; time_travel
            // (0023) is read-only by grant and a join, which MariaDB cannot check.
            XCTAssertEqual(checkOption, ["identities", "time_travel"].contains(view) ? "NONE" : "CASCADED", view)
        }
    }

    // MARK: Helpers

    /// Every base table of `datacovey`, read from the catalog as the operators' account, so a new
    /// table is covered without editing this test.
    private func baseTables(_ db: StackDatabase) throws -> [String] {
        let ops = try db.ops()
        defer { ops.close() }
        return try ops.query("""
            SELECT TABLE_NAME FROM information_schema.TABLES
            WHERE TABLE_SCHEMA = 'datacovey' AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME
            """).map { try $0.decode(String.self, at: 0) }
    }

    /// Every view of `datacovey_app`, from the catalog.
    private func tenantViews(_ db: StackDatabase) throws -> [String] {
        let ops = try db.ops()
        defer { ops.close() }
        return try ops.query("""
            SELECT TABLE_NAME FROM information_schema.VIEWS WHERE TABLE_SCHEMA = 'datacovey_app' ORDER BY TABLE_NAME
            """).map { try $0.decode(String.self, at: 0) }
    }
}
