import MariaDB

/// Rows of one physical table, on the data account. Identifiers come from the table's metadata
/// (validated when the table was created), values are always bound.
struct RowStore {
    struct Column {
        let name: String
        let type: ColumnType
        let isNullable: Bool
        let hasDefault: Bool
    }

    /// `?column=op.value` filters (PostgREST style).
    enum Filter {
        case equal(String, MariaDBValue)
        case less(String, MariaDBValue)
        case greater(String, MariaDBValue)
        case like(String, MariaDBValue)
        case isNull(String)
    }

    let databases: DataDatabases
    let database: String
    let table: String
    let columns: [Column]

    private var qualifiedTable: String { "`\(database)`.`\(table)`" }
    private static let rowID = TableDefinition.rowIDColumn
    /// MariaDB allows 65,535 placeholders per statement; stay well below it.
    private static let placeholdersPerStatement = 30_000

    /// Inserts every row or none (one transaction). A nil value means the column's default.
    func insert(_ rows: [[MariaDBValue?]]) throws -> Int {
        let columnList = columns.map { "`\($0.name)`" }.joined(separator: ", ")
        let rowsPerStatement = max(1, Self.placeholdersPerStatement / max(1, columns.count))
        return try databases.withConnection { connection in
            try connection.withTransaction { connection in
                var inserted = 0
                var start = 0
                while start < rows.count {
                    let batch = rows[start..<min(start + rowsPerStatement, rows.count)]
                    var query = SQLQuery(unsafeSQL: "INSERT INTO \(qualifiedTable) (\(columnList)) VALUES ")
                    for (rowIndex, row) in batch.enumerated() {
                        query.append(SQLQuery(unsafeSQL: rowIndex == 0 ? "(" : ", ("))
                        for (index, value) in row.enumerated() {
                            if index > 0 { query.append(", ") }
                            if let value { query.append("\(value)") } else { query.append("DEFAULT") }
                        }
                        query.append(")")
                    }
                    inserted += Int(try connection.execute(query).affectedRows)
                    start += batch.count
                }
                return inserted
            }
        }
    }

    /// Up to `page.limit + 1` rows after the cursor's row id, in insertion order.
    func select(_ filters: [Filter], page: Page) throws -> [(rowID: Int64, cells: [MariaDBCell])] {
        let columnList = ([Self.rowID] + columns.map(\.name)).map { "`\($0)`" }.joined(separator: ", ")
        var query = SQLQuery(unsafeSQL: "SELECT \(columnList) FROM \(qualifiedTable) WHERE `\(Self.rowID)` > ?",
                             binds: [.int(page.afterID ?? 0)])
        for filter in filters {
            switch filter {
            case .equal(let column, let value): query.append(SQLQuery(unsafeSQL: " AND `\(column)` = ?", binds: [value]))
            case .less(let column, let value): query.append(SQLQuery(unsafeSQL: " AND `\(column)` < ?", binds: [value]))
            case .greater(let column, let value): query.append(SQLQuery(unsafeSQL: " AND `\(column)` > ?", binds: [value]))
            case .like(let column, let value): query.append(SQLQuery(unsafeSQL: " AND `\(column)` LIKE ?", binds: [value]))
            case .isNull(let column): query.append(SQLQuery(unsafeSQL: " AND `\(column)` IS NULL"))
            }
        }
        query.append(SQLQuery(unsafeSQL: " ORDER BY `\(Self.rowID)` LIMIT ?", binds: [.int(Int64(page.limit + 1))]))
        return try databases.withConnection { connection in
            try connection.query(query).map { row in
                (try row.decode(Int64.self, at: 0), Array(row.cells.dropFirst()))
            }
        }
    }
}
