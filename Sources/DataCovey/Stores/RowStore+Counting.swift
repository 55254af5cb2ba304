import MariaDB

extension RowStore {
    /// Below this many rows by the planner's estimate, an estimated count is counted exactly.
    static let exactCountBelow: Int64 = 10_000

    /// `Prefer: count=estimated`: the planner's estimate of the matching rows (`EXPLAIN
    /// EXTENDED`: the rows it expects to read times the share it expects to match), or the exact
    /// count when that estimate is at most `exactCountBelow` rows, where counting is cheap and
    /// InnoDB's statistics are least reliable.
    func estimatedCount(_ filters: [Filter]) throws -> Int64 {
        var query = SQLQuery(unsafeSQL: "EXPLAIN EXTENDED SELECT 1 FROM \(readSource) WHERE TRUE")
        query.append(RowFilterSQL.bound(filters))
        let estimate: Int64? = try Self.gone {
            try databases.withConnection { connection in
                guard let row = try connection.query(query).first else { return nil }
                func number(_ cell: MariaDBCell) -> Double? {
                    switch cell {
                    case .int(let value): Double(value)
                    case .uint(let value): Double(value)
                    case .double(let value): value
                    case .bytes(let bytes, _): Double(String(decoding: bytes, as: UTF8.self))
                    default: nil
                    }
                }
                guard let rows = row["rows"].flatMap(number) else { return nil }
                let share = row["filtered"].flatMap(number) ?? 100
                return Int64((rows * share / 100).rounded())
            }
        }
        guard let estimate, estimate > Self.exactCountBelow else { return try count(filters) }
        return estimate
    }

    /// The most frequent values of `column` among the rows `filters` match, with how many rows
    /// hold each (NULL is a value here), most frequent first, ties by value.
    func facet(_ column: Column, filters: [Filter], limit: Int) throws -> [(value: MariaDBCell, count: Int64)] {
        let name = "`\(column.name)`"
        // No alias for the count: a column may have any name.
        var query = SQLQuery(unsafeSQL: "SELECT \(name), COUNT(*) FROM \(readSource) WHERE TRUE")
        query.append(RowFilterSQL.bound(filters))
        query.append(SQLQuery(unsafeSQL: " GROUP BY \(name) ORDER BY COUNT(*) DESC, \(name) LIMIT ?", binds: [.int(Int64(limit))]))
        return try Self.gone {
            try databases.withConnection { connection in
                try connection.query(query).map { row in (row.cells[0], try row.decode(Int64.self, at: 1)) }
            }
        }
    }
}
