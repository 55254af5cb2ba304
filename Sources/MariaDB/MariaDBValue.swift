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

    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// The UTC date and time of `date`, to microseconds.
    public init(_ date: Date) {
        let parts = Self.utc.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let whole = date.timeIntervalSince1970.rounded(.down)
        self.init(
            year: parts.year!, month: parts.month!, day: parts.day!,
            hour: parts.hour!, minute: parts.minute!, second: parts.second!,
            microsecond: Int(((date.timeIntervalSince1970 - whole) * 1_000_000).rounded())
                .clamped(to: 0...999_999))
    }

    /// The moment this UTC date and time names; nil for zero dates.
    public var date: Date? {
        guard year > 0, month > 0, day > 0 else { return nil }
        let parts = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let base = Self.utc.date(from: parts) else { return nil }
        return base.addingTimeInterval(Double(microsecond) / 1_000_000)
    }
}

extension Comparable {
    fileprivate func clamped(to range: ClosedRange<Self>) -> Self {
        min(max(self, range.lowerBound), range.upperBound)
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
