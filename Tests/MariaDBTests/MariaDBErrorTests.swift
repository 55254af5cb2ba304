import MariaDB
import XCTest

/// Each classifier matches exactly the codes its documentation lists.
final class MariaDBErrorTests: XCTestCase {
    private func codes(_ classifier: (MariaDBError) -> Bool) -> [UInt32] {
        (0...5000).map(UInt32.init).filter { classifier(MariaDBError(code: $0, sqlState: "HY000", message: "")) }
    }

    func testClassifiersMatchTheCodesTheyDocument() {
        XCTAssertEqual(codes(\.isDuplicateKey), [1022, 1062, 1586])
        XCTAssertEqual(codes(\.isDeadlock), [1213])
        XCTAssertEqual(codes(\.isLockWaitTimeout), [1205])
        XCTAssertEqual(codes(\.isCheckOptionFailed), [1369])
        XCTAssertEqual(codes(\.isForeignKeyViolation), [1216, 1217, 1451, 1452])
        XCTAssertEqual(codes(\.isAccessDenied), [1044, 1045, 1142, 1143, 1227, 1370])
        XCTAssertEqual(codes(\.isTableAccessDenied), [1142])
        XCTAssertEqual(codes(\.isLoginRefused), [1045])
        XCTAssertEqual(codes(\.isTableMissing), [1146])
        XCTAssertEqual(codes(\.isResourceLimitReached), [1226])
        XCTAssertEqual(codes(\.isStatementTimeout), [1317, 1969, 3024])
        XCTAssertEqual(codes(\.isValueRejected), [1264, 1265, 1292, 1366, 1406, 3140, 4025])
        XCTAssertEqual(codes(\.isLostDuringQuery), [2006, 2013])
        XCTAssertEqual(codes(\.isPacketTooLarge), [2020])
        XCTAssertEqual(codes(\.isFromServer), Array(1000...1999) + Array(4000...4999))
        XCTAssertEqual(codes(\.isLostConnection), [1053, 1927, 2002, 2003, 2006, 2013, 2026, 2055, 4031])
    }

    func testTheDescriptionCarriesNoServerMessageOrSQL() {
        let error = MariaDBError(code: 1062, sqlState: "23000", message: "Duplicate entry 'secret'", sql: "INSERT … 'secret'")
        XCTAssertEqual(error.description, "MariaDB error 1062 (23000)")
        XCTAssertTrue(error.debugDescription.contains("secret"))
    }
}

final class MariaDBErrorLogTests: XCTestCase {
    func testTheLogTextLeavesOutQuotedValuesButKeepsNamesAndShape() {
        let error = MariaDBError(code: 1062, sqlState: "23000", message: "Duplicate entry 'ann@x.test' for key 'users.email'",
                                 sql: "INSERT INTO `t` (`a`, `b`) VALUES (?, 'it''s \\' secret', \"x\")")
        XCTAssertEqual(error.logDescription,
                       "MariaDB error 1062 (23000): Duplicate entry '?' for key '?' — SQL: INSERT INTO `t` (`a`, `b`) VALUES (?, '?', '?')")
    }
}
