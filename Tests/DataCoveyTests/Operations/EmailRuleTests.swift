@testable import DataCovey
import XCTest

/// One e-mail rule for the API, the pages and `datacovey-admin user add` (issue 14: an operator
/// could store `admin@rel_a.test`, which the API then returned against its own `format: email`,
/// found by schemathesis).
final class EmailRuleTests: XCTestCase {
    func testAddressesAreDotAtomsAtHostNames() {
        for good in ["a@b.test", "Ada.Lovelace+tag@example.co.uk", "o'brien@x-y.example", "0@0.com", "a!#$%&*/=?^_`{|}~-@b.io"] {
            XCTAssertTrue(UserRules.isEmail(good), good)
        }
        for bad in ["", "a", "@b.test", "a@", "a@b", "a@b_c.test", "a@-b.test", "a@b-.test", "a@b..test", ".a@b.test",
                    "a.@b.test", "a..b@c.test", "a b@c.test", "a@b.test\n", "a@b@c.test", "a@b.123", "ä@b.test", "a@bü.test",
                    String(repeating: "a", count: 65) + "@b.test", "a@" + String(repeating: "b", count: 64) + ".test"] {
            XCTAssertFalse(UserRules.isEmail(bad), bad.debugDescription)
        }
    }
}
