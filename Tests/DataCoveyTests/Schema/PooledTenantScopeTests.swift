import DataCovey
import MariaDB
import XCTest

/// The responder's pool over the real views: a tenant set by one lease never reaches the next.
final class PooledTenantScopeTests: XCTestCase {
    func testALeaseWithoutATenantSeesNoRowsAfterALeaseThatSetOne() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("pooled")
        // One connection, so the second lease is certain to reuse the first one's.
        let pool = MariaDBPool(configuration: db.configuration.appDatabase, maxConnections: 1)
        defer { pool.shutDown() }
        let database = Database(pool: pool)

        let (seen, firstConnection) = try database.withTenant(tenant.tenantID, userID: tenant.userID) { connection in
            _ = try TenantViewWriter(connection: connection, tenantID: tenant.tenantID).project("pooled-\(tenant.tenantID)")
            return (try connection.scalar("SELECT COUNT(*) FROM projects"),
                    try connection.scalar("SELECT CONNECTION_ID()"))
        }
        XCTAssertEqual(seen, 1)

        try pool.withConnection { connection in
            XCTAssertEqual(try connection.scalar("SELECT CONNECTION_ID()"), firstConnection, "the connection was reused")
            XCTAssertEqual(try connection.scalar("SELECT COUNT(*) FROM projects"), 0)
            XCTAssertEqual(try connection.scalar("SELECT COUNT(*) FROM users"), 0)
            XCTAssertEqual(try connection.scalar("SELECT COUNT(*) FROM tenants"), 0)
        }
    }
}
