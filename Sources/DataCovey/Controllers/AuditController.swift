import Foundation
import MariaDB

/// `GET /api/v1/audit`: every change in the caller's tenant, newest first, for tenant admins.
/// Filters `kind`, `user`, `operation`, `since` and `until` (RFC 3339, `until` exclusive); pages
/// by `limit` and `cursor`, or, with `Accept: text/csv`, up to 10,000 entries as CSV.
struct AuditController: Sendable {
    let authenticator: RequestAuthenticator

    func register(in router: inout Router) {
        router.add("GET", "/api/v1/audit", list)
    }

    private struct Page: JSONResource {
        let items: [AuditEntry]
        let nextCursor: String?

        static let jsonFields: [JSONField<Page>] = [.field("items", \.items), .field("next_cursor", \.nextCursor)]
    }

    func list(_ request: Request) throws -> Response {
        let filter = try AuditLog.filter { request.query($0) }
        let wantsCSV = request.header("accept")?.lowercased().contains("text/csv") == true
        let limit = wantsCSV ? AuditLog.csvLimit : try DataCovey.Page.limit(request)
        var cursor: AuditStore.Cursor?
        if let text = request.query("cursor"), !wantsCSV {
            guard let parsed = AuditStore.Cursor(text) else {
                throw HTTPError.badRequest("The cursor is not one this API issued.", errors: [.init(field: "cursor", message: "is invalid")])
            }
            cursor = parsed
        }
        return try authenticator.withCaller(request, minimum: .admin) { _, connection in
            let entries = try AuditLog.entries(filter, after: cursor, limit: limit + 1, on: connection)
            let page = Array(entries.prefix(limit))
            if wantsCSV { return try .auditCSV(page, truncated: entries.count > limit) }
            let next = entries.count > limit ? page.last.map {
                AuditStore.Cursor(changedAt: $0.changedAt, order: $0.order, historyID: $0.historyID).text
            } : nil
            return try .json(Page(items: page, nextCursor: next))
        }
    }
}

extension Response {
    /// The audit log as a CSV download (the API's and the admin page's): at most
    /// `AuditLog.csvLimit` entries, and a header saying whether more matched.
    static func auditCSV(_ entries: [AuditEntry], truncated: Bool) throws -> Response {
        Response(status: 200, headers: [("Content-Type", "text/csv; charset=utf-8"),
                                        ("Content-Disposition", "attachment; filename=\"audit.csv\""),
                                        ("DataCovey-Truncated", truncated ? "true" : "false")],
                 body: .bytes(Array(try AuditLog.csv(entries).utf8)))
    }
}
