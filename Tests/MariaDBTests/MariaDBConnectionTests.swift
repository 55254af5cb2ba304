import Foundation
import MariaDB
import TestSupport
import XCTest

final class MariaDBConnectionTests: XCTestCase {
    func testEveryBindTypeRoundTripsThroughAPreparedStatement() throws {
        let db = try ScratchDatabase.require()
        let connection = try db.connect()
        let table = db.uniqueTable("binds")
        try connection.executeText("""
            CREATE TABLE \(table) (id BIGINT PRIMARY KEY AUTO_INCREMENT, i BIGINT, u BIGINT UNSIGNED, d DOUBLE,
              t MEDIUMTEXT, b BLOB, dt DATETIME(6), flag BOOL, n INT NULL, dec_v DECIMAL(10,2), j JSON) CHARSET utf8mb4
            """)
        let long = String(repeating: "ä€😀x", count: 30_000)
        let when = MariaDBDateTime(year: 2026, month: 11, day: 25, hour: 17, minute: 47, second: 18, microsecond: 123_456)
        let bytes: [UInt8] = [0, 1, 2, 255, 0, 39, 92]
        let insert = try connection.execute("""
            INSERT INTO \(unsafeRaw: table) (i, u, d, t, b, dt, flag, n, dec_v, j)
            VALUES (\(Int64.min), \(UInt64.max), \(3.25), \(long), \(bytes), \(when), \(true), \(Int?.none), \("12.34"), \(#"{"a": [1, "x'y"]}"#))
            """)
        XCTAssertEqual(insert.affectedRows, 1)
        let rows = try connection.query("SELECT i, u, d, t, b, dt, flag, n, dec_v, j FROM \(unsafeRaw: table) WHERE id = \(insert.lastInsertID)")
        XCTAssertEqual(rows.count, 1)
        let row = rows[0]
        XCTAssertEqual(try row.decode(Int64.self, column: "i"), Int64.min)
        XCTAssertEqual(try row.decode(UInt64.self, column: "u"), UInt64.max)
        XCTAssertEqual(try row.decode(Double.self, column: "d"), 3.25)
        XCTAssertEqual(try row.decode(String.self, column: "t"), long, "a value far over the 256-byte first buffer is read whole")
        XCTAssertEqual(try row.decode([UInt8].self, column: "b"), bytes)
        XCTAssertEqual(try row.decode(MariaDBDateTime.self, column: "dt"), when)
        XCTAssertEqual(try row.decode(Bool.self, column: "flag"), true)
        XCTAssertNil(try row.decode(Int?.self, column: "n"))
        XCTAssertEqual(try row.decode(String.self, column: "dec_v"), "12.34")
        XCTAssertEqual(try row.decode(String.self, column: "j"), #"{"a": [1, "x'y"]}"#)
    }

    func testAnInterpolatedValueNeverBecomesSQL() throws {
        let db = try ScratchDatabase.require()
        let connection = try db.connect()
        let hostile = "x' OR '1'='1"
        let rows = try connection.query("SELECT \(hostile) AS v, \(hostile) = 'x' AS same")
        XCTAssertEqual(try rows[0].decode(String.self, column: "v"), hostile)
        XCTAssertEqual(try rows[0].decode(Int64.self, column: "same"), 0)
    }

    func testDecodingErrorNamesTheColumnNotTheValue() throws {
        let db = try ScratchDatabase.require()
        let connection = try db.connect()
        let row = try connection.query("SELECT 'secret-value' AS email, NULL AS missing")[0]
        XCTAssertThrowsError(try row.decode(Int64.self, column: "email")) { error in
            let decoding = error as? MariaDBDecodingError
            XCTAssertEqual(decoding?.column, "email")
            XCTAssertEqual(decoding?.index, 0)
            XCTAssertEqual(decoding?.targetType, "Int64")
            XCTAssertFalse("\(error)".contains("secret-value"))
        }
        XCTAssertThrowsError(try row.decode(String.self, column: "missing")) { error in
            XCTAssertEqual((error as? MariaDBDecodingError)?.reason, "unexpected NULL")
        }
        XCTAssertThrowsError(try row.decode((String, Int64).self)) { error in
            XCTAssertEqual((error as? MariaDBDecodingError)?.column, "missing")
        }
    }

    func testTransactionsCommitOnReturnAndRollBackOnThrow() throws {
        let db = try ScratchDatabase.require()
        let connection = try db.connect()
        let table = db.uniqueTable("tx")
        try connection.executeText("CREATE TABLE \(table) (v INT) ENGINE=InnoDB")
        _ = try connection.withTransaction { try $0.execute("INSERT INTO \(unsafeRaw: table) VALUES (1)") }
        struct Abort: Error {}
        XCTAssertThrowsError(try connection.withTransaction { connection -> Void in
            try connection.execute("INSERT INTO \(unsafeRaw: table) VALUES (2)")
            throw Abort()
        })
        XCTAssertFalse(connection.isInTransaction)
        XCTAssertEqual(try connection.query("SELECT v FROM \(unsafeRaw: table)").map { try $0.decode(Int.self, at: 0) }, [1])
    }

    func testErrorsCarryCodeAndStateAndAreClassified() throws {
        let db = try ScratchDatabase.require()
        let connection = try db.connect()
        let table = db.uniqueTable("dup")
        try connection.executeText("CREATE TABLE \(table) (k INT PRIMARY KEY)")
        try connection.execute("INSERT INTO \(unsafeRaw: table) VALUES (\(1))")
        do {
            try connection.execute("INSERT INTO \(unsafeRaw: table) VALUES (\(1))")
            XCTFail("duplicate accepted")
        } catch let error as MariaDBError {
            XCTAssertEqual(error.code, 1062)
            XCTAssertEqual(error.sqlState, "23000")
            XCTAssertTrue(error.isDuplicateKey)
            XCTAssertFalse(error.isLostConnection)
            XCTAssertEqual(error.description, "MariaDB error 1062 (23000)", "the description is redacted")
            XCTAssertTrue(error.debugDescription.contains("INSERT INTO"), "the debug description keeps the SQL")
        }
        XCTAssertThrowsError(try connection.execute(SQLQuery(unsafeSQL: "SELECT ?", binds: []))) { error in
            XCTAssertEqual((error as? MariaDBError)?.code, 2031)
        }
        let view = db.uniqueTable("checked")
        try connection.executeText("CREATE VIEW \(view) AS SELECT k FROM \(table) WHERE k < 10 WITH CASCADED CHECK OPTION")
        XCTAssertThrowsError(try connection.execute("INSERT INTO \(unsafeRaw: view) VALUES (\(50))")) { error in
            XCTAssertEqual((error as? MariaDBError)?.isCheckOptionFailed, true)
        }
    }

    func testDeadlockIsClassified() throws {
        let db = try ScratchDatabase.require()
        let first = try db.connect()
        let second = try db.connect()
        let table = db.uniqueTable("deadlock")
        try first.executeText("CREATE TABLE \(table) (k INT PRIMARY KEY, v INT) ENGINE=InnoDB")
        try first.executeText("INSERT INTO \(table) VALUES (1, 0), (2, 0)")
        try first.executeText("START TRANSACTION")
        try second.executeText("START TRANSACTION")
        try first.execute("UPDATE \(unsafeRaw: table) SET v = 1 WHERE k = 1")
        try second.execute("UPDATE \(unsafeRaw: table) SET v = 1 WHERE k = 2")
        nonisolated(unsafe) var firstError: Error?
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            do { try first.execute("UPDATE \(unsafeRaw: table) SET v = 2 WHERE k = 2") } catch { firstError = error }
            done.signal()
        }
        usleep(300_000)
        var secondError: Error?
        do { try second.execute("UPDATE \(unsafeRaw: table) SET v = 2 WHERE k = 1") } catch { secondError = error }
        XCTAssertEqual(done.wait(timeout: .now() + 30), .success)
        let errors = [firstError, secondError].compactMap { $0 as? MariaDBError }
        XCTAssertEqual(errors.count, 1, "exactly one side is chosen as the deadlock victim")
        XCTAssertEqual(errors.first?.isDeadlock, true)
        try? first.executeText("ROLLBACK")
        try? second.executeText("ROLLBACK")
    }

