import MariaDB
import XCTest
@testable import DataCovey

/// `RowFilters` reads PostgREST's grammar into one condition tree, and `RowFilterSQL` writes it
/// the same way for binds and for the text protocol's literals: the tree of a nested group,
/// quoting in groups and `in` lists, the parameters that are not filters, and the SQL text.
final class RowFiltersTests: XCTestCase {
    private let columns = [
        RowStore.Column(name: "n", type: ColumnType("int64")!, isNullable: true, hasDefault: false),
        RowStore.Column(name: "name", type: ColumnType("string")!, isNullable: true, hasDefault: false),
        RowStore.Column(name: "amount", type: ColumnType("decimal(30,10)")!, isNullable: true, hasDefault: false),
        RowStore.Column(name: "flag", type: ColumnType("bool")!, isNullable: true, hasDefault: false),
    ]

    private func literal(_ pairs: [(String, String)]) throws -> String {
        RowFilterSQL.literal(try RowFilters.parse(pairs, columns: columns))
    }

    func testAGroupNestsAndQuotesAndEveryValueIsALiteralNothingBreaksOutOf() throws {
        XCTAssertEqual(try literal([("or", "(n.eq.1,and(name.in.(\"a,b\",\"c\\\"d\"),not.or(flag.is.true,amount.gt.1.5)))")]),
                       " AND ((`n` = _utf8mb4 X'31') OR ((`name` IN (_utf8mb4 X'612C62', _utf8mb4 X'632264'))"
                       + " AND (NOT ((`flag` IS TRUE) OR (`amount` > CAST(_utf8mb4 X'312E35' AS DECIMAL(30,10)))))))",
                       "numbers are the converter's text, as an import stores them; decimals cast to their column's type")
        XCTAssertEqual(try literal([("name", "ilike.A%"), ("n", "not.in.()")]),
                       " AND (LOWER(`name`) LIKE LOWER(_utf8mb4 X'4125') COLLATE utf8mb4_bin) AND (NOT (FALSE))")
        XCTAssertEqual(try literal([("name", "like.x'); DROP TABLE t; --")]),
                       " AND (`name` LIKE _utf8mb4 X'7827293B2044524F50205441424C4520743B202D2D' COLLATE utf8mb4_bin)")
        XCTAssertEqual(try literal([("name", "eq.(a,b)")]), " AND (`name` = _utf8mb4 X'28612C6229')",
                       "outside a group a value is taken as written")
    }

    func testBindsMatchTheLiteralsOneForOne() throws {
        let filters = try RowFilters.parse([("not.and", "(n.lte.3,amount.in.(1,2))"), ("flag", "not.is.null")], columns: columns)
        let bound = RowFilterSQL.bound(filters)
        XCTAssertEqual(bound.sql, " AND (NOT ((`n` <= ?) AND (`amount` IN (CAST(? AS DECIMAL(30,10)), CAST(? AS DECIMAL(30,10)))))) AND (NOT (`flag` IS NULL))")
        XCTAssertEqual(bound.binds, [.text("3"), .text("1"), .text("2")])
    }

    func testParametersThatAreNotFiltersAreLeftToTheirReaders() throws {
        let pairs = RowFilters.notColumnFilters.subtracting(RowFilters.groups.keys).map { ($0, "whatever") }
        XCTAssertEqual(try RowFilters.parse(pairs, columns: columns).count, 0)
        XCTAssertTrue(RowFilters.notColumnFilters.isSuperset(of: ["limit", "cursor", "order", "select", "or", "and", "as_of", "all", "max_affected", "_facet"]))
    }
}
