import XCTest
@testable import DataCovey

/// `FOR SYSTEM_TIME` through the guard and the rewriter: accepted after a project table with
/// constant instants only; every other use — and every way of pointing it at another
/// project's, tenant's or the server's history — refused with a message saying why.
final class SQLGuardSystemTimeTests: XCTestCase {
    private typealias Code = SQLGuard.Rejection.Code

    private let catalog = QueryCatalog(tables: [
        .init(dataset: "sales", name: "orders", database: "dcd_1", physicalTable: "tbl_1"),
        .init(dataset: "sales", name: "items", database: "dcd_1", physicalTable: "tbl_2"),
    ])

    private func rewritten(_ sql: String, asOf: String? = nil) throws -> String {
        try QueryPlan.make(sql: sql, params: nil, declared: [], asOf: asOf.flatMap(QueryInstant.init), catalog: catalog).sql
    }

    /// Refused by the guard, with the code.
    private let refusedByTheGuard: [(String, Code)] = [
        // An instant that is not a constant: a subquery could read any table's history or data.
        ("SELECT * FROM sales.orders FOR SYSTEM_TIME AS OF (SELECT MAX(id) FROM sales.items)", .systemTime),
        ("SELECT * FROM sales.orders FOR SYSTEM_TIME BETWEEN '2026-01-01' AND (SELECT MAX(x) FROM sales.items)", .systemTime),
        ("SELECT * FROM sales.orders FOR SYSTEM_TIME AS OF NOW() - INTERVAL (SELECT 1) DAY", .systemTime),
        ("SELECT * FROM sales.orders FOR SYSTEM_TIME AS OF '2026-01-01' + INTERVAL (SELECT 1) DAY", .systemTime),
        ("SELECT * FROM sales.orders FOR SYSTEM_TIME AS OF @t", .userVariable),
        ("SELECT * FROM sales.orders FOR SYSTEM_TIME AS OF @@timestamp", .systemVariable),
        ("SELECT * FROM sales.orders FOR SYSTEM_TIME AS OF ?", .systemTime),
        ("SELECT * FROM sales.orders FOR SYSTEM_TIME AS OF :when", .systemTime),
        ("SELECT * FROM sales.orders FOR SYSTEM_TIME AS OF CONVERT_TZ('2026-01-01', '+00:00', '+01:00')", .systemTime),
        ("SELECT * FROM sales.orders FOR SYSTEM_TIME FROM '2026-01-01' TO orders.id", .systemTime),
        ("SELECT * FROM sales.orders FOR SYSTEM_TIME AS OF 'yesterday'", .systemTime),
        ("SELECT * FROM sales.orders FOR SYSTEM_TIME AS OF '2026-01-01' ' 10:00:00'", .systemTime),
        ("SELECT * FROM sales.orders FOR SYSTEM_TIME AS OF _utf8mb4'2026-01-01'", .systemTime),
        ("SELECT * FROM sales.orders FOR SYSTEM_TIME AS OF \"2026-01-01\"", .systemTime),
        ("SELECT * FROM sales.orders FOR SYSTEM_TIME AS OF TRANSACTION 5", .systemTime),
        ("SELECT * FROM sales.orders FOR SYSTEM_TIME SYSTEM_TIME ALL", .systemTime),
        // Comments, odd spacing and quoting do not hide the clause or change the rules.
        ("SELECT * FROM sales.orders FOR/**/SYSTEM_TIME/* x */AS OF (SELECT 1)", .systemTime),
        ("SELECT * FROM sales.orders\n\tfor   system_time\nAS  OF(SELECT 1)", .systemTime),
        ("SELECT * FROM sales.orders FOR `SYSTEM_TIME` ALL", .systemTime),
        ("SELECT * FROM sales.orders /*!100300 FOR SYSTEM_TIME ALL */", .executableComment),
        // Not after a table of the project: a derived table, a CTE, a table function, nothing.
        ("SELECT * FROM (SELECT * FROM sales.orders) d FOR SYSTEM_TIME ALL", .systemTime),
        ("SELECT * FROM (SELECT * FROM sales.orders) FOR SYSTEM_TIME ALL AS d", .systemTime),
        ("WITH x AS (SELECT * FROM sales.orders) SELECT * FROM x FOR SYSTEM_TIME ALL", .systemTime),
        ("SELECT * FROM JSON_TABLE('[]', '$[*]' COLUMNS (a INT PATH '$')) j FOR SYSTEM_TIME ALL", .systemTime),
        ("SELECT 1 FOR SYSTEM_TIME ALL", .systemTime),
        ("SELECT * FROM sales.orders WHERE id = 1 FOR SYSTEM_TIME ALL", .systemTime),
        // The server's schemas and physical names (another dataset's, project's or tenant's).
        ("SELECT * FROM information_schema.tables FOR SYSTEM_TIME ALL", .forbiddenSchema),
        ("SELECT * FROM mysql.user FOR SYSTEM_TIME AS OF '2026-01-01'", .forbiddenSchema),
        ("SELECT * FROM dcd_2.tbl_9 FOR SYSTEM_TIME ALL", .physicalName),
        ("SELECT * FROM sales.orders WHERE id IN (SELECT id FROM `dcd_7`.`tbl_7` FOR SYSTEM_TIME ALL)", .physicalName),
        ("SELECT * FROM sales.orders UNION SELECT * FROM `DCD_3`.`TBL_3` FOR SYSTEM_TIME ALL", .physicalName),
    ]

