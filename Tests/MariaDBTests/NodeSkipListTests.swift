@testable import MariaDB
import XCTest

/// The failover bookkeeping on its own: which node is tried first, and when a failed one
/// comes back.
final class NodeSkipListTests: XCTestCase {
    func testTheConfiguredOrderHoldsWhileEveryNodeIsUsable() {
        let list = NodeSkipList<String>(skipSeconds: 1.5)
        XCTAssertEqual(list.attemptOrder(["a", "b", "c"], now: 10), ["a", "b", "c"])
        XCTAssertEqual(list.attemptOrder(["c", "a", "b"], now: 10), ["c", "a", "b"], "each process its own order")
        XCTAssertEqual(list.usableCount(["a", "b", "c"], now: 10), 3)
    }

    func testAFailedNodeIsSkippedForAWhileThenTriedInItsPlaceAgain() {
        var list = NodeSkipList<String>(skipSeconds: 1.5)
        list.markFailed("a", now: 10)
        XCTAssertEqual(list.attemptOrder(["a", "b", "c"], now: 10), ["b", "c", "a"], "skipped: tried last")
        XCTAssertEqual(list.attemptOrder(["a", "b", "c"], now: 11.4), ["b", "c", "a"])
        XCTAssertTrue(list.isSkipped("a", now: 11.4))
        XCTAssertEqual(list.usableCount(["a", "b", "c"], now: 11.4), 2)
        XCTAssertEqual(list.attemptOrder(["a", "b", "c"], now: 11.5), ["a", "b", "c"], "back in first place after the skip")
        XCTAssertFalse(list.isSkipped("a", now: 11.5))
    }

    func testANodeThatAnsweredIsUsableAtOnce() {
        var list = NodeSkipList<String>(skipSeconds: 1.5)
        list.markFailed("a", now: 10)
        list.markUsable("a")
        XCTAssertEqual(list.attemptOrder(["a", "b"], now: 10.1), ["a", "b"])
    }

    func testConnectionsMoveBackOnlyOnceThePreferredNodeAnswered() {
        var list = NodeSkipList<String>(skipSeconds: 1.5)
        XCTAssertFalse(list.hasBetterNode(than: "a", in: ["a", "b", "c"]))
        XCTAssertTrue(list.hasBetterNode(than: "b", in: ["a", "b", "c"]), "a never failed")
        list.markFailed("a", now: 10)
        XCTAssertFalse(list.hasBetterNode(than: "b", in: ["a", "b", "c"]))
        XCTAssertFalse(list.hasBetterNode(than: "b", in: ["a", "b", "c"]), "a skip that ran out proves nothing")
        list.markUsable("a")
        XCTAssertTrue(list.hasBetterNode(than: "b", in: ["a", "b", "c"]))
        XCTAssertFalse(list.hasBetterNode(than: "b", in: ["b", "c", "a"]), "another process's order")
    }

    func testWhenEveryNodeFailedTheyAreAllStillTriedSoonestBackFirst() {
        var list = NodeSkipList<String>(skipSeconds: 1.5)
        list.markFailed("b", now: 10)
        list.markFailed("a", now: 10.5)
        list.markFailed("c", now: 10)
        XCTAssertEqual(list.attemptOrder(["a", "b", "c"], now: 10.6), ["b", "c", "a"],
                       "equal expiries keep the configured order, the latest failure goes last")
        XCTAssertEqual(list.usableCount(["a", "b", "c"], now: 10.6), 0)
        XCTAssertEqual(list.attemptOrder(["a", "b", "c"], now: 11.6), ["b", "c", "a"], "b and c are due again, a not yet")
    }

    func testStatementsThatMayCommitAreTold() {
        let readOnly: Set<String> = ["begin_request"]
        func effect(_ sql: String) -> StatementEffect { StatementEffect.of(sql, readOnlyProcedures: readOnly) }
        XCTAssertEqual(effect("SELECT 1"), .read)
        XCTAssertEqual(effect("  (SELECT 1) UNION (SELECT 2)"), .read)
        XCTAssertEqual(effect("with x as (select 1) select * from x"), .read)
        XCTAssertEqual(effect("SET @dc_tenant = ?"), .read)
        XCTAssertEqual(effect("SET autocommit = 1"), .commit, "commits an open transaction")
        XCTAssertEqual(effect("ROLLBACK"), .read)
        XCTAssertEqual(effect("START TRANSACTION READ ONLY"), .begin)
        XCTAssertEqual(effect("insert into t values (1)"), .write)
        XCTAssertEqual(effect("UPDATE t SET v = 1"), .write)
        XCTAssertEqual(effect("DELETE FROM t"), .write)
        XCTAssertEqual(effect("REPLACE INTO t VALUES (1)"), .write)
        XCTAssertEqual(effect("LOAD DATA LOCAL INFILE 'x' INTO TABLE t"), .write)
        XCTAssertEqual(effect("COMMIT"), .commit)
        XCTAssertEqual(effect("CREATE TABLE t (id INT PRIMARY KEY)"), .commit, "DDL commits implicitly")
        XCTAssertEqual(effect("GRANT SELECT ON t TO u"), .commit)
        XCTAssertEqual(effect("CALL begin_request(?)"), .read, "a procedure known to write nothing")
        XCTAssertEqual(effect("CALL `datacovey_app`.`begin_request`(?)"), .read)
        XCTAssertEqual(effect("CALL begin_token_request(?)"), .commit, "any other procedure may write")
        XCTAssertEqual(effect("KILL 12"), .commit, "unknown: counted as a commit")
    }
}
