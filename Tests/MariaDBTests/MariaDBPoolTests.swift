import Foundation
import MariaDB
import TestSupport
import XCTest

final class MariaDBPoolTests: XCTestCase {
    func testALeaseSeesNothingOfThePreviousLeasesSession() throws {
        let db = try ScratchDatabase.require()
        let pool = MariaDBPool(configuration: db.configuration(), maxConnections: 1)
        defer { pool.shutDown() }
        let firstID = try pool.withConnection { connection -> Int64 in
            try connection.execute("SET @dc_tenant = \(42), time_zone = '+05:00'")
            try connection.executeText("CREATE TEMPORARY TABLE leftover (v INT)")
            try connection.executeText("START TRANSACTION")
            return try connection.query("SELECT CONNECTION_ID()")[0].decode(Int64.self, at: 0)
        }
        try pool.withConnection { connection in
            let row = try connection.query("""
                SELECT CONNECTION_ID() AS id, @dc_tenant AS tenant, @@session.time_zone AS tz
                """)[0]
            XCTAssertEqual(try row.decode(Int64.self, column: "id"), firstID, "the same connection was reused")
            XCTAssertNil(try row.decode(Int64?.self, column: "tenant"), "the tenant variable was reset")
            XCTAssertEqual(try row.decode(String.self, column: "tz"), "+00:00", "session setup re-applied after the reset")
            XCTAssertThrowsError(try connection.query("SELECT * FROM leftover")) { error in
                XCTAssertEqual((error as? MariaDBError)?.code, 1146, "the temporary table is gone")
            }
            XCTAssertFalse(connection.isInTransaction)
        }
    }

    func testThousandConcurrentLeasesOnEightConnectionsAllComplete() throws {
        let db = try ScratchDatabase.require()
        let pool = MariaDBPool(configuration: db.configuration(), maxConnections: 8, leaseTimeout: .seconds(30))
        defer { pool.shutDown() }
        let lock = NSLock()
        nonisolated(unsafe) var completed = 0
        nonisolated(unsafe) var failures: [String] = []
        nonisolated(unsafe) var connectionIDs = Set<Int64>()
        let group = DispatchGroup()
        for thread in 0..<50 {
            group.enter()
            Thread.detachNewThread {
                for lease in 0..<20 {
                    do {
                        let (id, echoed) = try pool.withConnection { connection in
                            try connection.query("SELECT CONNECTION_ID(), \(thread * 100 + lease)")[0].decode((Int64, Int).self)
                        }
                        lock.withLock {
                            if echoed == thread * 100 + lease { completed += 1 } else { failures.append("wrong echo") }
                            connectionIDs.insert(id)
                        }
                    } catch {
                        lock.withLock { failures.append("\(error)") }
                    }
                }
                group.leave()
            }
        }
        XCTAssertEqual(group.wait(timeout: .now() + 120), .success)
        XCTAssertEqual(failures, [])
        XCTAssertEqual(completed, 1000)
        XCTAssertLessThanOrEqual(connectionIDs.count, 8, "never more connections than the pool's size")
        XCTAssertLessThanOrEqual(pool.counts.idle + pool.counts.inUse, 8)
    }

