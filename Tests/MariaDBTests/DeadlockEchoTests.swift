import Foundation
import MariaDB
import TestSupport
import XCTest

/// After a 1213, Galera may answer the connection's next statement with 1213 again although it
/// conflicts with nothing (codership/mysql-wsrep#238): seen in the cluster's node-kill check as
/// hundreds of leases failing at their first, read-only statement. One server never echoes, so
/// these check what the connection and the pool do about it: a ROLLBACK that takes the echo
/// before the next statement, and a pool that does not lend such a connection again.
final class DeadlockEchoTests: XCTestCase {
    // SIGNAL raises exactly the error a deadlock or a Galera certification failure gives.
    private let deadlock = "SIGNAL SQLSTATE '40001' SET MYSQL_ERRNO = 1213, MESSAGE_TEXT = 'Deadlock: wsrep aborted transaction'"

    private func rollbacks(_ connection: MariaDBConnection) throws -> Int64 {
        let value = try connection.query("SHOW SESSION STATUS LIKE 'Com_rollback'")[0].decode(String.self, at: 1)
        return Int64(value) ?? -1
    }

    func testTheStatementAfterADeadlockIsPrecededByOneRollbackOnly() throws {
        let db = try ScratchDatabase.require()
        let connection = try db.connect()
        defer { connection.close() }
        let before = try rollbacks(connection)
        XCTAssertFalse(connection.mayEchoDeadlock)
        XCTAssertThrowsError(try connection.executeText(deadlock)) { XCTAssertEqual(($0 as? MariaDBError)?.code, 1213) }
        XCTAssertTrue(connection.mayEchoDeadlock)
        // The SHOW itself is the next statement: the ROLLBACK ran just before it.
        XCTAssertEqual(try rollbacks(connection), before + 1)
        XCTAssertFalse(connection.mayEchoDeadlock)
        XCTAssertEqual(try rollbacks(connection), before + 1, "nothing more once the echo is taken")

        // Other errors leave the connection as it is.
        XCTAssertThrowsError(try connection.executeText("SIGNAL SQLSTATE '45000' SET MYSQL_ERRNO = 1644, MESSAGE_TEXT = 'no'"))
        XCTAssertFalse(connection.mayEchoDeadlock)
        XCTAssertEqual(try rollbacks(connection), before + 1)
    }

    func testThePoolClosesAConnectionThatEndedItsLeaseOnADeadlock() throws {
        let db = try ScratchDatabase.require()
        let pool = MariaDBPool(configuration: db.configuration(), maxConnections: 1)
        defer { pool.shutDown() }
        let id = { (connection: MariaDBConnection) in try connection.query("SELECT CONNECTION_ID()")[0].decode(Int64.self, at: 0) }
        let first = try pool.withConnection(id)
        XCTAssertEqual(try pool.withConnection(id), first, "a good connection is lent again")

        var failed: Int64 = 0
        XCTAssertThrowsError(try pool.withConnection { connection in
            failed = try id(connection)
            try connection.executeText(deadlock)
        }) { XCTAssertEqual(($0 as? MariaDBError)?.code, 1213) }
        XCTAssertEqual(failed, first)
        XCTAssertEqual(pool.counts.idle, 0, "the connection was closed, not pooled")
        let next = try pool.withConnection(id)
        XCTAssertNotEqual(next, first, "the next lease got a new connection")

        // A lease that took the echo itself (a statement after the 1213) hands back a good one.
        XCTAssertThrowsError(try pool.withConnection { connection in
            XCTAssertThrowsError(try connection.executeText(deadlock))
            _ = try id(connection)
            try connection.executeText("SIGNAL SQLSTATE '45000' SET MYSQL_ERRNO = 1644, MESSAGE_TEXT = 'no'")
        })
        XCTAssertEqual(try pool.withConnection(id), next, "kept: nothing could echo any more")
    }
}
