import Foundation
import MariaDB

/// Reads the timestamps files carry: RFC 3339 (`2026-11-26T08:00:00.123456Z`, `…+02:00`) and
/// the SQL form without a zone (`2026-11-26 08:00:00`, taken as UTC), with up to microseconds.
/// Byte-level, without a DateFormatter: an import reads a million of them.
enum TimestampText {
    static func parse(_ text: String) -> MariaDBDateTime? {
        var text = text
        return text.withUTF8 { parse($0) }
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> MariaDBDateTime? {
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
              let hour = number(2), take(0x3A), let minute = number(2) else { return nil }
        var second = 0
        var microsecond = 0
        if take(0x3A) {
            guard let value = number(2) else { return nil }
            second = value
            if take(0x2E) {
                var digits = 0
                while index < bytes.count, bytes[index] >= 0x30 && bytes[index] <= 0x39 {
                    if digits < 6 { microsecond = microsecond * 10 + Int(bytes[index] - 0x30) }
                    digits += 1
                    index += 1
                }
                guard (1...9).contains(digits) else { return nil }
                if digits < 6 { for _ in digits..<6 { microsecond *= 10 } }
            }
        }
        var offsetMinutes = 0
        if take(0x5A) || take(0x7A) {
        } else if index < bytes.count, bytes[index] == 0x2B || bytes[index] == 0x2D {
            let negative = bytes[index] == 0x2D
            index += 1
            guard let hours = number(2) else { return nil }
            _ = take(0x3A)
            guard let minutes = number(2), hours <= 23, minutes <= 59 else { return nil }
            offsetMinutes = (hours * 60 + minutes) * (negative ? -1 : 1)
        }
        guard index == bytes.count, ColumnDefault.isValidDay(year: year, month: month, day: day),
              hour <= 23, minute <= 59, second <= 59 else { return nil }
        let local = MariaDBDateTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second,
                                    microsecond: microsecond)
        guard offsetMinutes != 0 else { return local }
        guard let date = MariaDBDateTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second).date else {
            return nil
        }
        var utc = MariaDBDateTime(date.addingTimeInterval(-Double(offsetMinutes) * 60))
        utc.microsecond = microsecond
        return utc
    }
}
