import Foundation
import MariaDB

/// `GET /api/v1/audit`: every change in the caller's tenant, newest first, for tenant admins.
/// Filters `kind`, `user`, `operation`, `since` and `until` (RFC 3339, `until` exclusive); pages
/// by `limit` and `cursor`, or, with `Accept: text/csv`, up to 10,000 entries as CSV.
struct AuditController: Sendable {
    let authenticator: RequestAuthenticator

    static let csvLimit = 10_000

    func register(in router: inout Router) {
        router.add("GET", "/api/v1/audit", list)
    }

    private struct Page: Encodable {
        let items: [AuditEntry]
        let nextCursor: String?

        enum CodingKeys: String, CodingKey { case items, nextCursor = "next_cursor" }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(items, forKey: .items)
            try container.encode(nextCursor, forKey: .nextCursor)
        }
    }

    func list(_ request: Request) throws -> Response {
        let filter = try Self.filter(request)
        let wantsCSV = request.header("accept")?.lowercased().contains("text/csv") == true
        let limit = wantsCSV ? Self.csvLimit : try DataCovey.Page.limit(request)
        var cursor: AuditStore.Cursor?
        if let text = request.query("cursor"), !wantsCSV {
            guard let parsed = AuditStore.Cursor(text) else {
                throw HTTPError.badRequest("The cursor is not one this API issued.", errors: [.init(field: "cursor", message: "is invalid")])
            }
            cursor = parsed
        }
        return try authenticator.withCaller(request, minimum: .admin) { _, connection in
            let entries = try AuditStore(connection: connection).list(filter, after: cursor, limit: limit + 1)
            let page = Array(entries.prefix(limit))
            if wantsCSV { return try Self.csv(page, truncated: entries.count > limit) }
            let next = entries.count > limit ? page.last.map {
                AuditStore.Cursor(changedAt: $0.changedAt, order: $0.order, historyID: $0.historyID).text
            } : nil
            return try .json(Page(items: page, nextCursor: next))
        }
    }

    static func filter(_ request: Request) throws -> AuditStore.Filter {
        var filter = AuditStore.Filter()
        func refuse(_ field: String, _ message: String) -> HTTPError {
            .badRequest("\(field) \(message).", errors: [.init(field: field, message: message)])
        }
        if let kind = request.query("kind") {
            guard AuditStore.kinds.contains(where: { $0.name == kind }) else {
                throw refuse("kind", "must be one of \(AuditStore.kinds.map(\.name).joined(separator: ", "))")
            }
            filter.kind = kind
        }
        if let user = request.query("user") {
            guard let id = Int64(user), id > 0 else { throw refuse("user", "must be a user id") }
            filter.user = id
        }
        if let operation = request.query("operation") {
            guard ["insert", "update", "delete"].contains(operation) else { throw refuse("operation", "must be insert, update or delete") }
            filter.operation = operation
        }
        for field in ["since", "until"] {
            guard let text = request.query(field) else { continue }
            guard let moment = TimestampText.parse(text) else { throw refuse(field, "must be an RFC 3339 timestamp") }
            if field == "since" { filter.since = moment } else { filter.until = moment }
        }
        return filter
    }

    static func csv(_ entries: [AuditEntry], truncated: Bool) throws -> Response {
        var text = CSVText.record(["changed_at", "kind", "entity_id", "version", "operation", "changed_by", "changed_by_email", "record"])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for entry in entries {
            let record = String(decoding: try encoder.encode(entry.record), as: UTF8.self)
            text += CSVText.record([
                entry.changedAt.date.map(Timestamp.format) ?? "", entry.kind, String(entry.entityID), String(entry.version),
                entry.operation, entry.changedBy.map { String($0.id) } ?? "", entry.changedBy?.email ?? "", record,
            ])
        }
        return Response(status: 200, headers: [("Content-Type", "text/csv; charset=utf-8"),
                                               ("Content-Disposition", "attachment; filename=\"audit.csv\""),
                                               ("DataCovey-Truncated", truncated ? "true" : "false")],
                        body: .bytes(Array(text.utf8)))
    }
}