    /// Accepted by the guard, refused by the catalog: no dataset of the project has the table.
    private let refusedByTheCatalog = [
        "SELECT * FROM other_project.orders FOR SYSTEM_TIME ALL",
        "SELECT * FROM datacovey.users FOR SYSTEM_TIME AS OF '2026-01-01 00:00:00'",
        "SELECT * FROM datacovey_app.history_chain FOR SYSTEM_TIME ALL",
        "SELECT * FROM sales.orders UNION ALL SELECT * FROM marketing.orders FOR SYSTEM_TIME ALL",
        "SELECT * FROM sales.orders o JOIN other.items FOR SYSTEM_TIME BETWEEN '2026-01-01' AND NOW() i ON i.id = o.id",
        "SELECT * FROM sales.orders_view FOR SYSTEM_TIME ALL",
        "SELECT (SELECT COUNT(*) FROM secret.t FOR SYSTEM_TIME ALL) FROM sales.orders",
    ]

    func testHostileUsesAreRefusedWithAReason() throws {
        XCTAssertGreaterThanOrEqual(refusedByTheGuard.count + refusedByTheCatalog.count, 15)
        for (sql, code) in refusedByTheGuard {
            do {
                _ = try SQLGuard.check(sql)
                XCTFail("accepted: \(sql)")
            } catch {
                XCTAssertEqual(error.code, code, "\(sql): \(error.message)")
                XCTAssertFalse(error.message.isEmpty)
            }
            XCTAssertThrowsError(try rewritten(sql), sql)
        }
        for sql in refusedByTheCatalog {
            XCTAssertNoThrow(try SQLGuard.check(sql), sql)
            XCTAssertThrowsError(try rewritten(sql), sql) { error in
                XCTAssertTrue((error as? DomainError)?.detail.hasPrefix("Unknown table") == true, "\(sql): \(error)")
            }
        }
    }

    func testTheMessagesSayWhatIsAllowed() {
        func message(_ sql: String) -> String {
            do { _ = try SQLGuard.check(sql); return "" } catch { return error.message }
        }
        XCTAssertEqual(message("SELECT * FROM sales.orders FOR SYSTEM_TIME AS OF (SELECT 1)"), SQLGuardSystemTime.instantMessage)
        XCTAssertEqual(message("SELECT * FROM sales.orders FOR SYSTEM_TIME LATEST"), SQLGuardSystemTime.formsMessage)
        XCTAssertTrue(message("WITH x AS (SELECT 1) SELECT * FROM x FOR SYSTEM_TIME ALL")
            .hasPrefix("FOR SYSTEM_TIME may only follow a table of this project"))
    }