    func testExhaustedPoolFailsWithinTheLeaseTimeout() throws {
        let db = try ScratchDatabase.require()
        let pool = MariaDBPool(configuration: db.configuration(), maxConnections: 1, leaseTimeout: .milliseconds(300))
        defer { pool.shutDown() }
        let holding = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            try? pool.withConnection { _ in
                holding.signal()
                _ = release.wait(timeout: .now() + 10)
            }
        }
        XCTAssertEqual(holding.wait(timeout: .now() + 10), .success)
        let started = Date()
        XCTAssertThrowsError(try pool.withConnection { _ in }) { error in
            XCTAssertEqual(error as? MariaDBPoolError, .leaseTimeout)
        }
        let waited = Date().timeIntervalSince(started)
        XCTAssertGreaterThanOrEqual(waited, 0.29)
        XCTAssertLessThan(waited, 1.5, "the caller is answered soon after the lease timeout, not left hanging")
        release.signal()
    }

    func testStatisticsCountLeasesInUseWaitsAndTimeouts() throws {
        let db = try ScratchDatabase.require()
        let pool = MariaDBPool(configuration: db.configuration(), maxConnections: 1, leaseTimeout: .milliseconds(200))
        defer { pool.shutDown() }
        XCTAssertEqual(pool.statistics, MariaDBPoolStatistics(capacity: 1, idle: 0, inUse: 0, waits: 0, timeouts: 0))
        let holding = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            try? pool.withConnection { _ in
                holding.signal()
                _ = release.wait(timeout: .now() + 10)
            }
            done.signal()
        }
        XCTAssertEqual(holding.wait(timeout: .now() + 10), .success)
        XCTAssertEqual(pool.statistics, MariaDBPoolStatistics(capacity: 1, idle: 0, inUse: 1, waits: 0, timeouts: 0))
        XCTAssertThrowsError(try pool.withConnection { _ in })
        release.signal()
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
        try pool.withConnection { _ in }
        XCTAssertEqual(pool.statistics, MariaDBPoolStatistics(capacity: 1, idle: 1, inUse: 0, waits: 1, timeouts: 1))
    }

    func testPoolRecoversFromAServerRestartOnItsOwn() throws {
        let db = try ScratchDatabase.require()
        let pool = MariaDBPool(configuration: db.configuration(), maxConnections: 4, leaseTimeout: .seconds(2))
        defer { pool.shutDown() }
        // Warm all four connections so each of them is killed by the restart.
        let group = DispatchGroup()
        for _ in 0..<4 {
            group.enter()
            Thread.detachNewThread {
                _ = try? pool.withConnection { connection in
                    _ = try connection.query("SELECT SLEEP(0.2)")
                }
                group.leave()
            }
        }
        group.wait()
        XCTAssertEqual(pool.counts.idle, 4)

        try db.stack.control("db-stop")
        XCTAssertThrowsError(try pool.withConnection { try $0.query("SELECT 1") }, "no server, no answer")
        try db.stack.control("db-start")

        let recovered = TestStack.eventually(within: 15) {
            (try? pool.withConnection { try $0.query("SELECT 1") }) != nil
        }
        XCTAssertTrue(recovered, "the same pool serves again after the restart")
        for _ in 0..<8 {
            XCTAssertEqual(try pool.withConnection { try $0.query("SELECT 2")[0].decode(Int.self, at: 0) }, 2,
                           "no stale connection is handed out after recovery")
        }
    }

    func testScopedByCallerRollsBackAnOpenTransactionAndKeepsTheConnection() throws {
        let db = try ScratchDatabase.require()
        let table = db.uniqueTable("scoped")
        let setup = try db.connect()
        try setup.executeText("CREATE TABLE \(table) (v INT) ENGINE=InnoDB")
        let pool = MariaDBPool(configuration: db.configuration(), maxConnections: 1, reuse: .scopedByCaller)
        defer { pool.shutDown() }
        let first = try pool.withConnection { connection -> Int64 in
            try connection.executeText("START TRANSACTION")
            try connection.execute("INSERT INTO \(unsafeRaw: table) VALUES (1)")
            return try connection.query("SELECT CONNECTION_ID()")[0].decode(Int64.self, at: 0)
        }
        try pool.withConnection { connection in
            XCTAssertEqual(try connection.query("SELECT CONNECTION_ID()")[0].decode(Int64.self, at: 0), first)
            XCTAssertFalse(connection.isInTransaction)
            XCTAssertEqual(try connection.query("SELECT COUNT(*) FROM \(unsafeRaw: table)")[0].decode(Int64.self, at: 0), 0)
        }
    }

    func testScopedByCallerRecoversFromAServerRestartWithoutFailingALease() throws {
        let db = try ScratchDatabase.require()
        let pool = MariaDBPool(configuration: db.configuration(), maxConnections: 2, leaseTimeout: .seconds(2), reuse: .scopedByCaller)
        defer { pool.shutDown() }
        XCTAssertEqual(try pool.withConnection { try $0.query("SELECT 1")[0].decode(Int.self, at: 0) }, 1)
        try db.stack.control("db-stop")
        try db.stack.control("db-start")
        usleep(1_100_000)  // longer idle than the pool's liveness threshold
        XCTAssertEqual(try pool.withConnection { try $0.query("SELECT 2")[0].decode(Int.self, at: 0) }, 2,
                       "the idle connection killed by the restart is pinged, dropped and replaced")
    }
}
