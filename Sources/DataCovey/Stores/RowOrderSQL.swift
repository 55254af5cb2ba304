import MariaDB

/// The ORDER BY of a rows page and the keyset condition that resumes it after a cursor, for
/// any number of order columns with NULLs first or last: rows strictly after the cursor's row
/// in (values…, row id) order.
enum RowOrderSQL {
    private static let id = "`\(TableDefinition.rowIDColumn)`"

    /// ` ORDER BY …`: each column (after `col IS NULL` when its NULLs go where MariaDB would
    /// not put them), then the row id.
    static func orderBy(_ order: RowOrder?) -> String {
        guard let order, !order.keys.isEmpty else { return " ORDER BY \(id)" }
        var terms: [String] = []
        for key in order.keys {
            let column = "`\(key.column)`"
            if !key.nullsWhereMariaDBPutsThem { terms.append("\(column) IS NULL \(key.nullsFirst ? "DESC" : "ASC")") }
            terms.append("\(column) \(key.descending ? "DESC" : "ASC")")
        }
        terms.append("\(id) \(order.idDescending ? "DESC" : "ASC")")
        return " ORDER BY " + terms.joined(separator: ", ")
    }

    /// ` AND (…)`: the rows after the cursor's. Row i of the disjunction: the first i columns
    /// equal to the cursor's values and column i+1 strictly after its value (the row id last).
    static func after(_ cursor: RowCursor, order: RowOrder?) -> SQLQuery {
        let keys = order?.keys ?? []
        var alternatives: [SQLQuery] = []
        var equal: [SQLQuery] = []
        for (key, value) in zip(keys, cursor.values) {
            let column = "`\(key.column)`"
            let bound = SQLQuery(unsafeSQL: RowFilterSQL.placeholder(key.type), binds: [value])
            var later: SQLQuery?
            if value == .null {
                if key.nullsFirst { later = SQLQuery(unsafeSQL: "\(column) IS NOT NULL") }
            } else {
                let strictly: SQLQuery = "\(unsafeRaw: column) \(unsafeRaw: key.descending ? "<" : ">") \(bound)"
                later = key.nullsFirst ? strictly : "(\(strictly) OR \(unsafeRaw: column) IS NULL)"
            }
            if let later { alternatives.append(conjunction(equal + [later])) }
            equal.append(value == .null ? SQLQuery(unsafeSQL: "\(column) IS NULL") : "\(unsafeRaw: column) = \(bound)")
        }
        let idAfter = SQLQuery(unsafeSQL: "\(id) \(order?.idDescending == true ? "<" : ">") ?", binds: [.int(cursor.rowID)])
        alternatives.append(conjunction(equal + [idAfter]))
        return " AND (\(alternatives.joined(separator: " OR ")))"
    }

    private static func conjunction(_ parts: [SQLQuery]) -> SQLQuery {
        "(\(parts.joined(separator: " AND ")))"
    }
}
