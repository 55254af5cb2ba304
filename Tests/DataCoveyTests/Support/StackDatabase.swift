import DataCovey
import MariaDB
import TestSupport
import XCTest

/// Connections to the test stack's MariaDB under each account, configured exactly as the
/// processes configure them (from the same DATACOVEY_* variables).
struct StackDatabase {
    let stack: TestStack
    let configuration: Configuration

    static func require() throws -> StackDatabase {
        let stack = try TestStack.require()
        var environment = stack.environment
        environment["DATACOVEY_MIGRATE_DB_USER"] = environment["DATACOVEY_MIGRATE_DB_USER"] ?? environment["DATACOVEY_DB_SUPERUSER"]
        return StackDatabase(stack: stack, configuration: try Configuration.fromEnvironment(environment))
    }

    /// The responder's account (views only), default database `datacovey_app`.
    func app() throws -> MariaDBConnection { try MariaDBConnection.connect(configuration.appDatabase) }
    /// The operators' account, default database `datacovey`.
    func ops() throws -> MariaDBConnection { try MariaDBConnection.connect(configuration.opsDatabase) }
    /// The data account (`dcd_*` databases only).
    func data() throws -> MariaDBConnection { try MariaDBConnection.connect(configuration.dataDatabase) }
    /// The migration superuser (multi-statement scripts allowed).
    func superuser() throws -> MariaDBConnection { try MariaDBConnection.connect(configuration.migrateDatabase) }

    /// Two fresh tenants with an admin user each, named uniquely per call so tests never collide.
    func makeTwoTenants(_ label: String) throws -> (TenantFixture, TenantFixture) {
        let ops = try ops()
        defer { ops.close() }
        let directory = TenantDirectory(connection: ops)
        let suffix = String(UInt64.random(in: 0..<UInt64.max), radix: 36)
        func make(_ letter: String) throws -> TenantFixture {
            let name = "t\(letter)-\(label.lowercased())-\(suffix)".prefix(64)
            let tenant = try directory.createTenant(name: String(name))
            let user = try directory.addUser(tenant: tenant.name, email: "admin-\(letter)-\(suffix)@\(label.lowercased()).test",
                                             name: "Admin \(letter)", role: .admin)
            return TenantFixture(tenantID: tenant.id, tenantName: tenant.name, userID: user.id)
        }
        return (try make("a"), try make("b"))
    }
}

struct TenantFixture {
    let tenantID: Int64
    let tenantName: String
    let userID: Int64
}

extension MariaDBConnection {
    /// Sets the session's tenant and acting user as the responder does.
    func scope(tenant: Int64?, user: Int64?) throws {
        try execute("SET @dc_tenant = \(tenant), @dc_user = \(user)")
    }

    /// A table's data database and physical table name (a superuser or ops connection).
    func physicalTable(of table: Int) throws -> (database: String, table: String) {
        try query("""
            SELECT d.data_database, t.physical_name FROM datacovey.dataset_tables t JOIN datacovey.datasets d ON d.id = t.dataset_id
             WHERE t.id = \(Int64(table))
            """)[0].decode((String, String).self)
    }

    /// The single integer a query returns.
    func scalar(_ query: SQLQuery) throws -> Int64? {
        try self.query(query).first.flatMap { try $0.decode(Int64?.self, at: 0) }
    }
}

/// Asserts that `body` fails with MariaDB error `code`.
func XCTAssertMariaDBError<T>(_ code: UInt32, _ body: @autoclosure () throws -> T, _ message: String = "",
                              file: StaticString = #filePath, line: UInt = #line) {
    do {
        _ = try body()
        XCTFail("expected MariaDB error \(code), got success. \(message)", file: file, line: line)
    } catch let error as MariaDBError {
        XCTAssertEqual(error.code, code, "\(error.debugDescription) \(message)", file: file, line: line)
    } catch {
        XCTFail("expected MariaDB error \(code), got \(error). \(message)", file: file, line: line)
    }
}
