import MariaDB

/// The past of a table's rows, from system versioning (sql/0023): a row's versions, and a row
/// or the whole table put back as it was at an instant, as a new change. On the data account;
/// identifiers come from the table's metadata (validated when it was made), values are bound.
struct RowVersions {
    let store: RowStore

    /// One version of a row: its values from `validFrom` until `validTo` (nil: still current).
    struct Version {
        let rowID: Int64
        let validFrom: MariaDBDateTime
        let validTo: MariaDBDateTime?
        let cells: [MariaDBCell]
    }

    /// What a restore wrote: rows it took away (changed or absent then) and rows it put back.
    struct Restored: Sendable, Equatable {
        let deleted: Int64
        let inserted: Int64
        /// Row versions written: the audit entry's `rows`.
        var rows: Int64 { deleted + inserted }
    }

    private var qualified: String { "`\(store.database)`.`\(store.table)`" }
    private static let rowID = "`\(TableDefinition.rowIDColumn)`"

    /// Every version of the row `key` names, newest first (FOR SYSTEM_TIME ALL: the deleted
    /// ones too, and versions of earlier rows that had the key).
    func versions(of key: RowKey) throws -> [Version] {
        let columnList = store.columns.map { "`\($0.name)`" }.joined(separator: ", ")
        let query = SQLQuery(unsafeSQL: """
            SELECT \(Self.rowID), ROW_START, IF(ROW_END > UTC_TIMESTAMP(6), NULL, ROW_END), \(columnList)
              FROM \(qualified) FOR SYSTEM_TIME ALL WHERE `\(key.column.name)` = \(placeholder(key.column))
             ORDER BY ROW_START DESC, \(Self.rowID) DESC
            """, binds: [key.value])
        return try Self.gone {
            try store.databases.withConnection { connection in
                try connection.query(query).map { row in
                    Version(rowID: try row.decode(Int64.self, at: 0), validFrom: try row.decode(MariaDBDateTime.self, at: 1),
                            validTo: try row.decode(MariaDBDateTime?.self, at: 2), cells: Array(row.cells.dropFirst(3)))
                }
            }
        }
    }

    /// Puts the row `key` names (or, with nil, every row) back as it was at `asOf`, in one
    /// transaction with its audit entry: rows that differ from then (by row id and every value)
    /// or did not exist then are deleted, rows of then that are missing now are inserted with
    /// their row ids. Rows unchanged since are not touched, so their history stays one version.
    /// Columns added since read as their history holds them (the default the ALTER gave).
    func restore(to asOf: AsOf, key: RowKey? = nil, details: [(String, String)]) throws -> Restored {
        let names = ([TableDefinition.rowIDColumn] + store.columns.map(\.name)).map { "`\($0)`" }
        let same = names.map { "o.\($0) <=> \(qualified).\($0)" }.joined(separator: " AND ")
        var delete = SQLQuery(unsafeSQL: "DELETE FROM \(qualified) WHERE NOT EXISTS (SELECT 1 FROM \(qualified)\(asOf.systemTimeClause) o WHERE \(same))")
        var insert = SQLQuery(unsafeSQL: """
            INSERT INTO \(qualified) (\(names.joined(separator: ", "))) SELECT \(names.map { "o.\($0)" }.joined(separator: ", "))
              FROM \(qualified)\(asOf.systemTimeClause) o
             WHERE NOT EXISTS (SELECT 1 FROM \(qualified) c WHERE c.\(Self.rowID) = o.\(Self.rowID))
            """)
        if let key {
            delete.append(SQLQuery(unsafeSQL: " AND \(qualified).`\(key.column.name)` = \(placeholder(key.column))", binds: [key.value]))
            insert.append(SQLQuery(unsafeSQL: " AND o.`\(key.column.name)` = \(placeholder(key.column))", binds: [key.value]))
        }
        return try Self.gone {
            try store.databases.withConnection { connection in
                try ChangeInstant.pinned(on: connection) { _ in
                    try connection.withTransaction { connection in
                        let deleted = Int64(try connection.execute(delete).affectedRows)
                        let inserted = Int64(try connection.execute(insert).affectedRows)
                        let restored = Restored(deleted: deleted, inserted: inserted)
                        try store.audit?.record(.restore, rows: restored.rows, details: details, on: connection)
                        return restored
                    }
                }
            }
        }
    }

    /// The table's last version boundary (a version's start or end) at or before `instant`:
    /// the instant of the last change the table had by then; nil when it had none.
    func lastChange(atOrBefore instant: AsOf) throws -> AsOf? {
        let query = SQLQuery(unsafeSQL: """
            SELECT GREATEST(COALESCE(MAX(ROW_START), TIMESTAMP'1970-01-01 00:00:01'),
                            COALESCE(MAX(IF(ROW_END <= \(instant.sqlLiteral), ROW_END, NULL)), TIMESTAMP'1970-01-01 00:00:01'))
              FROM \(qualified) FOR SYSTEM_TIME ALL WHERE ROW_START <= \(instant.sqlLiteral)
            """)
        let found = try Self.gone {
            try store.databases.withConnection { try $0.query(query)[0].decode(MariaDBDateTime.self, at: 0) }
        }
        return found.year <= 1970 ? nil : AsOf(instant: found)
    }

    /// Whether any version of the table began or ended after `instant` (until now): the table
    /// changed since, by any path.
    func changed(since instant: AsOf) throws -> Bool {
        let query = SQLQuery(unsafeSQL: """
            SELECT EXISTS (SELECT 1 FROM \(qualified) FOR SYSTEM_TIME ALL
                            WHERE ROW_START > \(instant.sqlLiteral) OR (ROW_END > \(instant.sqlLiteral) AND ROW_END <= UTC_TIMESTAMP(6)))
            """)
        return try Self.gone {
            try store.databases.withConnection { try $0.query(query)[0].decode(Bool.self, at: 0) }
        }
    }

    private func placeholder(_ column: RowStore.Column) -> String {
        column.type.kind.castsComparedBinds ? "CAST(? AS \(column.type.sqlType))" : "?"
    }

    private static func gone<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as MariaDBError where error.isTableMissing {
            throw DomainError.notFound(detail: "The table no longer exists.")
        }
    }
}
