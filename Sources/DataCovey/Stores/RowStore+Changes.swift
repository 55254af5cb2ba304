import MariaDB

/// Changing and deleting a table's rows (`PATCH|DELETE …/rows`, by filters or by key, and the
/// table page's row forms). One transaction on the data account: the matching rows are locked
/// and counted, the cap is checked, the change is made and its audit entry written. A refusal
/// anywhere (the cap, a repeated key, a value MariaDB refuses) rolls all of it back.
extension RowStore {
    /// Which rows a change takes and what it answers.
    struct ChangeScope {
        /// At least one, or none to take every row (the caller said so).
        var filters: [Filter]
        /// More matching rows than this refuse the change; nothing is changed.
        var maximum: Int64? = nil
        /// Whether the rows come back: a PATCH's new images, a DELETE's rows as they were.
        var returnsRows = false
        /// What selected the rows, for the audit entry: ("filter", text), ("key", text)…
        var details: [(String, String)] = []
    }

    /// How many rows the change took, and (when asked for) those rows in row id order.
    struct ChangeOutcome {
        let count: Int64
        let rows: [[MariaDBCell]]
    }

    /// A new value for a column: a bind, or nil for the column's default.
    typealias NewValue = (column: String, value: MariaDBValue?)

    /// Sets `values` on every row `scope` selects.
    func update(_ values: [NewValue], _ scope: ChangeScope) throws -> ChangeOutcome {
        precondition(!values.isEmpty, "an update sets at least one column")
        return try changing(scope) { connection in
            // The ids first, when the new images are wanted: the filter may not match them after.
            let ids = scope.returnsRows ? try lockedIDs(scope.filters, on: connection) : nil
            let count = try ids.map { Int64($0.count) } ?? lockedCount(scope.filters, on: connection)
            try check(count, against: scope.maximum)
            guard count > 0 else { return ChangeOutcome(count: 0, rows: []) }
            var query = SQLQuery(unsafeSQL: "UPDATE \(qualifiedTable) SET ")
            for (index, new) in values.enumerated() {
                query.append(SQLQuery(unsafeSQL: (index == 0 ? "" : ", ") + "`\(new.column)` = "))
                if let value = new.value { query.append("\(value)") } else { query.append("DEFAULT") }
            }
            query.append(" WHERE TRUE")
            query.append(RowFilterSQL.bound(scope.filters))
            try connection.execute(query)
            try audit?.record(.update, rows: count, details: scope.details, on: connection)
            return ChangeOutcome(count: count, rows: try ids.map { try rows(withIDs: $0, on: connection) } ?? [])
        }
    }

    /// Deletes every row `scope` selects.
    func delete(_ scope: ChangeScope) throws -> ChangeOutcome {
        try changing(scope) { connection in
            let rows = scope.returnsRows ? try lockedRows(scope.filters, on: connection) : nil
            let count = try rows.map { Int64($0.count) } ?? lockedCount(scope.filters, on: connection)
            try check(count, against: scope.maximum)
            guard count > 0 else { return ChangeOutcome(count: 0, rows: []) }
            var query = SQLQuery(unsafeSQL: "DELETE FROM \(qualifiedTable) WHERE TRUE")
            query.append(RowFilterSQL.bound(scope.filters))
            try connection.execute(query)
            try audit?.record(.delete, rows: count, details: scope.details, on: connection)
            return ChangeOutcome(count: count, rows: rows ?? [])
        }
    }

    private func changing(_ scope: ChangeScope, _ body: (MariaDBConnection) throws -> ChangeOutcome) throws -> ChangeOutcome {
        try Self.gone {
            try databases.withConnection { connection in try connection.withTransaction(body) }
        }
    }

    /// The cap: refused before anything changed, and the transaction rolls back.
    private func check(_ count: Int64, against maximum: Int64?) throws {
        guard let maximum, count > maximum else { return }
        throw DomainError.conflict("\(count) row\(count == 1 ? "" : "s") match; at most \(maximum) may be changed "
                                   + "(max_affected), so nothing was changed.")
    }

    // A locking read (FOR UPDATE) takes next-key locks on what it scans, so the change that
    // follows in the transaction meets exactly the rows counted: none joins or leaves meanwhile.

    private func lockedCount(_ filters: [Filter], on connection: MariaDBConnection) throws -> Int64 {
        var query = SQLQuery(unsafeSQL: "SELECT COUNT(*) FROM \(qualifiedTable) WHERE TRUE")
        query.append(RowFilterSQL.bound(filters))
        query.append(" FOR UPDATE")
        return try connection.query(query)[0].decode(Int64.self, at: 0)
    }

    private func lockedIDs(_ filters: [Filter], on connection: MariaDBConnection) throws -> [Int64] {
        var query = SQLQuery(unsafeSQL: "SELECT `\(Self.rowID)` FROM \(qualifiedTable) WHERE TRUE")
        query.append(RowFilterSQL.bound(filters))
        query.append(SQLQuery(unsafeSQL: " ORDER BY `\(Self.rowID)` FOR UPDATE"))
        return try connection.query(query).map { try $0.decode(Int64.self, at: 0) }
    }

    private func lockedRows(_ filters: [Filter], on connection: MariaDBConnection) throws -> [[MariaDBCell]] {
        var query = SQLQuery(unsafeSQL: "SELECT \(columnList) FROM \(qualifiedTable) WHERE TRUE")
        query.append(RowFilterSQL.bound(filters))
        query.append(SQLQuery(unsafeSQL: " ORDER BY `\(Self.rowID)` FOR UPDATE"))
        return try connection.query(query).map(\.cells)
    }

    /// The rows with these ids as they are now, in id order, a statement per batch of ids.
    private func rows(withIDs ids: [Int64], on connection: MariaDBConnection) throws -> [[MariaDBCell]] {
        let idsPerStatement = 10_000
        var rows: [[MariaDBCell]] = []
        var start = 0
        while start < ids.count {
            let batch = ids[start..<min(start + idsPerStatement, ids.count)]
            let placeholders = Array(repeating: "?", count: batch.count).joined(separator: ", ")
            rows += try connection.query(SQLQuery(unsafeSQL: """
                SELECT \(columnList) FROM \(qualifiedTable) WHERE `\(Self.rowID)` IN (\(placeholders)) ORDER BY `\(Self.rowID)`
                """, binds: batch.map { .int($0) })).map(\.cells)
            start += batch.count
        }
        return rows
    }

    private var columnList: String { columns.map { "`\($0.name)`" }.joined(separator: ", ") }
}

extension RowStore {
    /// The first row `filters` select (in row id order), unlocked: a row addressed by its key
    /// or its row id.
    func row(where filters: [Filter]) throws -> [MariaDBCell]? {
        var query = SQLQuery(unsafeSQL: "SELECT \(columnList) FROM \(qualifiedTable) WHERE TRUE")
        query.append(RowFilterSQL.bound(filters))
        query.append(SQLQuery(unsafeSQL: " ORDER BY `\(Self.rowID)` LIMIT 1"))
        return try Self.gone {
            try databases.withConnection { connection in try connection.query(query).first?.cells }
        }
    }
}
