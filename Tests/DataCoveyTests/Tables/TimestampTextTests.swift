@testable import DataCovey
import MariaDB
import XCTest

final class TimestampTextTests: XCTestCase {
    private func text(_ input: String) -> String? {
        TimestampText.parse(input).map { t in
            "\(t.year)-\(t.month)-\(t.day) \(t.hour):\(t.minute):\(t.second).\(t.microsecond)"
        }
    }

    func testRFC3339AndTheSQLFormAreReadAsUTC() {
        XCTAssertEqual(text("2026-11-26T08:00:00Z"), "2026-11-26 8:0:0.0")
        XCTAssertEqual(text("2026-11-26T08:00:00.123456Z"), "2026-11-26 8:0:0.123456")
        XCTAssertEqual(text("2026-11-26T08:00:00.5Z"), "2026-11-26 8:0:0.500000")
        XCTAssertNil(text("2026-11-26T08:00:00.1234567Z"), "a digit beyond microseconds is refused, never cut")
        XCTAssertEqual(text("2026-11-26T08:00:00.123456000Z"), "2026-11-26 8:0:0.123456", "zeros beyond microseconds lose nothing")
        XCTAssertEqual(text("2026-11-26 08:00:00"), "2026-11-26 8:0:0.0")
        XCTAssertEqual(text("2026-11-26T08:00"), "2026-11-26 8:0:0.0")
        XCTAssertEqual(text("2026-01-01T01:30:00.25+02:00"), "2025-12-31 23:30:0.250000", "offsets move to UTC across days")
        XCTAssertEqual(text("2026-01-01T23:00:00-0130"), "2026-1-2 0:30:0.0")
        XCTAssertEqual(text("2024-03-01T00:30:00+01:00"), "2024-2-29 23:30:0.0", "across a leap day")
        XCTAssertNil(text("9999-12-31T23:59:59-01:00"), "past 9999 in UTC")
        XCTAssertNil(text("0001-01-01T00:00:00+01:00"), "before year 1 in UTC")
    }

    func testAnythingElseIsRefused() {
        for bad in ["", "2026-11-26", "2026-02-30T00:00:00Z", "2026-11-26T24:00:00Z", "2026-11-26T08:60Z", "2026-11-26T08:00:00.Z",
                    "2026-11-26T08:00:00+25:00", "26-11-26T08:00:00Z", "2026-11-26T08:00:00Zjunk", "noon"] {
            XCTAssertNil(TimestampText.parse(bad), bad)
        }
    }
}
