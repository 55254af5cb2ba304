import DataCovey
import Foundation
import MariaDB
import TestSupport
import XCTest

/// `FOR SYSTEM_TIME` and `as_of` end to end, through the ad hoc query route: a project's
/// system-versioned table read as it was, and the history of others out of reach.
final class QuerySystemTimeTests: XCTestCase {
    /// `customers` made system-versioned on the data account (until every data table is, sql/0023),
    /// then changed: the instant before the change, as the database's clock had it.
    private func versionedAndChanged(_ fixture: QueryFixture) throws -> String {
        let (database, table) = try fixture.physicalName(ofTable: fixture.customers)
        let data = try fixture.db.data()
        defer { data.close() }
        let isVersioned = try data.query("""
            SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = \(database) AND TABLE_NAME = \(table)
               AND TABLE_TYPE = 'SYSTEM VERSIONED'
            """)[0].decode(Int64.self, at: 0) == 1
        if !isVersioned {
            try data.execute("ALTER TABLE `\(unsafeRaw: database)`.`\(unsafeRaw: table)` ADD SYSTEM VERSIONING")
        }
        Thread.sleep(forTimeInterval: 0.01)
        let before = try data.query("SELECT DATE_FORMAT(UTC_TIMESTAMP(6), '%Y-%m-%d %H:%i:%s.%f')")[0].decode(String.self, at: 0)
        Thread.sleep(forTimeInterval: 0.01)
        try data.execute("UPDATE `\(unsafeRaw: database)`.`\(unsafeRaw: table)` SET name = 'Ada L.' WHERE id = 10")
        try data.execute("DELETE FROM `\(unsafeRaw: database)`.`\(unsafeRaw: table)` WHERE id = 20")
        return before
    }

    func testAsOfReadsTheRowsAsTheyWereThroughTheAPI() throws {
        let fixture = try QueryFixture.make("systime")
        let before = try versionedAndChanged(fixture)

        let now = try fixture.query("SELECT id, name FROM crm.customers ORDER BY id")
        XCTAssertEqual(now.status, 200, now.text)
        XCTAssertEqual(try rowsText(now), #"[[10,"Ada L."]]"#)
        let then = try fixture.query("SELECT id, name FROM crm.customers FOR SYSTEM_TIME AS OF '\(before)' ORDER BY id")
        XCTAssertEqual(then.status, 200, then.text)
        XCTAssertEqual(try rowsText(then), #"[[10,"Ada"],[20,"Grace"]]"#)
        let typed = try fixture.query("SELECT c.name FROM customers FOR SYSTEM_TIME AS OF TIMESTAMP '\(before)' AS c WHERE c.id = 20")
        XCTAssertEqual(try rowsText(typed), #"[["Grace"]]"#, typed.text)
        let all = try fixture.query("SELECT id, name FROM crm.customers FOR SYSTEM_TIME ALL ORDER BY id, name")
        XCTAssertEqual(try rowsText(all), #"[[10,"Ada"],[10,"Ada L."],[20,"Grace"]]"#, all.text)
        let window = try fixture.query("""
            SELECT COUNT(*) FROM crm.customers FOR SYSTEM_TIME BETWEEN NOW() - INTERVAL 1 HOUR AND NOW()
            """)
        XCTAssertEqual(try rowsText(window), "[[3]]", window.text)

        // The as_of field: every table without its own clause, as it was.
        let asOf = try fixture.user.call("POST", "/api/v1/projects/\(fixture.project)/query", json: [
            "sql": "SELECT id, name FROM crm.customers ORDER BY id", "as_of": before.replacingOccurrences(of: " ", with: "T") + "Z",
        ])
        XCTAssertEqual(asOf.status, 200, asOf.text)
        XCTAssertEqual(try rowsText(asOf), #"[[10,"Ada"],[20,"Grace"]]"#)
        let badInstant = try fixture.user.call("POST", "/api/v1/projects/\(fixture.project)/query",
                                               json: ["sql": "SELECT 1 FROM crm.customers", "as_of": "yesterday"])
        XCTAssertEqual(badInstant.status, 400, badInstant.text)
        XCTAssertTrue(badInstant.text.contains("as_of"), badInstant.text)
        // Every data table is system-versioned (sql/0023), so any of the project's tables answers.
        let other = try fixture.query("SELECT COUNT(*) FROM sales.orders FOR SYSTEM_TIME ALL")
        XCTAssertEqual(other.status, 200, other.text)
    }

    /// Other projects' and tenants' tables, by their names or their physical names, and the
    /// clause in the places it may not go: refused through the API, with the reason.
    func testHistoryOfOthersIsOutOfReach() throws {
        let fixture = try QueryFixture.make("systimehostile")
        _ = try versionedAndChanged(fixture)
        let stranger = try QueryFixture.make("systimestranger")
        let (theirDatabase, theirTable) = try stranger.physicalName(ofTable: stranger.customers)
        let (ownDatabase, ownTable) = try fixture.physicalName(ofTable: fixture.customers)
        let hostile = [
            "SELECT * FROM `\(theirDatabase)`.`\(theirTable)` FOR SYSTEM_TIME ALL",
            "SELECT * FROM `\(ownDatabase)`.`\(ownTable)` FOR SYSTEM_TIME ALL",
            "SELECT * FROM crm.customers WHERE id IN (SELECT id FROM \(theirDatabase).\(theirTable) FOR SYSTEM_TIME ALL)",
            "SELECT * FROM crm.customers FOR SYSTEM_TIME AS OF (SELECT MAX(at) FROM sales.orders)",
            "SELECT * FROM information_schema.TABLES FOR SYSTEM_TIME ALL",
            "SELECT * FROM datacovey.row_change_history FOR SYSTEM_TIME ALL",
            "SELECT * FROM crm.customers UNION ALL SELECT * FROM other.customers FOR SYSTEM_TIME ALL",
            "WITH c AS (SELECT * FROM crm.customers) SELECT * FROM c FOR SYSTEM_TIME ALL",
        ]
        for sql in hostile {
            let response = try fixture.query(sql)
            XCTAssertEqual(response.status, 400, "\(sql): \(response.text)")
            let detail = try response.json()["detail"] as? String ?? ""
            XCTAssertFalse(detail.isEmpty, sql)
            XCTAssertFalse(detail.contains("Grace"), "\(sql) leaked a row: \(detail)")
        }
    }
}
