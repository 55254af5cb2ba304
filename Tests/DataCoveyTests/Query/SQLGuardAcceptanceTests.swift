import XCTest
@testable import DataCovey

final class SQLGuardAcceptanceTests: XCTestCase {
    private typealias Ref = SQLGuard.TableReference

    private func accept(_ sql: String, file: StaticString = #filePath, line: UInt = #line) -> SQLGuard.Accepted? {
        do {
            return try SQLGuard.check(sql)
        } catch {
            XCTFail("rejected \(sql): \(error.code) \(error.message)", file: file, line: line)
            return nil
        }
    }

    private func assertTables(_ sql: String, _ expected: [Ref], positional: Int = 0, named: [String] = [],
                              file: StaticString = #filePath, line: UInt = #line) {
        guard let result = accept(sql, file: file, line: line) else { return }
        XCTAssertEqual(result, SQLGuard.Accepted(tables: expected, positionalParameters: positional, namedParameters: named),
                       file: file, line: line)
    }

    func testPlainSelects() {
        assertTables("SELECT 1", [])
        assertTables("SELECT * FROM orders", [Ref(nil, "orders")])
        assertTables("select a, b from sales.orders where a > 3 order by b desc limit 10 offset 5;",
                     [Ref("sales", "orders")])
        assertTables("SELECT 1 FROM DUAL", [])
    }

    func testJoinsAndCommaLists() {
        assertTables("""
            SELECT o.id, c.name FROM sales.orders AS o
            JOIN crm.customers c ON c.id = o.customer_id
            LEFT OUTER JOIN `crm`.`addresses` a USING (customer_id), ref.countries k
            STRAIGHT_JOIN ref.regions r ON r.id = k.region_id
            """, [Ref("sales", "orders"), Ref("crm", "customers"), Ref("crm", "addresses"),
                  Ref("ref", "countries"), Ref("ref", "regions")])
        assertTables("SELECT * FROM a, b, ds.c WHERE a.x IN (1, 2)", [Ref(nil, "a"), Ref(nil, "b"), Ref("ds", "c")])
        assertTables("SELECT * FROM t1 LEFT JOIN (t2, ds.t3) ON t2.a = t1.a", [Ref(nil, "t1"), Ref(nil, "t2"), Ref("ds", "t3")])
        assertTables("SELECT * FROM t USE INDEX FOR JOIN (idx) JOIN u ON 1", [Ref(nil, "t"), Ref(nil, "u")])
    }

    func testCommonTableExpressions() {
        assertTables("WITH a AS (SELECT id FROM ds.src) SELECT * FROM a JOIN ds.t ON t.id = a.id",
                     [Ref("ds", "src"), Ref("ds", "t")])
        assertTables("""
            WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5), m AS (SELECT * FROM x)
            SELECT * FROM n, m, y
            """, [Ref(nil, "x"), Ref(nil, "y")])
        assertTables("(WITH a AS (SELECT 1) SELECT * FROM a)", [])
    }

    func testSubqueriesAndDerivedTables() {
        assertTables("""
            SELECT d.total FROM (SELECT SUM(amount) AS total FROM ds.pay) AS d
            WHERE EXISTS (SELECT 1 FROM ds.flags f WHERE f.on = 1)
            AND EXTRACT(YEAR FROM d.created) = 2024 AND TRIM(BOTH 'x' FROM d.s) <> ''
            """, [Ref("ds", "pay"), Ref("ds", "flags")])
        assertTables("SELECT * FROM JSON_TABLE('[1]', '$[*]' COLUMNS (v INT PATH '$')) AS j", [])
    }

    func testUnionAggregatesAndGrouping() {
        assertTables("SELECT a FROM x UNION SELECT a FROM y UNION ALL SELECT a FROM ds.z", [Ref(nil, "x"), Ref(nil, "y"), Ref("ds", "z")])
        assertTables("(SELECT a FROM x) UNION (SELECT a FROM y) ORDER BY a", [Ref(nil, "x"), Ref(nil, "y")])
        assertTables("""
            SELECT region, COUNT(*), AVG(v), GROUP_CONCAT(DISTINCT n ORDER BY n SEPARATOR ',')
            FROM ds.m GROUP BY region WITH ROLLUP HAVING COUNT(*) > 1 ORDER BY 2 DESC LIMIT 5
            """, [Ref("ds", "m")])
        assertTables("SELECT CAST(n AS CHAR CHARACTER SET utf8mb4), CONVERT(n, CHAR) FROM t", [Ref(nil, "t")])
    }

    func testForbiddenWordsInsideStringsAndComments() {
        assertTables("SELECT 'INTO OUTFILE', 'sleep(1)', '@x', '; DROP TABLE', \"FOR UPDATE\" FROM t", [Ref(nil, "t")])
        assertTables("SELECT a -- into\nFROM t /* sleep(1) @@x */ # ; delete\n", [Ref(nil, "t")])
        assertTables("SELECT '/*!50000 sleep(1) */', '?', ':name' FROM t", [Ref(nil, "t")])
    }

    func testBacktickedNames() {
        assertTables("SELECT `select`, `a``b` FROM `my ds`.`order items`", [Ref("my ds", "order items")])
    }

    func testParameters() {
        assertTables("SELECT * FROM t WHERE a = ? AND b = :region AND c IN (?, :region) AND d = ':fake' AND e = '?'",
                     [Ref(nil, "t")], positional: 2, named: ["region", "region"])
    }

    func testTrailingSemicolonAndComments() {
        assertTables("SELECT * FROM t ; -- done\n /* bye */ ", [Ref(nil, "t")])
    }

    func testHarmlessModifiersAreAccepted() {
        assertTables("SELECT HIGH_PRIORITY SQL_CACHE SQL_NO_CACHE STRAIGHT_JOIN SQL_CALC_FOUND_ROWS a FROM t",
                     [Ref(nil, "t")])
        assertTables("SELECT LAST_INSERT_ID(), 1--1 FROM t FOR SYSTEM_TIME ALL", [Ref(nil, "t")])
    }
}
