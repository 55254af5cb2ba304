import Foundation
@testable import MariaDB
import TestSupport
import XCTest

/// Failover against the single-node test stack: a closed loopback port stands for a dead node
/// listed first, the stack's server (over TCP) for the live one; connections killed from a
/// superuser connection stand for a node dying under a lease.
final class MariaDBFailoverTests: XCTestCase {
    private struct Cluster {
        let db: ScratchDatabase
        let configuration: MariaDBConfiguration
        let live: MariaDBConfiguration.Endpoint
        let dead: MariaDBConfiguration.Endpoint
    }

    /// A TCP account on the scratch database and a node list [dead, live].
    private func cluster() throws -> Cluster {
        let db = try ScratchDatabase.require()
        guard let port = db.stack.environment["DATACOVEY_DB_PORT"].flatMap(Int.init) else {
            throw XCTSkip("the stack has no TCP port (DATACOVEY_DB_PORT)")
        }
        let admin = try db.connect()
        defer { admin.close() }
        let password = "fo-\(UUID().uuidString.prefix(12))"
        try admin.executeText("CREATE USER IF NOT EXISTS 'dc_failover_test'@'127.0.0.1' IDENTIFIED BY '\(password)'")
        try admin.executeText("ALTER USER 'dc_failover_test'@'127.0.0.1' IDENTIFIED BY '\(password)'")
        try admin.executeText("GRANT ALL ON \(db.name).* TO 'dc_failover_test'@'127.0.0.1'")
        let live = MariaDBConfiguration.Endpoint.tcp(host: "127.0.0.1", port: port)
        let dead = MariaDBConfiguration.Endpoint.tcp(host: "127.0.0.1", port: try ClosedPort.loopback())
        let configuration = MariaDBConfiguration(endpoint: dead, fallbackEndpoints: [live], user: "dc_failover_test",
                                                 password: password, database: db.name, readTimeout: 20, writeTimeout: 20)
        return Cluster(db: db, configuration: configuration, live: live, dead: dead)
    }

    private func table(_ cluster: Cluster) throws -> String {
        let name = cluster.db.uniqueTable("failover")
        let admin = try cluster.db.connect()
        defer { admin.close() }
        try admin.executeText("CREATE TABLE \(name) (id INT PRIMARY KEY, v INT NOT NULL)")
        return name
    }

    private func count(_ cluster: Cluster, _ table: String) throws -> Int {
        let admin = try cluster.db.connect()
        defer { admin.close() }
        return try admin.query(SQLQuery(unsafeSQL: "SELECT COUNT(*) FROM \(table)"))[0].decode(Int.self, at: 0)
    }

