import Foundation

/// A value bound to a `?` placeholder. Values travel beside the SQL text, never inside it.
public enum MariaDBValue: Sendable, Equatable {
    case null
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case text(String)
    case bytes([UInt8])
    case dateTime(MariaDBDateTime)
}

/// A calendar date and time without a zone, as MariaDB stores DATETIME (UTC by this project's rule).
public struct MariaDBDateTime: Sendable, Equatable, Hashable {
    public var year, month, day, hour, minute, second: Int
    public var microsecond: Int

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, microsecond: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.microsecond = microsecond
    }

    /// The UTC date and time of `date`, to microseconds.
    public init(_ date: Date) {
        let micros = Int((date.timeIntervalSince1970 * 1_000_000).rounded(.down))
        let seconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = CivilCalendar.date(days: days)
        self.init(year: year, month: month, day: day, hour: secondOfDay / 3600, minute: secondOfDay % 3600 / 60,
                  second: secondOfDay % 60, microsecond: micros - seconds * 1_000_000)
    }

    /// The moment this UTC date and time names; nil for zero dates.
    public var date: Date? {
        guard year > 0, (1...12).contains(month), (1...31).contains(day) else { return nil }
        let days = CivilCalendar.days(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second
        return Date(timeIntervalSince1970: Double(seconds) + Double(microsecond) / 1_000_000)
    }
}

/// A Swift value that can be bound as a statement parameter.
public protocol MariaDBEncodable: Sendable {
    var mariaDBValue: MariaDBValue { get }
}

extension Int: MariaDBEncodable { public var mariaDBValue: MariaDBValue { .int(Int64(self)) } }
extension Int64: MariaDBEncodable { public var mariaDBValue: MariaDBValue { .int(self) } }
extension Int32: MariaDBEncodable { public var mariaDBValue: MariaDBValue { .int(Int64(self)) } }
extension UInt64: MariaDBEncodable { public var mariaDBValue: MariaDBValue { .uint(self) } }
extension Double: MariaDBEncodable { public var mariaDBValue: MariaDBValue { .double(self) } }
extension Bool: MariaDBEncodable { public var mariaDBValue: MariaDBValue { .int(self ? 1 : 0) } }
extension String: MariaDBEncodable { public var mariaDBValue: MariaDBValue { .text(self) } }
extension Substring: MariaDBEncodable { public var mariaDBValue: MariaDBValue { .text(String(self)) } }
extension Array: MariaDBEncodable where Element == UInt8 { public var mariaDBValue: MariaDBValue { .bytes(self) } }
extension Date: MariaDBEncodable { public var mariaDBValue: MariaDBValue { .dateTime(MariaDBDateTime(self)) } }
extension MariaDBDateTime: MariaDBEncodable { public var mariaDBValue: MariaDBValue { .dateTime(self) } }
extension MariaDBValue: MariaDBEncodable { public var mariaDBValue: MariaDBValue { self } }
extension Optional: MariaDBEncodable where Wrapped: MariaDBEncodable {
    public var mariaDBValue: MariaDBValue { self?.mariaDBValue ?? .null }
}
