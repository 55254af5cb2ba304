import Foundation
import MariaDB

/// How far back a tenant's tables can be read: its retention (its own setting in
/// `time_travel_retention`, sql/0023, else the site's `DATACOVEY_TIME_TRAVEL_DAYS`) and the
/// instant every table became versioned (nothing before it was kept).
struct TimeTravelWindow: Sendable {
    let days: Int
    let versionedSince: Date?

    /// The caller's tenant's window, read on the responder's connection (tenant views).
    static func load(on connection: MariaDBConnection, defaultDays: Int) throws -> TimeTravelWindow {
        let row = try connection.query("SELECT days, versioned_since FROM time_travel").first
        let (days, since) = try row?.decode((Int64?, Date?).self) ?? (nil, nil)
        return TimeTravelWindow(days: days.map(Int.init) ?? defaultDays, versionedSince: since)
    }

    /// The earliest instant still kept.
    func earliest(now: Date = Date()) -> Date {
        let byRetention = now.addingTimeInterval(-Double(days) * 86_400)
        guard let versionedSince else { return byRetention }
        return max(byRetention, versionedSince)
    }

    /// A 410 for an instant older than the retention (or than versioning itself), a 422 for
    /// one in the future: the future is not "the table now", and saying so catches a wrong
    /// zone early. The retention is said in the answer.
    func check(_ asOf: AsOf, now: Date = Date()) throws {
        guard let instant = asOf.instant.date else {
            throw DomainError.invalid("as_of is not a moment.", errors: [.init(field: "as_of", message: "is not a moment")])
        }
        if instant > now {
            throw DomainError.unprocessable("as_of \(asOf.text) is in the future; the table can be read as it was, not as it will be.",
                                            errors: [.init(field: "as_of", message: "is in the future")])
        }
        let retained = now.addingTimeInterval(-Double(days) * 86_400)
        if instant < retained {
            throw DomainError.gone("Versions are kept for \(days) day\(days == 1 ? "" : "s"); as_of \(asOf.text) is older than that.",
                                   errors: [.init(field: "as_of", message: "is older than the retention of \(days) day\(days == 1 ? "" : "s")")])
        }
        if let versionedSince, instant < versionedSince {
            let since = AsOf(versionedSince).text
            throw DomainError.gone("Versions are kept since \(since), when time travel began; as_of \(asOf.text) is older than that.",
                                   errors: [.init(field: "as_of", message: "is older than \(since), when time travel began")])
        }
    }
}
