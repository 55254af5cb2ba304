import Foundation
import MariaDB

/// What an API token's name and expiry must be, for the API, the tokens page and the tests.
enum APITokenRules {
    /// The longest a token may live: a year (and a day, for "same date next year"). A token
    /// that never expires is a credential nobody remembers to rotate.
    static let maximumLifetime: TimeInterval = 366 * 24 * 3600

    private static func invalid(_ field: String, _ message: String) -> DomainError {
        .invalid("Field \(field) \(message).", errors: [.init(field: field, message: message)])
    }

    /// A label, not an identifier (any characters on one line), but as long as identifiers: 64.
    static func name(_ name: String) throws -> String {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 64, !trimmed.contains(where: { $0.isNewline || $0.asciiValue.map { $0 < 0x20 } == true })
        else { throw invalid("name", "must be 1–64 characters on one line") }
        return trimmed
    }

    /// An RFC 3339 moment after `now` and at most `maximumLifetime` ahead.
    static func expiry(_ text: String, now: Date = Date()) throws -> MariaDBDateTime {
        guard let moment = TimestampText.parse(text), let date = moment.date else {
            throw invalid("expires_at", "must be an RFC 3339 timestamp like 2027-01-31T00:00:00Z")
        }
        guard date > now else { throw invalid("expires_at", "must be in the future") }
        guard date <= now.addingTimeInterval(maximumLifetime) else { throw invalid("expires_at", "must be at most 366 days ahead") }
        return moment
    }
}