    /// Kills `connection`'s server thread from a superuser connection after `delay`, while the
    /// lease waits in a statement.
    private func kill(_ connection: MariaDBConnection, after delay: Double, db: ScratchDatabase) throws {
        let id = try connection.query("SELECT CONNECTION_ID()")[0].decode(Int64.self, at: 0)
        let superuser = db.configuration(database: nil)
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: delay)
            if let admin = try? MariaDBConnection.connect(superuser) {
                try? admin.executeText("KILL CONNECTION \(id)")
                admin.close()
            }
        }
    }

    func testADeadNodeFirstInTheListSendsConnectionsToTheLiveOne() throws {
        let cluster = try cluster()
        let pool = MariaDBPool(configuration: cluster.configuration, maxConnections: 2, leaseTimeout: .seconds(2))
        defer { pool.shutDown() }
        let started = Date()
        let node = try pool.withConnection { connection -> MariaDBConfiguration.Endpoint in
            XCTAssertEqual(try connection.query("SELECT 1")[0].decode(Int.self, at: 0), 1)
            return connection.node
        }
        XCTAssertEqual(node, cluster.live)
        XCTAssertLessThan(Date().timeIntervalSince(started), 1.5, "a refused port costs no timeout")
        XCTAssertTrue(MariaDBNodeHealth.shared.isSkipped(cluster.dead), "the dead node is skipped for a while")
        let probe = pool.probeNodes()
        XCTAssertEqual(probe.configured, 2)
        XCTAssertEqual(probe.usable, 1)
        // A one-off connection (datacovey-admin's) takes the same road.
        let single = try MariaDBConnection.connect(cluster.configuration)
        XCTAssertEqual(single.node, cluster.live)
        single.close()
    }

    func testANodeThatAcceptsButNeverAnswersCostsOnlyItsShareOfTheLease() throws {
        let cluster = try cluster()
        // A listening socket nobody accepts from: the kernel completes the handshake, no
        // greeting ever comes (a frozen mariadbd, SIGSTOP).
        let silent = try LoopbackSocket(listening: true)
        defer { silent.close() }
        var configuration = cluster.configuration
        configuration.endpoint = .tcp(host: "127.0.0.1", port: silent.port)
        let pool = MariaDBPool(configuration: configuration, maxConnections: 1, leaseTimeout: .seconds(2))
        defer { pool.shutDown() }
        let started = Date()
        let node = try pool.withConnection { $0.node }
        let waited = Date().timeIntervalSince(started)
        XCTAssertEqual(node, cluster.live)
        XCTAssertGreaterThan(waited, 0.9, "the silent node had its second")
        XCTAssertLessThan(waited, 1.8, "and no more: the live node got the rest of the lease")
    }

    func testEveryNodeDeadFailsWithinTheLeaseTimeout() throws {
        let cluster = try cluster()
        var configuration = cluster.configuration
        configuration.fallbackEndpoints = [.tcp(host: "127.0.0.1", port: try ClosedPort.loopback())]
        let pool = MariaDBPool(configuration: configuration, maxConnections: 1, leaseTimeout: .milliseconds(800))
        defer { pool.shutDown() }
        let started = Date()
        XCTAssertThrowsError(try pool.withConnection(retry: .whenSafe) { _ in }) { error in
            XCTAssertEqual((error as? MariaDBError)?.isConnectionFailure, true, "\(error)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 1.5)
        XCTAssertEqual(pool.statistics.retries, 0, "every node was tried: no second round")
        XCTAssertEqual(pool.probeNodes().usable, 0)
    }

    func testALeaseKilledMidTransactionRunsAgainAndItsWriteLandsOnce() throws {
        let cluster = try cluster()
        let table = try table(cluster)
        let pool = MariaDBPool(configuration: cluster.configuration, maxConnections: 2, leaseTimeout: .seconds(3))
        defer { pool.shutDown() }
        var attempts = 0
        let connections = try pool.withConnection(retry: .whenSafe) { connection -> Int64 in
            attempts += 1
            try connection.executeText("START TRANSACTION")
            try connection.execute(SQLQuery(unsafeSQL: "INSERT INTO \(table) (id, v) VALUES (1, \(attempts))"))
            if attempts == 1 {
                try kill(connection, after: 0.3, db: cluster.db)
                _ = try connection.query("SELECT SLEEP(5)")
            }
            try connection.executeText("COMMIT")
            return try connection.query("SELECT CONNECTION_ID()")[0].decode(Int64.self, at: 0)
        }
        XCTAssertGreaterThan(connections, 0)
        XCTAssertEqual(attempts, 2, "run again once, on a fresh connection")
        XCTAssertEqual(try count(cluster, table), 1, "the write landed once")
        XCTAssertEqual(pool.statistics.retries, 1)
    }

    func testALeaseKilledAfterItsCommitIsNotRunAgain() throws {
        let cluster = try cluster()
        let table = try table(cluster)
        let pool = MariaDBPool(configuration: cluster.configuration, maxConnections: 2, leaseTimeout: .seconds(3))
        defer { pool.shutDown() }
        var attempts = 0
        XCTAssertThrowsError(try pool.withConnection(retry: .whenSafe) { connection in
            attempts += 1
            try connection.executeText("START TRANSACTION")
            try connection.execute(SQLQuery(unsafeSQL: "INSERT INTO \(table) (id, v) VALUES (\(attempts), 1)"))
            try connection.executeText("COMMIT")
            XCTAssertTrue(connection.mayHaveCommitted)
            try kill(connection, after: 0.3, db: cluster.db)
            _ = try connection.query("SELECT SLEEP(5)")
        }) { error in
            XCTAssertEqual((error as? MariaDBError)?.isConnectionFailure, true, "\(error)")
        }
        XCTAssertEqual(attempts, 1, "a committed lease is never run again")
        XCTAssertEqual(try count(cluster, table), 1)
        XCTAssertEqual(pool.statistics.retries, 0)
    }

    func testAnAutocommitWriteMakesTheLeaseUnrepeatableAndALeaseNestedInItToo() throws {
        let cluster = try cluster()
        let table = try table(cluster)
        let pool = MariaDBPool(configuration: cluster.configuration, maxConnections: 2, leaseTimeout: .seconds(3))
        let other = MariaDBPool(configuration: cluster.configuration, maxConnections: 1, leaseTimeout: .seconds(3))
        defer { pool.shutDown(); other.shutDown() }
        var attempts = 0
        XCTAssertThrowsError(try pool.withConnection(retry: .whenSafe) { connection in
            attempts += 1
            // Another pool's lease commits inside this one (the data account's DDL in a request).
            try other.withConnection { try $0.execute(SQLQuery(unsafeSQL: "INSERT INTO \(table) (id, v) VALUES (\(attempts), 1)")) }
            try kill(connection, after: 0.3, db: cluster.db)
            _ = try connection.query("SELECT SLEEP(5)")
        })
        XCTAssertEqual(attempts, 1)
        XCTAssertEqual(try count(cluster, table), 1)
    }

    func testADeadlockIsRunAgainAFewTimesOnly() throws {
        let cluster = try cluster()
        let table = try table(cluster)
        let pool = MariaDBPool(configuration: cluster.configuration, maxConnections: 1, leaseTimeout: .seconds(3))
        defer { pool.shutDown() }
        // SIGNAL raises exactly the error a deadlock or a Galera certification failure gives.
        let deadlock = "SIGNAL SQLSTATE '40001' SET MYSQL_ERRNO = 1213, MESSAGE_TEXT = 'Deadlock: wsrep aborted transaction'"
        var attempts = 0
        let answer = try pool.withTransaction(retry: .whenSafe) { connection -> Int in
            attempts += 1
            try connection.execute(SQLQuery(unsafeSQL: "INSERT INTO \(table) (id, v) VALUES (1, \(attempts))"))
            if attempts < 3 { try connection.executeText(deadlock) }
            return attempts
        }
        XCTAssertEqual(answer, 3)
        XCTAssertEqual(try count(cluster, table), 1, "the rolled-back attempts left nothing")

        attempts = 0
        XCTAssertThrowsError(try pool.withTransaction(retry: .whenSafe) { connection in
            attempts += 1
            try connection.executeText(deadlock)
        }) { error in
            XCTAssertEqual((error as? MariaDBError)?.code, 1213)
        }
        XCTAssertEqual(attempts, 1 + MariaDBPool.conflictRetries, "bounded")

        attempts = 0
        XCTAssertThrowsError(try pool.withConnection(retry: .whenSafe) { connection in
            attempts += 1
            try connection.execute(SQLQuery(unsafeSQL: "INSERT INTO \(table) (id, v) VALUES (\(10 + attempts), 1)"))
            try connection.executeText(deadlock)
        })
        XCTAssertEqual(attempts, 1, "after an autocommit write, not even a conflict is run again")

        attempts = 0
        XCTAssertThrowsError(try pool.withTransaction { connection in
            attempts += 1
            try connection.executeText(deadlock)
        })
        XCTAssertEqual(attempts, 1, "retries are opt-in")
    }
}
