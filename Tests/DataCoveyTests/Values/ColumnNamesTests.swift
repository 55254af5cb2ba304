import XCTest
@testable import DataCovey

final class ColumnNamesTests: XCTestCase {
    func testHeadersBecomeValidColumnNamesByOneRule() {
        XCTAssertEqual(ColumnNames.fitted("On Street"), "on_street")
        XCTAssertEqual(ColumnNames.fitted("key"), "key_")
        XCTAssertEqual(ColumnNames.fitted("2nd place"), "c_2nd_place")
        XCTAssertEqual(ColumnNames.fitted("  Amount (€) "), "amount")
        XCTAssertEqual(ColumnNames.fitted("first_name"), "first_name")
        XCTAssertEqual(ColumnNames.fitted("a--b__c"), "a_b_c")
        XCTAssertEqual(ColumnNames.fitted("€€"), "")
        XCTAssertEqual(ColumnNames.fitted(String(repeating: "x", count: 100)).count, 63)
        XCTAssertEqual(ColumnNames.column(for: "ID"), "ID", "a valid name stays as written")
        XCTAssertEqual(ColumnNames.column(for: "select"), "select_")
    }
}