    func testKilledConnectionIsReportedLostAndMarkedBroken() throws {
        let db = try ScratchDatabase.require()
        let victim = try db.connect()
        let killer = try db.connect()
        let id = try victim.query("SELECT CONNECTION_ID()")[0].decode(Int64.self, at: 0)
        try killer.execute("KILL CONNECTION \(id)")
        XCTAssertThrowsError(try victim.query("SELECT 1")) { error in
            XCTAssertEqual((error as? MariaDBError)?.isLostConnection, true, "\(error)")
        }
        XCTAssertTrue(victim.isBroken)
    }

    func testConnectsOverTCPToo() throws {
        let db = try ScratchDatabase.require()
        guard let port = db.stack.environment["DATACOVEY_DB_PORT"].flatMap(Int.init) else {
            return XCTFail("scripts/test sets DATACOVEY_DB_PORT")
        }
        let admin = try db.connect()
        let password = "tcp-\(UUID().uuidString.prefix(12))"
        try admin.executeText("CREATE USER IF NOT EXISTS 'dc_tcp_test'@'127.0.0.1' IDENTIFIED BY '\(password)'")
        try admin.executeText("ALTER USER 'dc_tcp_test'@'127.0.0.1' IDENTIFIED BY '\(password)'")
        let tcp = try MariaDBConnection.connect(MariaDBConfiguration(
            endpoint: .tcp(host: "127.0.0.1", port: port), user: "dc_tcp_test", password: password))
        let row = try tcp.query("SELECT @@character_set_client AS cs, CURRENT_USER() AS who")[0]
        XCTAssertEqual(try row.decode(String.self, column: "cs"), "utf8mb4")
        XCTAssertEqual(try row.decode(String.self, column: "who"), "dc_tcp_test@127.0.0.1")
        tcp.close()
        try admin.executeText("DROP USER 'dc_tcp_test'@'127.0.0.1'")
    }

    func testStreamingQueryHandsOverRowsOneByOne() throws {
        let db = try ScratchDatabase.require()
        let connection = try db.connect()
        var sum: Int64 = 0
        var count = 0
        try connection.query("SELECT seq FROM seq_1_to_50000") { row in
            sum += try row.decode(Int64.self, at: 0)
            count += 1
        }
        XCTAssertEqual(count, 50_000)
        XCTAssertEqual(sum, 50_000 * 50_001 / 2)
        XCTAssertEqual(try connection.query("SELECT 7")[0].decode(Int.self, at: 0), 7, "the connection is usable afterwards")
    }
}
