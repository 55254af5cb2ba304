import Foundation
import MariaDB

/// One change anywhere in a tenant: which object, which version, by whom.
struct AuditEntry: JSONResource, Sendable {
    let kind: String
    let entityID: Int64
    let version: Int64
    let operation: String
    let changedAt: MariaDBDateTime
    let changedBy: HistoryEntry.Actor?
    let record: JSONValue
    /// Position in the log, for the cursor.
    let order: Int
    let historyID: Int64

    /// The history rows' instant (written by the triggers, so always a real one).
    var changedAtDate: Date { changedAt.date ?? Date(timeIntervalSince1970: 0) }

    /// The JSON fields, in name order (see JSONResource).
    static let jsonFields: [JSONField<AuditEntry>] = [
        .field("changed_at", \.changedAtDate), .field("changed_by", \.changedBy), .field("entity_id", \.entityID),
        .field("kind", \.kind), .field("operation", \.operation), .field("record", \.record), .field("version", \.version),
    ]
}

/// The tenant's audit log: every history view merged, newest first. Each branch of the UNION
/// is filtered on its own (tenant view, time range, actor, operation, cursor), so each reads
/// its `(tenant_id, changed_at)` index rather than the whole history.
struct AuditStore {
    let connection: MariaDBConnection

    /// The logged kinds and their history views; the index orders entries of the same instant
    /// and is part of the cursor. Job kinds come from the registry, in its order.
    static let kinds: [(name: String, view: String)] = [
        ("users", "user_history"), ("projects", "project_history"), ("datasets", "dataset_history"),
        ("tables", "table_history"), ("table_columns", "table_column_history"),
    ] + JobKinds.all.map { ($0.collection, $0.historyTable) } + [
        ("queries", "query_history"),
        // API tokens (0018): made and revoked (history), and used (counted per token and hour,
        // operation `use`; see api_token_use_log).
        ("tokens", "api_token_history"), ("token_uses", "api_token_use_log"),
        // A table's rows (0022): each insert, update, delete or restore through the rows API or
        // the table page, with how many rows and what selected them.
        ("rows", "row_change_history"),
    ]

    struct Filter {
        var kind: String?
        var user: Int64?
        /// The acting user by e-mail (unique in a tenant); no entries when no user has it.
        var userEmail: String?
        var operation: String?
        /// Leaves out changes no person made (the worker's job updates, maintenance).
        var hideSystem = false
        var since: MariaDBDateTime?
        var until: MariaDBDateTime?
    }

    /// Where the previous page ended: the last entry's time, kind index and history id.
    struct Cursor: Equatable {
        let changedAt: MariaDBDateTime
        let order: Int
        let historyID: Int64

        var text: String {
            let t = changedAt
            let stamp = String(format: "%04d%02d%02d%02d%02d%02d%06d", t.year, t.month, t.day, t.hour, t.minute, t.second, t.microsecond)
            return Base64URL.encode(Array("\(stamp).\(order).\(historyID)".utf8))
        }

        init(changedAt: MariaDBDateTime, order: Int, historyID: Int64) {
            self.changedAt = changedAt
            self.order = order
            self.historyID = historyID
        }

        init?(_ text: String) {
            guard let bytes = Base64URL.decode(Substring(text)) else { return nil }
            let parts = String(decoding: bytes, as: UTF8.self).split(separator: ".")
            guard parts.count == 3, parts[0].count == 20, parts[0].allSatisfy({ $0.isASCII }), let order = Int(parts[1]),
                  AuditStore.kinds.indices.contains(order), let id = Int64(parts[2]) else { return nil }
            let digits = Array(parts[0])
            func number(_ range: Range<Int>) -> Int? { Int(String(digits[range])) }
            guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8), let hour = number(8..<10),
                  let minute = number(10..<12), let second = number(12..<14), let micro = number(14..<20) else { return nil }
            self.init(changedAt: MariaDBDateTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second,
                                                 microsecond: micro), order: order, historyID: id)
        }
    }

    func list(_ filter: Filter, after cursor: Cursor?, limit: Int) throws -> [AuditEntry] {
        var branches: [SQLQuery] = []
        for (order, kind) in Self.kinds.enumerated() where filter.kind == nil || filter.kind == kind.name {
            var branch: SQLQuery = """
                SELECT \(order) AS k, history_id, entity_id, version, operation, actor_user_id, changed_at, row_image
                  FROM \(unsafeRaw: kind.view) WHERE 1 = 1
                """
            if let user = filter.user { branch.append(" AND actor_user_id = \(user)") }
            if let email = filter.userEmail { branch.append(" AND actor_user_id = (SELECT id FROM users WHERE email = \(email))") }
            if filter.hideSystem { branch.append(" AND actor_user_id IS NOT NULL") }
            if let operation = filter.operation { branch.append(" AND operation = \(operation)") }
            if let since = filter.since { branch.append(" AND changed_at >= \(since)") }
            if let until = filter.until { branch.append(" AND changed_at < \(until)") }
            if let cursor {
                // (changed_at, k, history_id) < the cursor's, with k a constant of this branch.
                if order > cursor.order {
                    branch.append(" AND changed_at < \(cursor.changedAt)")
                } else if order < cursor.order {
                    branch.append(" AND changed_at <= \(cursor.changedAt)")
                } else {
                    branch.append(" AND (changed_at < \(cursor.changedAt) OR (changed_at = \(cursor.changedAt) AND history_id < \(cursor.historyID)))")
                }
            }
            branch.append(" ORDER BY changed_at DESC, history_id DESC LIMIT \(limit)")
            branches.append("(\(branch))")
        }
        guard !branches.isEmpty else { return [] }
        var union = branches[0]
        for branch in branches.dropFirst() {
            union.append(" UNION ALL ")
            union.append(branch)
        }
        let rows = try connection.query("""
            SELECT a.k, a.history_id, a.entity_id, a.version, a.operation, a.actor_user_id, u.email, a.changed_at, a.row_image
              FROM (\(union)) a LEFT JOIN users u ON u.id = a.actor_user_id
             ORDER BY a.changed_at DESC, a.k DESC, a.history_id DESC LIMIT \(limit)
            """)
        return try rows.map { row in
            let (order, historyID, entity, version, operation, actor, email, changedAt, image) =
                try row.decode((Int64, Int64, Int64, Int64, String, Int64?, String?, MariaDBDateTime, String).self)
            let record = try HistoryStore.visible(image)
            return AuditEntry(kind: Self.kinds[Int(order)].name, entityID: entity, version: version, operation: operation,
                              changedAt: changedAt, changedBy: actor.map { HistoryEntry.Actor(id: $0, email: email) },
                              record: record, order: Int(order), historyID: historyID)
        }
    }
}
