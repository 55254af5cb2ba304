@testable import DataCovey
import Foundation
import Logging
import MariaDB
import TestSupport
import XCTest

/// The database alone keeps user SQL to its project: these call the executor directly, with
/// SQL the guard would refuse, on the project's own account.
final class QueryAccountIsolationTests: XCTestCase {
    private func executor(_ db: StackDatabase, statementSeconds: Int = 30) -> (QueryExecutor, QueryAccounts) {
        var configuration = db.configuration
        configuration.queries.statementSeconds = statementSeconds
        let service = QueryService(configuration: configuration, logger: Logger(label: "test"))
        return (service.executor, service.accounts)
    }

    /// Runs raw SQL as the project's account; the account is synced on the tenant's connection.
    private func run(_ executor: QueryExecutor, _ accounts: QueryAccounts, _ fixture: QueryFixture, _ sql: String) throws -> QueryResult {
        let app = try fixture.db.app()
        defer { app.close() }
        try app.scope(tenant: fixture.tenant.tenantID, user: fixture.tenant.userID)
        return try executor.run(project: Int64(fixture.project), sql: sql, binds: []) {
            try accounts.sync(project: Int64(fixture.project), on: app)
        }
    }

    func testTheProjectAccountReadsItsOwnTablesOnlyAndNoMetadata() throws {
        let fixture = try QueryFixture.make("qdbiso")
        let sibling = try QueryFixture.make("qdbisosib")
        let (executor, accounts) = executor(fixture.db)
        let own = try fixture.physicalName(ofTable: fixture.orders)
        let theirs = try sibling.physicalName(ofTable: sibling.orders)
        let ownDatabases = "'\(own.database)', '\(try fixture.physicalName(ofTable: fixture.customers).database)'"

        let mine = try run(executor, accounts, fixture, "SELECT COUNT(*) FROM `\(own.database)`.`\(own.table)`")
        XCTAssertEqual(mine.rows.texts, [["3"]])

        let refused = [
            "SELECT * FROM `\(theirs.database)`.`\(theirs.table)`",
            "SELECT * FROM datacovey.users",
            "SELECT * FROM datacovey.query_runs",
            "SELECT * FROM datacovey_app.projects",
            "SELECT * FROM mysql.user",
            "SELECT * FROM mysql.global_priv",
            "INSERT INTO `\(own.database)`.`\(own.table)` (id) VALUES (99)",
            "DELETE FROM `\(own.database)`.`\(own.table)`",
            "CREATE TABLE `\(own.database)`.`x` (a INT)",
            "SELECT LOAD_FILE('/etc/passwd') INTO OUTFILE '/tmp/dc-iso-leak'",
            "CALL datacovey_app.sync_query_account(1, '*0', 1, 1, 1)",
        ]
        for sql in refused {
            XCTAssertThrowsError(try run(executor, accounts, fixture, sql), sql) { error in
                let code = (error as? MariaDBError)?.code ?? 0
                XCTAssertTrue([1044, 1045, 1142, 1143, 1227, 1370, 1792].contains(code), "\(sql): \(error)")
            }
        }
        // Metadata: only the account's own objects are visible at all.
        let schemas = try run(executor, accounts, fixture, """
            SELECT COUNT(*) FROM information_schema.SCHEMATA
             WHERE SCHEMA_NAME NOT IN ('information_schema', 'performance_schema', \(ownDatabases))
            """)
        XCTAssertEqual(schemas.rows.texts, [["0"]])
        let tables = try run(executor, accounts, fixture, """
            SELECT COUNT(*) FROM information_schema.TABLES
             WHERE TABLE_SCHEMA NOT IN ('information_schema', 'performance_schema', \(ownDatabases))
            """)
        XCTAssertEqual(tables.rows.texts, [["0"]])
        let sessions = try run(executor, accounts, fixture, """
            SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER <> 'dcq_\(fixture.project)'
            """)
        XCTAssertEqual(sessions.rows.texts, [["0"]], "other accounts' SQL is not visible")
        let grants = try run(executor, accounts, fixture, "SELECT COUNT(*) FROM information_schema.USER_PRIVILEGES WHERE GRANTEE NOT LIKE '%dcq_\(fixture.project)%'")
        XCTAssertEqual(grants.rows.texts, [["0"]])
        // Session variables are no way out: the account has no other tenant's data to reach.
        let variable = try run(executor, accounts, fixture, "SELECT COUNT(*) FROM `\(own.database)`.`\(own.table)` WHERE (@dc_tenant := \(fixture.other.tenantID)) IS NOT NULL")
        XCTAssertEqual(variable.rows.texts, [["3"]])
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/dc-iso-leak"))
    }

