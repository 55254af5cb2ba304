import Foundation
import MariaDB

/// The instant a query reads its tables as of (`as_of`): an RFC 3339 timestamp, or
/// `YYYY-MM-DD HH:MM:SS[.ffffff]` taken as UTC, kept as the UTC literal MariaDB compares with
/// the tables' system time (the sessions run in UTC).
struct QueryInstant: Sendable, Equatable {
    let moment: MariaDBDateTime

    /// Nil when `text` is neither form.
    init?(_ text: String) {
        guard let moment = TimestampText.parse(text.trimmingCharacters(in: .whitespaces)) else { return nil }
        self.moment = moment
    }

    /// `TIMESTAMP'2026-12-01 10:00:00.000000'`: digits only, so it is safe to write into SQL.
    var sqlLiteral: String {
        let t = moment
        return String(format: "TIMESTAMP'%04d-%02d-%02d %02d:%02d:%02d.%06d'", t.year, t.month, t.day, t.hour, t.minute, t.second, t.microsecond)
    }

    /// The refusal of an `as_of` that is no instant, for the field `field`.
    static func invalid(_ field: String = "as_of") -> DomainError {
        DomainError.invalid("\(field) must be an RFC 3339 timestamp (2026-12-01T10:00:00Z) or YYYY-MM-DD HH:MM:SS in UTC.",
                            errors: [.init(field: field, message: "must be an RFC 3339 timestamp")])
    }
}
