import Foundation
import MariaDB

/// An instant to read a table at (`as_of`): RFC 3339 text, in UTC from there on. The data
/// connections run in UTC (`Configuration.sessionSetup`), so the versions' ROW_START/ROW_END and
/// this instant compare as the same clock.
struct AsOf: Sendable, Equatable {
    let instant: MariaDBDateTime

    /// Reads `text` (`2026-12-06T10:00:00Z`, `…+02:00`, up to microseconds; the SQL form and
    /// a browser's `datetime-local` value without a zone are taken as UTC); a 400 naming `field`.
    static func parse(_ text: String, field: String = "as_of") throws -> AsOf {
        var text = text.trimmingCharacters(in: .whitespaces)
        // A datetime-local input sends minutes only (`2026-12-06T10:00`).
        if text.utf8.count == 16, text.utf8.dropFirst(10).first == UInt8(ascii: "T") { text += ":00" }
        guard let instant = TimestampText.parse(text) else {
            throw DomainError.invalid("as_of must be an RFC 3339 timestamp like 2026-12-06T10:00:00Z.",
                                      errors: [.init(field: field, message: "must be an RFC 3339 timestamp like 2026-12-06T10:00:00Z")])
        }
        return AsOf(instant: instant)
    }

    init(instant: MariaDBDateTime) {
        self.instant = instant
    }

    init(_ date: Date) {
        instant = MariaDBDateTime(date)
    }

    /// One microsecond earlier: the table just before a change stamped with this instant.
    var justBefore: AsOf {
        var earlier = instant
        if earlier.microsecond > 0 {
            earlier.microsecond -= 1
            return AsOf(instant: earlier)
        }
        // Whole seconds are exact in a Double; the microseconds are set by hand.
        let second = (instant.date?.timeIntervalSince1970 ?? 0).rounded() - 1
        earlier = MariaDBDateTime(Date(timeIntervalSince1970: second))
        earlier.microsecond = 999_999
        return AsOf(instant: earlier)
    }

    /// `2026-12-06T10:00:00.123456Z`, for answers and audit entries.
    var text: String {
        String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", instant.year, instant.month, instant.day,
               instant.hour, instant.minute, instant.second, instant.microsecond)
    }

    /// `TIMESTAMP'2026-12-06 10:00:00.123456'`: digits and punctuation only, so it can be spliced
    /// where a bind cannot go (the text protocol of exports).
    var sqlLiteral: String {
        String(format: "TIMESTAMP'%04d-%02d-%02d %02d:%02d:%02d.%06d'", instant.year, instant.month, instant.day,
               instant.hour, instant.minute, instant.second, instant.microsecond)
    }

    /// ` FOR SYSTEM_TIME AS OF TIMESTAMP'…'`, after a table name.
    var systemTimeClause: String { " FOR SYSTEM_TIME AS OF \(sqlLiteral)" }
}