    func testOwnTablesAreReadAsOfAnInstantAndStillMappedToPhysicalNames() throws {
        XCTAssertEqual(try rewritten("SELECT * FROM sales.orders FOR SYSTEM_TIME AS OF '2026-12-01 10:00:00'"),
                       "SELECT * FROM `dcd_1`.`tbl_1` FOR SYSTEM_TIME AS OF '2026-12-01 10:00:00' AS `orders`")
        XCTAssertEqual(try rewritten("""
            SELECT o.id, i.id FROM sales.orders FOR SYSTEM_TIME ALL AS o \
            JOIN items FOR SYSTEM_TIME BETWEEN TIMESTAMP '2026-01-01' AND NOW() i ON i.id = o.id
            """),
                       """
            SELECT o.id, i.id FROM `dcd_1`.`tbl_1` FOR SYSTEM_TIME ALL AS o \
            JOIN `dcd_1`.`tbl_2` FOR SYSTEM_TIME BETWEEN TIMESTAMP '2026-01-01' AND NOW() i ON i.id = o.id
            """)
        XCTAssertEqual(try rewritten("SELECT orders.id FROM orders FOR SYSTEM_TIME FROM NOW() - INTERVAL 1 DAY TO CURRENT_TIMESTAMP WHERE id > 1"),
                       "SELECT orders.id FROM `dcd_1`.`tbl_1` FOR SYSTEM_TIME FROM NOW() - INTERVAL 1 DAY TO CURRENT_TIMESTAMP AS `orders` WHERE id > 1")
        XCTAssertEqual(try rewritten("SELECT COUNT(*) FROM sales.orders FOR SYSTEM_TIME AS OF '2026-12-01T10:00:00.5', sales.items"),
                       "SELECT COUNT(*) FROM `dcd_1`.`tbl_1` FOR SYSTEM_TIME AS OF '2026-12-01T10:00:00.5' AS `orders`, `dcd_1`.`tbl_2` AS `items`")
        XCTAssertEqual(try rewritten("SELECT * FROM (SELECT id FROM sales.orders FOR SYSTEM_TIME ALL) AS d"),
                       "SELECT * FROM (SELECT id FROM `dcd_1`.`tbl_1` FOR SYSTEM_TIME ALL AS `orders`) AS d")
    }

    /// The editor's "as of" (the API's `as_of`): every table without a clause of its own is
    /// read as of that instant; a clause the user wrote stays.
    func testAsOfAppliesToEveryTableWithoutItsOwnClause() throws {
        XCTAssertEqual(try rewritten("SELECT * FROM sales.orders o, items WHERE o.id IN (SELECT id FROM items)", asOf: "2026-12-01T11:00:00+01:00"),
                       "SELECT * FROM `dcd_1`.`tbl_1` FOR SYSTEM_TIME AS OF TIMESTAMP'2026-12-01 10:00:00.000000' o, "
                       + "`dcd_1`.`tbl_2` FOR SYSTEM_TIME AS OF TIMESTAMP'2026-12-01 10:00:00.000000' AS `items` WHERE o.id IN "
                       + "(SELECT id FROM `dcd_1`.`tbl_2` FOR SYSTEM_TIME AS OF TIMESTAMP'2026-12-01 10:00:00.000000' AS `items`)")
        XCTAssertEqual(try rewritten("SELECT * FROM orders FOR SYSTEM_TIME ALL", asOf: "2026-12-01 10:00:00.25"),
                       "SELECT * FROM `dcd_1`.`tbl_1` FOR SYSTEM_TIME ALL AS `orders`")
        XCTAssertNil(QueryInstant("yesterday"))
        XCTAssertNil(QueryInstant("2026-12-01'; DROP TABLE x; --"))
        XCTAssertEqual(QueryInstant("2026-12-01T10:00:00.123456Z")?.sqlLiteral, "TIMESTAMP'2026-12-01 10:00:00.123456'")
    }
}
