import Foundation
import MariaDB

/// Reads the timestamps files carry: RFC 3339 (`2026-11-26T08:00:00.123456Z`, `…+02:00`) and
/// the SQL form without a zone (`2026-11-26 08:00:00`, taken as UTC), with up to microseconds.
/// Byte-level, without a DateFormatter: an import reads a million of them. The zone is applied
/// with calendar arithmetic, and the result must lie within DATETIME(6)'s range in UTC.
enum TimestampText {
    /// The earliest and latest moments a timestamp column stores, in UTC.
    static let range = "0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z"

    static func parse(_ text: String) -> MariaDBDateTime? {
        var text = text
        return text.withUTF8 { parse($0) }
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> MariaDBDateTime? {
        if case .success(let value) = check(bytes) { return value }
        return nil
    }

    /// The moment in UTC, or why the text is not one a timestamp column can store.
    static func check(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<MariaDBDateTime, RowValueProblem> {
        let shape = RowValueProblem("must be a timestamp like 2026-11-26T08:00:00Z")
        var index = 0
        func number(_ count: Int) -> Int? {
            guard bytes.count - index >= count else { return nil }
            var value = 0
            for offset in 0..<count {
                let byte = bytes[index + offset]
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            index += count
            return value
        }
        func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }
        guard let year = number(4), take(0x2D), let month = number(2), take(0x2D), let day = number(2),
              take(0x54) || take(0x74) || take(0x20),
              let hour = number(2), take(0x3A), let minute = number(2) else { return .failure(shape) }
        var second = 0
        var microsecond = 0
        if take(0x3A) {
            guard let value = number(2) else { return .failure(shape) }
            second = value
            if take(0x2E) {
                var digits = 0
                while index < bytes.count, bytes[index] >= 0x30 && bytes[index] <= 0x39 {
                    if digits < 6 {
                        microsecond = microsecond * 10 + Int(bytes[index] - 0x30)
                    } else if bytes[index] != 0x30 {
                        return .failure(RowValueProblem("has more than 6 fractional digits: a timestamp keeps microseconds"))
                    }
                    digits += 1
                    index += 1
                }
                guard digits >= 1 else { return .failure(shape) }
                if digits < 6 { for _ in digits..<6 { microsecond *= 10 } }
            }
        }
        var offsetMinutes = 0
        if take(0x5A) || take(0x7A) {
        } else if index < bytes.count, bytes[index] == 0x2B || bytes[index] == 0x2D {
            let negative = bytes[index] == 0x2D
            index += 1
            guard let hours = number(2) else { return .failure(shape) }
            _ = take(0x3A)
            guard let minutes = number(2), hours <= 23, minutes <= 59 else { return .failure(shape) }
            offsetMinutes = (hours * 60 + minutes) * (negative ? -1 : 1)
        }
        guard index == bytes.count, ColumnDefault.isValidDay(year: year, month: month, day: day),
              hour <= 23, minute <= 59, second <= 59 else { return .failure(shape) }
        guard offsetMinutes != 0 else {
            return .success(MariaDBDateTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second,
                                            microsecond: microsecond))
        }
        // Local time minus the offset is UTC; the day may change, and so may the year.
        var minutes = CivilCalendar.days(year: year, month: month, day: day) * 1440 + hour * 60 + minute - offsetMinutes
        let days = Int((Double(minutes) / 1440).rounded(.down))
        minutes -= days * 1440
        let date = CivilCalendar.date(days: days)
        guard (1...9999).contains(date.year) else {
            return .failure(RowValueProblem("is out of range in UTC (\(range))"))
        }
        return .success(MariaDBDateTime(year: date.year, month: date.month, day: date.day, hour: minutes / 60,
                                        minute: minutes % 60, second: second, microsecond: microsecond))
    }
}

extension TimestampText {
    /// Whether 10 bytes are a `YYYY-MM-DD` day that exists; nil when not even the shape fits.
    static func date(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard bytes.count == 10, bytes[4] == 0x2D, bytes[7] == 0x2D else { return nil }
        var parts = [0, 0, 0]
        for (part, range) in [(0, 0..<4), (1, 5..<7), (2, 8..<10)] {
            for index in range {
                let byte = bytes[index]
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                parts[part] = parts[part] * 10 + Int(byte - 0x30)
            }
        }
        return ColumnDefault.isValidDay(year: parts[0], month: parts[1], day: parts[2])
    }
}
