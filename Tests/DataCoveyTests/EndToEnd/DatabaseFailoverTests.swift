@testable import DataCovey
import Foundation
import MariaDB
import XCTest

/// The responder's leases on a node list [closed loopback port, the stack's server]: a request
/// whose connection is killed before anything of it committed runs again and writes once; one
/// killed after its commit is not run again and answers 503; with one server nothing is retried.
final class DatabaseFailoverTests: XCTestCase {
    private func clusterConfiguration(_ db: StackDatabase) throws -> Configuration {
        var configuration = db.configuration
        configuration.databaseFallbackEndpoints = [configuration.databaseEndpoint]
        configuration.databaseEndpoint = .tcp(host: "127.0.0.1", port: try Self.closedPort())
        return configuration
    }

    /// Kills the connection's server thread from the superuser after `delay`.
    private func kill(_ connection: MariaDBConnection, after delay: Double, _ db: StackDatabase) throws {
        let id = try connection.scalar("SELECT CONNECTION_ID()") ?? 0
        let superuser = db.configuration.migrateDatabase
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: delay)
            if let admin = try? MariaDBConnection.connect(superuser) {
                try? admin.executeText("KILL CONNECTION \(id)")
                admin.close()
            }
        }
    }

    private func projects(named name: String, _ db: StackDatabase) throws -> Int64 {
        let ops = try db.ops()
        defer { ops.close() }
        return try ops.scalar("SELECT COUNT(*) FROM projects WHERE name = \(name)") ?? -1
    }

    private func insertProject(_ connection: MariaDBConnection, _ tenant: TenantFixture, _ name: String) throws {
        try connection.execute("""
            INSERT INTO projects (tenant_id, name, description, created_by)
            VALUES (\(tenant.tenantID), \(name), NULL, \(tenant.userID))
            """)
    }

    func testARequestKilledBeforeItsCommitRunsAgainOnAnotherConnectionAndWritesOnce() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("failover")
        let database = Database(pool: Database.responderPool(try clusterConfiguration(db), maxConnections: 2))
        defer { database.shutDown() }
        let name = "retried_\(UInt32.random(in: 0..<UInt32.max))"
        var attempts = 0
        try database.withTenant(tenant.tenantID, userID: tenant.userID) { connection in
            attempts += 1
            try connection.withTransaction { connection in
                try insertProject(connection, tenant, name)
                if attempts == 1 {
                    try kill(connection, after: 0.3, db)
                    _ = try connection.query("SELECT SLEEP(5)")
                }
            }
        }
        XCTAssertEqual(attempts, 2)
        XCTAssertEqual(try projects(named: name, db), 1, "the write landed once")
    }

    func testARequestKilledAfterItsCommitIsNotRunAgainAndAnswers503() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("failover")
        let database = Database(pool: Database.responderPool(try clusterConfiguration(db), maxConnections: 2))
        defer { database.shutDown() }
        let name = "committed_\(UInt32.random(in: 0..<UInt32.max))"
        var attempts = 0
        XCTAssertThrowsError(try database.withTenant(tenant.tenantID, userID: tenant.userID) { connection in
            attempts += 1
            try connection.withTransaction { try insertProject($0, tenant, name) }
            try kill(connection, after: 0.3, db)
            _ = try connection.query("SELECT SLEEP(5)")
        }) { error in
            XCTAssertEqual(Application.problem(for: error).status, 503, "\(error)")
        }
        XCTAssertEqual(attempts, 1)
        XCTAssertEqual(try projects(named: name, db), 1)
    }

    func testWithOneServerNothingIsRetried() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("failover")
        let database = Database(pool: Database.responderPool(db.configuration, maxConnections: 2))
        defer { database.shutDown() }
        var attempts = 0
        XCTAssertThrowsError(try database.withTenant(tenant.tenantID, userID: tenant.userID) { connection in
            attempts += 1
            try kill(connection, after: 0.3, db)
            _ = try connection.query("SELECT SLEEP(5)")
        }) { error in
            XCTAssertEqual(Application.problem(for: error).status, 503, "\(error)")
        }
        XCTAssertEqual(attempts, 1, "DATACOVEY_DB_HOSTS unset: a lost connection answers 503 as it always did")
    }

    private static func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw XCTSkip("cannot bind a loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
