import Foundation
@testable import MariaDB
import TestSupport
import XCTest

/// `withTransaction(conflictRetries:)`: a transaction that lost a conflict runs again on the same
/// connection, whatever else its lease did, a bounded number of times.
final class ConflictRetryTests: XCTestCase {
    // SIGNAL raises exactly the error a deadlock or a Galera certification failure gives.
    private let deadlock = "SIGNAL SQLSTATE '40001' SET MYSQL_ERRNO = 1213, MESSAGE_TEXT = 'Deadlock: wsrep aborted transaction'"

    func testATransactionThatLostAConflictRunsAgainAndWritesOnce() throws {
        let db = try ScratchDatabase.require()
        let connection = try db.connect()
        defer { connection.close() }
        let table = db.uniqueTable("conflict")
        try connection.executeText("CREATE TABLE \(table) (id INT PRIMARY KEY, attempt INT NOT NULL)")
        var attempts: [Int] = []
        let answer = try connection.withTransaction(conflictRetries: 3) { connection, attempt -> Int in
            attempts.append(attempt)
            try connection.execute(SQLQuery(unsafeSQL: "INSERT INTO \(table) (id, attempt) VALUES (1, \(attempt))"))
            if attempt < 2 { try connection.executeText(deadlock) }
            return attempt
        }
        XCTAssertEqual(answer, 2)
        XCTAssertEqual(attempts, [0, 1, 2])
        XCTAssertFalse(connection.isInTransaction)
        let rows = try connection.query(SQLQuery(unsafeSQL: "SELECT id, attempt FROM \(table)"))
        let stored: [[Int64]] = try rows.map { row in
            let (id, attempt) = try row.decode((Int64, Int64).self)
            return [id, attempt]
        }
        XCTAssertEqual(stored, [[1, 2]], "the rolled-back attempts left nothing")
    }

    func testConflictsAreRunAgainAFewTimesOnlyAndOtherErrorsNever() throws {
        let db = try ScratchDatabase.require()
        let connection = try db.connect()
        defer { connection.close() }
        var attempts = 0
        XCTAssertThrowsError(try connection.withTransaction(conflictRetries: 3) { connection, _ in
            attempts += 1
            try connection.executeText(deadlock)
        }) { XCTAssertEqual(($0 as? MariaDBError)?.code, 1213) }
        XCTAssertEqual(attempts, 4, "the first run and three more")

        attempts = 0
        XCTAssertThrowsError(try connection.withTransaction(conflictRetries: 3) { connection, _ in
            attempts += 1
            try connection.executeText("SIGNAL SQLSTATE '45000' SET MYSQL_ERRNO = 1644, MESSAGE_TEXT = 'refused'")
        }) { XCTAssertEqual(($0 as? MariaDBError)?.code, 1644) }
        XCTAssertEqual(attempts, 1)
        XCTAssertFalse(connection.isInTransaction)
    }

    /// Galera's brute-force abort landing while the server reads a trigger shows as a trigger
    /// "with an error in its body": a conflict like 1213, not a bug of ours.
    func testATriggerReadCutShortByAnAbortCountsAsAConflict() {
        let cut = MariaDBError(code: 1064, sqlState: "42000", message: "Trigger '?' has an error in its body: ''")
        XCTAssertTrue(cut.isDeadlock)
        XCTAssertFalse(MariaDBError(code: 1064, sqlState: "42000", message: "You have an error in your SQL syntax").isDeadlock)
    }
}
