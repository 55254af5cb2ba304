import Foundation
import MariaDB

/// The audit log's query and its CSV form, shared by `GET /api/v1/audit` and the admin page.
enum AuditLog {
    /// Up to `limit` entries, newest first, after `cursor`; the caller is an admin, and the
    /// connection's tenant scope keeps the log to its tenant.
    static func entries(_ filter: AuditStore.Filter, after cursor: AuditStore.Cursor? = nil, limit: Int,
                        on connection: MariaDBConnection) throws -> [AuditEntry] {
        try AuditStore(connection: connection).list(filter, after: cursor, limit: limit)
    }

    /// The operations entries have: changes, and `use` for an API token's uses in an hour.
    static let operations = ["insert", "update", "delete", "use"]

    /// The most entries one CSV download holds.
    static let csvLimit = 10_000

    /// The filter a query asks for: `kind`, `user` (an id or an e-mail), `operation`, `since`
    /// and `until` (RFC 3339, `until` exclusive), `hide_system`; `given` gives a parameter's
    /// text, nil when absent.
    static func filter(_ given: (String) -> String?) throws -> AuditStore.Filter {
        var filter = AuditStore.Filter()
        func refuse(_ field: String, _ message: String) -> DomainError {
            .invalid("\(field) \(message).", errors: [.init(field: field, message: message)])
        }
        if let kind = given("kind") {
            guard AuditStore.kinds.contains(where: { $0.name == kind }) else {
                throw refuse("kind", "must be one of \(AuditStore.kinds.map(\.name).joined(separator: ", "))")
            }
            filter.kind = kind
        }
        if let user = given("user") {
            // An id, or the e-mail a person knows the user by.
            if user.contains("@") {
                filter.userEmail = user.trimmingCharacters(in: .whitespaces).lowercased()
            } else {
                guard let id = Int64(user), id > 0 else { throw refuse("user", "must be a user id or an e-mail address") }
                filter.user = id
            }
        }
        if let hide = given("hide_system") {
            guard let value = ["true": true, "false": false][hide] else { throw refuse("hide_system", "must be true or false") }
            filter.hideSystem = value
        }
        if let operation = given("operation") {
            guard operations.contains(operation) else { throw refuse("operation", "must be insert, update, delete or use") }
            filter.operation = operation
        }
        for field in ["since", "until"] {
            guard let text = given(field) else { continue }
            guard let moment = TimestampText.parse(text) else { throw refuse(field, "must be an RFC 3339 timestamp") }
            if field == "since" { filter.since = moment } else { filter.until = moment }
        }
        return filter
    }

    /// Where an entry's object is shown: its page, or its history once it was deleted (the
    /// history outlives the object); nil for kinds with no page of their own.
    static func objectPath(_ entry: AuditEntry) -> String? {
        let record: [String: JSONValue] = if case .object(let fields) = entry.record { fields } else { [:] }
        switch entry.kind {
        case "users": return "/users"
        case "tokens", "token_uses": return "/tokens"
        case "rows": return "/tables/\(entry.entityID)"
        case "table_columns":
            guard case .integer(let table)? = record["table_id"] else { return nil }
            return "/tables/\(table)"
        default:
            guard HistoryKind.named(entry.kind) != nil else { return nil }
            return entry.operation == "delete" ? "/\(entry.kind)/\(entry.entityID)/history" : "/\(entry.kind)/\(entry.entityID)"
        }
    }

    /// The entries as CSV text: one line each, the record as JSON.
    static func csv(_ entries: [AuditEntry]) throws -> String {
        var text = CSVText.record(["changed_at", "kind", "entity_id", "version", "operation", "changed_by", "changed_by_email", "record"])
        // The record's member names as stored: no key strategy.
        for entry in entries {
            let record = String(decoding: try JSON.Literal.encode(entry.record), as: UTF8.self)
            text += CSVText.record([
                entry.changedAt.date.map(Timestamp.format) ?? "", entry.kind, String(entry.entityID), String(entry.version),
                entry.operation, entry.changedBy.map { String($0.id) } ?? "", entry.changedBy?.email ?? "", record,
            ])
        }
        return text
    }
}
