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
    /// Where a change made through this store is recorded (the rows API and the table page);
    /// nil for readers (exports, the import form's count).
    var audit: RowChangeAudit? = nil
    /// Reads (select, count, streamText) see the table as it was then (`as_of`, system
    /// versioning); nil: as it is. Writes always change the table as it is.
    var asOf: AsOf? = nil

    private var qualifiedTable: String { "`\(database)`.`\(table)`" }
    /// What reads select from: the table, at `asOf` when set.
    private var readSource: String { qualifiedTable + (asOf?.systemTimeClause ?? "") }
    private static let rowID = TableDefinition.rowIDColumn
    /// MariaDB allows 65,535 placeholders per statement; stay well below it.
    private static let placeholdersPerStatement = 30_000

    /// The physical table was moved away (its table went to the trash) between the lookup of
    /// its metadata and this statement: the table is gone for the caller, a 404.
    private static func gone<T>(_ body: () throws -> T) throws -> T {
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
    /// row id in the same direction), so one extra row tells whether another page follows.
    func select(_ filters: [Filter], order: RowOrder?, after cursor: RowCursor?,
                limit: Int) throws -> [(rowID: Int64, cells: [MariaDBCell])] {
        let columnList = ([Self.rowID] + columns.map(\.name)).map { "`\($0)`" }.joined(separator: ", ")
        var query = SQLQuery(unsafeSQL: "SELECT \(columnList) FROM \(readSource) WHERE TRUE")
        for filter in filters { query.append(condition(filter)) }
        if let cursor {
            query.append(after(cursor, order: order))
        }
        let id = "`\(Self.rowID)`"
        if let order {
            let direction = order.descending ? "DESC" : "ASC"
            query.append(SQLQuery(unsafeSQL: " ORDER BY `\(order.column)` \(direction), \(id) \(direction)"))
        } else {
            query.append(SQLQuery(unsafeSQL: " ORDER BY \(id)"))
        }
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
        for filter in filters { query.append(condition(filter)) }
        return try Self.gone {
            try databases.withConnection { connection in try connection.query(query)[0].decode(Int64.self, at: 0) }
        }
    }

    /// Every matching row as the server's text (the export's path): no Swift value per cell. The
    /// text protocol takes no binds, so filter values are written as literals nothing can break
    /// out of: numbers as digits, text as a hex literal, timestamps as digits and punctuation.
    func streamText(_ filters: [Filter], forEach body: (MariaDBTextRow) throws -> Void) throws {
        let columnList = columns.map { "`\($0.name)`" }.joined(separator: ", ")
        var sql = "SELECT \(columnList) FROM \(readSource) WHERE TRUE"
        for filter in filters {
            switch filter {
            case .equal(let column, let value): sql += " AND `\(column)` = \(literal(value, for: column))"
            case .less(let column, let value): sql += " AND `\(column)` < \(literal(value, for: column))"
            case .greater(let column, let value): sql += " AND `\(column)` > \(literal(value, for: column))"
            case .like(let column, let value): sql += " AND `\(column)` LIKE \(literal(value, for: column))"
            case .isNull(let column): sql += " AND `\(column)` IS NULL"
            }
        }
        // No ORDER BY: the rows come in the clustered index's order (the primary key, or the
        // hidden row id when the table has none, i.e. insertion order), read sequentially.
        // Ordering by the row id would walk its secondary index and look up every row.
        try databases.withConnection { connection in try connection.streamText(sql, body) }
    }

    private func literal(_ value: MariaDBValue, for column: String) -> String {
        let text: String
        switch value {
        case .null: text = "NULL"
        case .int(let number): text = String(number)
        case .uint(let number): text = String(number)
        case .double(let number): text = number.isFinite ? "\(number)" : "NULL"
        case .text(let string): text = ColumnDefault.hex(string)
        case .bytes(let raw): text = ColumnDefault.hex(bytes: raw)
        case .dateTime(let t):
            text = String(format: "'%04d-%02d-%02d %02d:%02d:%02d.%06d'", t.year, t.month, t.day, t.hour, t.minute, t.second, t.microsecond)
        }
        guard let type = comparedAsItself(column) else { return text }
        return "CAST(\(text) AS \(type.sqlType))"
    }

    private func condition(_ filter: Filter) -> SQLQuery {
        switch filter {
        case .equal(let column, let value): comparison(column, "=", value)
        case .less(let column, let value): comparison(column, "<", value)
        case .greater(let column, let value): comparison(column, ">", value)
        case .like(let column, let value): SQLQuery(unsafeSQL: " AND `\(column)` LIKE ?", binds: [value])
        case .isNull(let column): SQLQuery(unsafeSQL: " AND `\(column)` IS NULL")
        }
    }

    /// ` AND column op ?`, with a decimal bound as that decimal: MariaDB compares a DECIMAL with a
    /// string as doubles, which would round long decimals (`ColumnKind.castsComparedBinds`).
    private func comparison(_ column: String, _ op: String, _ value: MariaDBValue) -> SQLQuery {
        SQLQuery(unsafeSQL: " AND `\(column)` \(op) \(placeholder(column))", binds: [value])
    }

    private func placeholder(_ column: String) -> String {
        guard let type = comparedAsItself(column) else { return "?" }
        return "CAST(? AS \(type.sqlType))"
    }

    /// The column's type when a value compared with it must be cast to it (decimals).
    private func comparedAsItself(_ column: String) -> ColumnType? {
        columns.first(where: { $0.name == column }).map(\.type).flatMap { $0.kind.castsComparedBinds ? $0 : nil }
    }

    /// The keyset condition for rows strictly after the cursor's row in the page's total order.
    private func after(_ cursor: RowCursor, order: RowOrder?) -> SQLQuery {
        let id = "`\(Self.rowID)`"
        guard let order, let value = cursor.value else {
            return SQLQuery(unsafeSQL: " AND \(id) > ?", binds: [.int(cursor.rowID)])
        }
        let column = "`\(order.column)`"
        let bound = placeholder(order.column)
        switch (order.descending, value == .null) {
        case (false, true):  // NULLs first: the rest of the NULLs, then every value
            return SQLQuery(unsafeSQL: " AND ((\(column) IS NULL AND \(id) > ?) OR \(column) IS NOT NULL)",
                            binds: [.int(cursor.rowID)])
        case (false, false):
            return SQLQuery(unsafeSQL: " AND (\(column) > \(bound) OR (\(column) = \(bound) AND \(id) > ?))",
                            binds: [value, value, .int(cursor.rowID)])
        case (true, true):  // NULLs last: only the rest of the NULLs
            return SQLQuery(unsafeSQL: " AND \(column) IS NULL AND \(id) < ?", binds: [.int(cursor.rowID)])
        case (true, false):
            return SQLQuery(unsafeSQL: " AND (\(column) < \(bound) OR (\(column) = \(bound) AND \(id) < ?) OR \(column) IS NULL)",
                            binds: [value, value, .int(cursor.rowID)])
        }
    }
}