    func testTheAccountLimitsAreTheServersAndBecome429() throws {
        let fixture = try QueryFixture.make("qdblimits")
        var configuration = fixture.db.configuration
        configuration.queries.connectionsPerProject = 1
        configuration.queries.queriesPerHour = 12
        let service = QueryService(configuration: configuration, logger: Logger(label: "test"))
        let project = Int64(fixture.project)
        let app = try fixture.db.app()
        defer { app.close() }
        try app.scope(tenant: fixture.tenant.tenantID, user: fixture.tenant.userID)
        try service.accounts.sync(project: project, on: app)

        // MAX_USER_CONNECTIONS 1: a second session of the project is refused while one is open.
        let held = try service.executor.connections.lease(project: project) {}
        XCTAssertMariaDBError(1226, try service.executor.connections.lease(project: project) {})
        // Kept for reuse: the runs below take this one connection again.
        try held.executeText("SELECT 1")
        service.executor.connections.release(held, project: project, reusable: true)

        // MAX_QUERIES_PER_HOUR 12: a query costs four statements, so the fourth run fails.
        var refusal: Error?
        for _ in 0..<10 {
            do {
                _ = try service.executor.run(project: project, sql: "SELECT 1", binds: []) {}
            } catch {
                refusal = error
                break
            }
        }
        let error = try XCTUnwrap(refusal as? MariaDBError, "the hourly limit stopped the account")
        XCTAssertEqual(error.code, 1226)
        XCTAssertTrue(error.message.contains("max_queries_per_hour"), error.message)
        let problem = service.problem(for: error, names: []).problem
        XCTAssertEqual(problem.status, 429)
        XCTAssertEqual(problem.headers.first?.name, "Retry-After")
    }

    func testAnotherTenantCannotSyncOrDropTheAccount() throws {
        let fixture = try QueryFixture.make("qdbsync")
        let (_, accounts) = executor(fixture.db)
        let app = try fixture.db.app()
        defer { app.close() }
        try app.scope(tenant: fixture.other.tenantID, user: fixture.other.userID)
        XCTAssertMariaDBError(1644, try accounts.sync(project: Int64(fixture.project), on: app))
        XCTAssertMariaDBError(1644, try accounts.drop(project: Int64(fixture.project), on: app))
    }

    func testTheStatementLimitAndTheClientDeadlineStopALongQuery() throws {
        let fixture = try QueryFixture.make("qdbtime")
        let (executor, accounts) = executor(fixture.db, statementSeconds: 1)
        let started = Date()
        // A cross join the server works on for far longer than a second (about 10^10 rows).
        XCTAssertThrowsError(try run(executor, accounts, fixture, """
            SELECT COUNT(*) FROM information_schema.COLLATIONS a, information_schema.COLLATIONS b,
                   information_schema.COLLATIONS c, information_schema.COLLATIONS d
            """)) { error in
            XCTAssertEqual((error as? MariaDBError)?.code, 1969, "\(error)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 2.5)
        // SLEEP is cut short by the limit too (it returns instead of failing).
        let sleepStart = Date()
        _ = try? run(executor, accounts, fixture, "SELECT SLEEP(5)")
        XCTAssertLessThan(Date().timeIntervalSince(sleepStart), 2.5)
    }
}
