import Foundation
import MariaDB
import XCTest

final class CivilCalendarTests: XCTestCase {
    func testAgreesWithFoundationsCalendarSince1600() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        // Foundation switches to the Julian calendar before October 1582; MariaDB and we stay Gregorian.
        var days = -130_000
        while days <= 800_000 {
            let date = Date(timeIntervalSince1970: Double(days) * 86_400)
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            let civil = CivilCalendar.date(days: days)
            XCTAssertEqual([civil.year, civil.month, civil.day], [parts.year!, parts.month!, parts.day!], "day \(days)")
            XCTAssertEqual(CivilCalendar.days(year: civil.year, month: civil.month, day: civil.day), days)
            days += 997
        }
    }

    func testDateTimeRoundTripsToTheMicrosecond() {
        let moments: [Double] = [0, 1_800_000_000.123456, 951_782_400.5, -1.25, 4_102_444_799.999999]
        for seconds in moments {
            let value = MariaDBDateTime(Date(timeIntervalSince1970: seconds))
            XCTAssertEqual(value.date?.timeIntervalSince1970 ?? .nan, seconds, accuracy: 0.000002, "\(seconds)")
        }
        XCTAssertEqual(MariaDBDateTime(Date(timeIntervalSince1970: 951_782_400)),
                       MariaDBDateTime(year: 2000, month: 2, day: 29), "a leap day")
        XCTAssertEqual(MariaDBDateTime(Date(timeIntervalSince1970: -1.25)),
                       MariaDBDateTime(year: 1969, month: 12, day: 31, hour: 23, minute: 59, second: 58, microsecond: 750_000))
    }
}
