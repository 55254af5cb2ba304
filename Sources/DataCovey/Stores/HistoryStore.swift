import Foundation
import MariaDB

/// The kinds whose versions the API shows, by their collection name in the URL, with the
/// tenant view over each one's trigger-written history table. Job kinds come from the
/// registry (`JobKind.historyKind`), so a new kind of job has its history endpoint.
struct HistoryKind: Hashable, Sendable {
    let rawValue: String
    let view: String

    static let projects = HistoryKind(rawValue: "projects", view: "project_history")
    static let datasets = HistoryKind(rawValue: "datasets", view: "dataset_history")
    static let tables = HistoryKind(rawValue: "tables", view: "table_history")
    static let queries = HistoryKind(rawValue: "queries", view: "query_history")

    static let allCases: [HistoryKind] = [.projects, .datasets, .tables] + JobKinds.all.map(\.historyKind) + [.queries]

    /// The kind whose URL collection is `rawValue`, if any.
    static func named(_ rawValue: String) -> HistoryKind? { allCases.first { $0.rawValue == rawValue } }

    /// The kind in a sentence: "table", "import".
    var noun: String {
        switch self {
        case .projects: "project"
        case .datasets: "dataset"
        case .tables: "table"
        case .queries: "query"
        default: JobKinds.all.first { $0.historyKind == self }?.noun ?? rawValue
        }
    }
}

/// One version of an object: what it was, who made it so, and which fields changed.
struct HistoryEntry: JSONResource, Sendable {
    struct Actor: JSONResource, Sendable {
        let id: Int64
        /// Nil once the user is gone.
        let email: String?

        static let jsonFields: [JSONField<Actor>] = [.field("email", \.email), .field("id", \.id)]
    }

    let version: Int64
    let operation: String
    let changedAt: Date
    let changedBy: Actor?
    /// The row as it was at this version (for a delete: as it was when deleted).
    let record: JSONValue
    /// Fields whose value differs from the previous version (all of them for an insert,
    /// none for a delete); bookkeeping fields (version, timestamps) are left out.
    let changed: [String]

    /// The JSON fields, in name order (see JSONResource).
    static let jsonFields: [JSONField<HistoryEntry>] = [
        .field("changed", \.changed), .field("changed_at", \.changedAt), .field("changed_by", \.changedBy),
        .field("operation", \.operation), .field("record", \.record), .field("version", \.version),
    ]
}

/// Versions of one object, newest first, through the tenant's history views: an object of
/// another tenant has none, and a deleted object keeps its versions.
struct HistoryStore {
    let connection: MariaDBConnection

    private static let bookkeeping: Set<String> = ["version", "created_at", "updated_at"]

    /// A row image as the API shows it (see HistoryRecord).
    static func visible(_ image: String) throws -> JSONValue {
        HistoryRecord.shaped(try StoredJSON.decode(JSONValue.self, from: image))
    }

    /// A page of versions below the cursor (a version number), or nil when the object has no
    /// history the caller can see.
    func list(_ kind: HistoryKind, id: Int64, _ page: Page) throws -> [HistoryEntry]? {
        // One row past the page, so the page's oldest version can be compared with its predecessor.
        let rows = try connection.query("""
            SELECT h.version, h.operation, h.changed_at, h.actor_user_id, u.email, h.row_image
              FROM \(unsafeRaw: kind.view) h LEFT JOIN users u ON u.id = h.actor_user_id
             WHERE h.entity_id = \(id) AND h.version < \(page.afterID ?? Int64.max)
             ORDER BY h.version DESC LIMIT \(page.limit + 2)
            """)
        if rows.isEmpty {
            // An empty page after a cursor is the end of a history; with none, there is no object.
            return page.afterID == nil ? nil : []
        }
        var decoded = try rows.map { row -> (Int64, String, Date, Int64?, String?, JSONValue) in
            let (version, operation, changedAt, actor, email, image) =
                try row.decode((Int64, String, Date, Int64?, String?, String).self)
            return (version, operation, changedAt, actor, email, try Self.visible(image))
        }
        if kind == .tables {
            // The columns each version had, from the columns' own history.
            let events = try connection.query("""
                SELECT changed_at, entity_id, operation, row_image FROM table_column_history
                 WHERE JSON_VALUE(row_image, '$.table_id') = \(id) ORDER BY changed_at, history_id
                """).map { row -> (changedAt: Date, columnID: Int64, operation: String, record: JSONValue) in
                let (changedAt, column, operation, image) = try row.decode((Date, Int64, String, String).self)
                return (changedAt, column, operation, try StoredJSON.decode(JSONValue.self, from: image))
            }
            // Versions after this page matter for where its newest version's columns end.
            let later = try connection.query("""
                SELECT MIN(changed_at) FROM \(unsafeRaw: kind.view) WHERE entity_id = \(id) AND version > \(decoded.first?.0 ?? 0)
                """).first.flatMap { try $0.decode(Date?.self, at: 0) }
            var versions = decoded.map { (changedAt: $0.2, record: $0.5) }
            if let later { versions.append((later, .object([:]))) }
            let shaped = HistoryRecord.withColumns(versions, columnEvents: events)
            for index in decoded.indices { decoded[index].5 = shaped[index] }
        }
        return decoded.prefix(page.limit + 1).enumerated().map { index, entry in
            let previous = index + 1 < decoded.count ? decoded[index + 1].5 : nil
            return HistoryEntry(
                version: entry.0, operation: entry.1, changedAt: entry.2,
                changedBy: entry.3.map { HistoryEntry.Actor(id: $0, email: entry.4) },
                record: entry.5, changed: Self.changedFields(entry.5, previous: previous, operation: entry.1))
        }
    }

    static func changedFields(_ record: JSONValue, previous: JSONValue?, operation: String) -> [String] {
        guard operation != "delete", case .object(let now) = record else { return [] }
        guard let previous, case .object(let before) = previous else {
            return now.keys.filter { !bookkeeping.contains($0) }.sorted()
        }
        return Set(now.keys).union(before.keys)
            .filter { !bookkeeping.contains($0) && now[$0] != before[$0] }
            .sorted()
    }
}
