import DataCovey
import MariaDB
import XCTest

/// The responder's pool over the real views. It skips mysql_reset_connection (prepared statements
/// stay cached), so these tests prove the cheaper scheme is as tight: a tenant set by one lease
/// never reaches the next, whichever way the next one starts.
final class PooledTenantScopeTests: XCTestCase {
    private func oneConnectionDatabase(_ db: StackDatabase) -> Database {
        // One connection, so every lease is certain to reuse the previous one's.
        Database(pool: Database.responderPool(db.configuration, maxConnections: 1))
    }

    private func counts(_ connection: MariaDBConnection) throws -> [Int64?] {
        try ["projects", "users", "tenants", "project_history"].map {
            try connection.scalar("SELECT COUNT(*) FROM \(unsafeRaw: $0)")
        }
    }

    private func seedAndScope(_ database: Database, _ tenant: TenantFixture) throws -> Int64? {
        try database.withTenant(tenant.tenantID, userID: tenant.userID) { connection in
            _ = try TenantViewWriter(connection: connection, tenantID: tenant.tenantID).project("pooled_\(tenant.tenantID)")
            XCTAssertEqual(try connection.scalar("SELECT COUNT(*) FROM projects"), 1)
            return try connection.scalar("SELECT CONNECTION_ID()")
        }
    }

    func testALeaseWithoutATenantSeesNoRowsAfterALeaseThatSetOne() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("pooled")
        let database = oneConnectionDatabase(db)
        defer { database.shutDown() }
        let first = try seedAndScope(database, tenant)
        try database.withoutTenant { connection in
            XCTAssertEqual(try connection.scalar("SELECT CONNECTION_ID()"), first, "the connection was reused")
            XCTAssertEqual(try counts(connection), [0, 0, 0, 0])
        }
    }

    func testAnUnknownSubjectLeavesTheReusedConnectionUnscoped() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("subject")
        let database = oneConnectionDatabase(db)
        defer { database.shutDown() }
        let first = try seedAndScope(database, tenant)
        try database.withSubject("auth0|nobody") { row, connection in
            XCTAssertNil(row)
            XCTAssertEqual(try connection.scalar("SELECT CONNECTION_ID()"), first)
            XCTAssertEqual(try counts(connection), [0, 0, 0, 0])
        }
    }

    func testATransactionLeftOpenIsRolledBackAtRelease() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("opentx")
        let database = oneConnectionDatabase(db)
        defer { database.shutDown() }
        try database.withTenant(tenant.tenantID, userID: tenant.userID) { connection in
            try connection.executeText("START TRANSACTION")
            _ = try TenantViewWriter(connection: connection, tenantID: tenant.tenantID).project("never_committed")
        }
        try database.withTenant(tenant.tenantID, userID: tenant.userID) { connection in
            XCTAssertFalse(connection.isInTransaction)
            XCTAssertEqual(try connection.scalar("SELECT COUNT(*) FROM projects"), 0)
        }
    }
}
