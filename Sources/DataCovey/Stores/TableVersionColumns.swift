import Foundation
import MariaDB

/// A table's columns as they were at one of its versions, read from the column history, and
/// the changes that bring the current columns back to them (a table restore covers columns).
///
/// Every column change bumps the table's version in the same transaction (TableStore.update),
/// so the columns of table version v are the columns' states just before version v+1 was
/// written (or now, for the latest version).
struct TableVersionColumns {
    struct Column: Sendable, Equatable {
        let id: Int64
        let position: Int
        let name: String
        let type: String
        let nullable: Bool
        let defaultValue: String?
        let primaryKey: Bool
    }

    /// What a restore does to the columns.
    struct Changes: Sendable {
        var drop: [Column] = []
        /// Same column (id), another name at the version.
        var rename: [(from: String, to: String)] = []
        var add: [Column] = []

        var isEmpty: Bool { drop.isEmpty && rename.isEmpty && add.isEmpty }
    }

    let connection: MariaDBConnection

    func columns(table: Int64, version: Int64) throws -> [Column] {
        let next = try connection.query("""
            SELECT changed_at FROM table_history WHERE entity_id = \(table) AND version = \(version + 1)
            """).first.map { try $0.decode(Date.self, at: 0) }
        var query: SQLQuery = """
            SELECT entity_id, operation, row_image FROM table_column_history
             WHERE JSON_VALUE(row_image, '$.table_id') = \(table)
            """
        if let next { query.append(" AND changed_at < \(next)") }
        query.append(" ORDER BY entity_id, version")
        var latest: [Int64: (operation: String, image: JSONValue)] = [:]
        for row in try connection.query(query) {
            let (id, operation, image) = try row.decode((Int64, String, String).self)
            latest[id] = (operation, try StoredJSON.decode(JSONValue.self, from: image))
        }
        return latest.compactMap { id, state in
            state.operation == "delete" ? nil : Self.column(id: id, state.image)
        }.sorted { ($0.position, $0.id) < ($1.position, $1.id) }
    }

    func current(table: Int64) throws -> [Column] {
        try connection.query("""
            SELECT id, position, name, type, nullable, default_value, is_primary_key FROM table_columns
             WHERE table_id = \(table) ORDER BY position, id
            """).map { row in
            let (id, position, name, type, nullable, defaultValue, primaryKey) =
                try row.decode((Int64, Int, String, String, Bool, String?, Bool).self)
            return Column(id: id, position: position, name: name, type: type, nullable: nullable,
                          defaultValue: defaultValue, primaryKey: primaryKey)
        }
    }

    /// The changes from `current` to `target`, refused (409) where they would lose data without
    /// `dropColumns`, or cannot be made.
    static func changes(from current: [Column], to target: [Column], version: Int64, dropColumns: Bool) throws -> Changes {
        guard !target.isEmpty || current.isEmpty else {
            throw DomainError.conflict("Version \(version) is from before the table had columns (its first import); it cannot be restored.")
        }
        let targetIDs = Set(target.map(\.id))
        let currentIDs = Set(current.map(\.id))
        let targetNames = Dictionary(target.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let changes = Changes(drop: current.filter { !targetIDs.contains($0.id) },
                              rename: current.compactMap { column in
                                  targetNames[column.id].flatMap { $0 == column.name ? nil : (column.name, $0) }
                              },
                              add: target.filter { !currentIDs.contains($0.id) })
        if !changes.drop.isEmpty && !dropColumns {
            let names = changes.drop.map(\.name).joined(separator: ", ")
            throw DomainError.conflict(
                "Version \(version) has fewer columns: restoring it drops \(names) and their data. Send \"drop_columns\": true to confirm.",
                errors: [.init(field: "drop_columns", message: "must be true to drop \(names)")])
        }
        if let withDefault = changes.add.first(where: { $0.defaultValue != nil || $0.primaryKey }) {
            throw DomainError.conflict("Column \(withDefault.name) of version \(version) was dropped by an earlier restore and had a default or key; it cannot be re-created by a restore.")
        }
        return changes
    }

    /// Applies the changes to the metadata (in the caller's transaction) and to the physical
    /// table. Re-added columns keep their ids, so their history continues; their data is gone.
    func apply(_ changes: Changes, table: Int64, tenant: Int64, physical: (database: String, table: String)?,
               databases: DataDatabases) throws {
        // Drops first, so a name a dropped column held is free for a rename or an addition.
        for column in changes.drop {
            try connection.execute("DELETE FROM table_columns WHERE id = \(column.id)")
        }
        for rename in changes.rename {
            try connection.execute("UPDATE table_columns SET name = \(rename.to) WHERE table_id = \(table) AND name = \(rename.from)")
        }
        for column in changes.add {
            try connection.execute("""
                INSERT INTO table_columns (id, tenant_id, table_id, position, name, type, nullable, default_value, is_primary_key)
                VALUES (\(column.id), \(tenant), \(table), \(column.position), \(column.name), \(column.type), \(column.nullable),
                        NULL, FALSE)
                """)
        }
        guard let physical else { return }
        try databases.dropColumns(changes.drop.map(\.name), database: physical.database, table: physical.table)
        try databases.renameColumns(changes.rename, database: physical.database, table: physical.table)
        let added = try changes.add.map { column -> TableDefinition.Column in
            guard let type = ColumnType(column.type) else { throw DomainError.bug("unknown column type \(column.type)") }
            return TableDefinition.Column(name: column.name, type: type, isNullable: column.nullable, defaultLiteral: nil,
                                          isPrimaryKey: false)
        }
        if !added.isEmpty { try databases.addColumns(added, database: physical.database, table: physical.table) }
    }

    private static func column(id: Int64, _ image: JSONValue) -> Column? {
        guard case .object(let fields) = image,
              case .string(let name)? = fields["name"], case .string(let type)? = fields["type"] else { return nil }
        func int(_ key: String) -> Int64? {
            switch fields[key] {
            case .integer(let value)?: value
            case .bool(let flag)?: flag ? 1 : 0
            default: nil
            }
        }
        var defaultValue: String?
        if case .string(let text)? = fields["default_value"] { defaultValue = text }
        return Column(id: id, position: Int(int("position") ?? 0), name: name, type: type, nullable: int("nullable") == 1,
                      defaultValue: defaultValue, primaryKey: int("is_primary_key") == 1)
    }
}
