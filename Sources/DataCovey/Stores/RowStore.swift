import MariaDB

/// Rows of one physical table, on the data account. Identifiers come from the table's metadata
/// (validated when the table was created), values are always bound.
struct RowStore {
    struct Column {
        let name: String
        let type: ColumnType
        let isNullable: Bool
        let hasDefault: Bool

        /// A row that leaves this column out, on every write path (a JSON row's absent member, a
        /// form's absent field): its default (nil), else NULL, or "is required" when it may be
        /// neither.
        var whenLeftOut: (value: MariaDBValue?, problem: String?) {
            if hasDefault { return (nil, nil) }
            return (.null, isNullable ? nil : "is required")
        }
    }

    let databases: DataDatabases
    let database: String
    let table: String
    let columns: [Column]
    /// Where a change made through this store is recorded (the rows API and the table page);
    /// nil for readers (exports, the import form's count).
    var audit: RowChangeAudit? = nil
    /// Reads (select, count, streamText) see the table as it was then (`as_of`, system
    /// versioning); nil: as it is. Writes always change the table as it is.
    var asOf: AsOf? = nil

    var qualifiedTable: String { "`\(database)`.`\(table)`" }
    /// What reads select from: the table, at `asOf` when set.
    var readSource: String { qualifiedTable + (asOf?.systemTimeClause ?? "") }
    static let rowID = TableDefinition.rowIDColumn
    /// MariaDB allows 65,535 placeholders per statement; stay well below it.
    private static let placeholdersPerStatement = 30_000

    /// The physical table was moved away (its table went to the trash) between the lookup of
    /// its metadata and this statement: the table is gone for the caller, a 404.
    static func gone<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as MariaDBError where error.isTableMissing {
            throw DomainError.notFound(detail: "The table no longer exists.")
        }
    }

    /// Inserts every row or none (one transaction). A nil value means the column's default.
    func insert(_ rows: [[MariaDBValue?]]) throws -> Int {
        try Self.gone { try insertRows(rows) }
    }

    private func insertRows(_ rows: [[MariaDBValue?]]) throws -> Int {
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
                try audit?.record(.insert, rows: Int64(inserted), on: connection)
                return inserted
            }
        }
    }

    /// Up to `limit + 1` rows after the cursor, in insertion order or in `order` (ties broken by
    /// row id), so one extra row tells whether another page follows.
    func select(_ filters: [Filter], order: RowOrder?, after cursor: RowCursor?,
                limit: Int) throws -> [(rowID: Int64, cells: [MariaDBCell])] {
        let columnList = ([Self.rowID] + columns.map(\.name)).map { "`\($0)`" }.joined(separator: ", ")
        var query = SQLQuery(unsafeSQL: "SELECT \(columnList) FROM \(readSource) WHERE TRUE")
        query.append(RowFilterSQL.bound(filters))
        if let cursor { query.append(RowOrderSQL.after(cursor, order: order)) }
        query.append(SQLQuery(unsafeSQL: RowOrderSQL.orderBy(order)))
        query.append(SQLQuery(unsafeSQL: " LIMIT ?", binds: [.int(Int64(limit + 1))]))
        return try Self.gone {
            try databases.withConnection { connection in
                try connection.query(query).map { row in
                    (try row.decode(Int64.self, at: 0), Array(row.cells.dropFirst()))
                }
            }
        }
    }

    /// How many rows match `filters`, exactly (reads them all: for a page that asked).
    func count(_ filters: [Filter]) throws -> Int64 {
        var query = SQLQuery(unsafeSQL: "SELECT COUNT(*) FROM \(readSource) WHERE TRUE")
        query.append(RowFilterSQL.bound(filters))
        return try Self.gone {
            try databases.withConnection { connection in try connection.query(query)[0].decode(Int64.self, at: 0) }
        }
    }

    /// Every matching row as the server's text (the export's path): no Swift value per cell. The
    /// text protocol takes no binds, so filter values are written as literals nothing can break
    /// out of: numbers as digits, text as a hex literal, timestamps as digits and punctuation.
    /// With an `order` (the table page's "this view as CSV"), the rows come in it.
    func streamText(_ filters: [Filter], order: RowOrder? = nil, forEach body: (MariaDBTextRow) throws -> Void) throws {
        let columnList = columns.map { "`\($0.name)`" }.joined(separator: ", ")
        var sql = "SELECT \(columnList) FROM \(readSource) WHERE TRUE" + RowFilterSQL.literal(filters)
        if let order { sql += RowOrderSQL.orderBy(order) }
        // No ORDER BY: the rows come in the clustered index's order (the primary key, or the
        // hidden row id when the table has none, i.e. insertion order), read sequentially.
        // Ordering by the row id would walk its secondary index and look up every row.
        try databases.withConnection { connection in try connection.streamText(sql, body) }
    }
}
