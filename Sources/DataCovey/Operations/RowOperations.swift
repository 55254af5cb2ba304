import MariaDB

/// Reading and adding a table's rows, for the API and the table page: the table located for
/// the caller, filters, order and cursor parsed against its columns, JSON rows converted by
/// the one converter per type that imports use, all inserted or none.
struct RowOperations {
    let caller: Identity
    let connection: MariaDBConnection
    let databases: DataDatabases

    /// One page of rows as asked for.
    struct PageRequest {
        /// The query's (name, value) pairs: `column=op.value` filters and `or`/`and` groups;
        /// the parameters in `RowFilters.notColumnFilters` are skipped (`RowFilters.parse`).
        var filters: [(String, String)] = []
        /// `a.desc,b.asc`, nil for insertion order.
        var order: String?
        /// The `next_cursor` of the previous page.
        var cursor: String?
        var limit: Int
        /// `select=a,b`: these columns, in this order; nil for all of them.
        var select: String? = nil
        /// `Prefer: count=…`: how the matching rows are counted, nil for not at all.
        var count: RowCount? = nil
    }

    enum RowCount: String {
        case exact, estimated
    }

    /// A page, in the selected columns' order, with the cursor of the page after it.
    struct RowPage {
        let columns: [RowStore.Column]
        let rows: [(rowID: Int64, cells: [MariaDBCell])]
        let nextCursor: String?
        /// Rows before this page (the pages the cursor walked), for `Content-Range`.
        let offset: Int64
        /// The matching rows, when a count was asked for.
        let total: Int64?
    }

    /// The table's rows; a conflict while its first import has not defined its columns.
    func store(ofTable id: Int64) throws -> RowStore {
        try located(id).store
    }

    /// The caller's table, its dataset and its rows' store (a key's column is read from the table).
    func located(_ id: Int64) throws -> (table: DataTable, dataset: Dataset, store: RowStore) {
        let (table, dataset) = try TableOperations(caller: caller, connection: connection, databases: databases).find(id)
        guard let physical = table.physicalName, let database = dataset.dataDatabase else {
            throw DomainError.conflict("The table has no columns yet: its first import defines them.")
        }
        return (table, dataset, RowStore(databases: databases, database: database, table: physical, columns: Self.columns(of: table),
                                audit: RowChangeAudit(tenantID: caller.tenantID, tableID: table.id, actor: caller.userID)))
    }

    /// The columns of a table as the row store reads and writes them.
    static func columns(of table: DataTable) -> [RowStore.Column] {
        table.columns.compactMap { column in
            ColumnType(column.type).map { RowStore.Column(name: column.name, type: $0, isNullable: column.nullable, hasDefault: column.default != nil) }
        }
    }

    /// The page `request` asks for (the data account reads; the caller was checked above).
    static func page(_ store: RowStore, _ request: PageRequest) throws -> RowPage {
        let filters = try RowFilters.parse(request.filters, columns: store.columns)
        let order = try RowOrder(request.order, columns: store.columns)
        let selected = try RowSelection(request.select, columns: store.columns)
        var cursor: RowCursor?
        if let text = request.cursor {
            guard let decoded = RowCursor(text, order: order) else {
                throw DomainError.invalid("The cursor is not one this API issued for this order.",
                                          errors: [.init(field: "cursor", message: "is invalid")])
            }
            cursor = decoded
        }
        let fetched = try store.select(filters, order: order, after: cursor, limit: request.limit)
        let offset = cursor?.offset ?? 0
        var next: String?
        if fetched.count > request.limit {
            let last = fetched[request.limit - 1]
            let positions = (order?.keys ?? []).map { key in store.columns.firstIndex { $0.name == key.column } ?? 0 }
            next = RowCursor(rowID: last.rowID, cells: positions.map { last.cells[$0] }, offset: offset + Int64(request.limit))
                .encoded(order: order)
        }
        let total: Int64? = switch request.count {
        case .exact: try store.count(filters)
        case .estimated: try store.estimatedCount(filters)
        case nil: nil
        }
        let rows = fetched.prefix(request.limit).map { row in (rowID: row.rowID, cells: selected.positions.map { row.cells[$0] }) }
        return RowPage(columns: selected.columns, rows: rows, nextCursor: next, offset: offset, total: total)
    }

    /// How many rows match the filters of `request`, exactly.
    static func count(_ store: RowStore, _ request: PageRequest) throws -> Int64 {
        try store.count(try RowFilters.parse(request.filters, columns: store.columns))
    }

    /// Inserts the rows of a JSON array body, every one or none; the problems of every value
    /// that does not fit (up to `JSONRows.maximumReportedProblems`) refuse the whole body.
    static func insert(json body: [UInt8], into store: RowStore) throws -> Int {
        let (converted, problems) = try body.withUnsafeBufferPointer { try JSONRows.convert($0, columns: store.columns) }
        guard problems.isEmpty else {
            let count = problems.count >= JSONRows.maximumReportedProblems ? "At least \(problems.count)" : "\(problems.count)"
            throw DomainError.unprocessable("\(count) value\(problems.count == 1 ? " does" : "s do") not fit the table; no row was inserted.",
                                            errors: problems)
        }
        return try insert(converted, into: store)
    }

    /// Inserts the one row of the table page's form; the problem of each column that does not
    /// fit refuses it, keyed by column name.
    static func insert(form: [String: String], into store: RowStore) throws -> Int {
        let (row, problems) = FormRow.convert(form, columns: store.columns)
        guard problems.isEmpty else {
            throw DomainError.unprocessable("\(problems.count) value\(problems.count == 1 ? " does" : "s do") not fit the table; no row was inserted.",
                                            errors: problems)
        }
        return try insert([row], into: store)
    }

    /// Converted rows, all or none; a repeated primary key is a conflict.
    private static func insert(_ converted: [[MariaDBValue?]], into store: RowStore) throws -> Int {
        do {
            return try store.insert(converted)
        } catch let error as MariaDBError where error.isDuplicateKey {
            throw DomainError.conflict("A row repeats an existing primary key; no row was inserted.")
        } catch let error as MariaDBError where error.isValueRejected {
            // The converter checks what MariaDB checks; this is the net under it.
            throw DomainError.unprocessable("A value does not fit its column; no row was inserted.")
        }
    }
}
