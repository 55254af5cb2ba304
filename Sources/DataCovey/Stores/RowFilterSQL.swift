import MariaDB

/// The WHERE text of row filters, in one place for the statements that bind their values
/// (pages, counts, facets, changes) and for the text protocol's exports, which cannot bind:
/// there each value is a literal nothing can break out of (numbers as digits, text as a hex
/// literal, timestamps as digits and punctuation). A decimal is compared as that decimal:
/// MariaDB compares a DECIMAL with a string as doubles, which would round long decimals
/// (`ColumnKind.castsComparedBinds`).
enum RowFilterSQL {
    /// ` AND (…)` per filter, values bound.
    static func bound(_ filters: [RowStore.Filter]) -> SQLQuery {
        var query = SQLQuery(unsafeSQL: "")
        for filter in filters {
            query.append(" AND ")
            query.append(sql(filter) { value, type in SQLQuery(unsafeSQL: placeholder(type), binds: [value]) })
        }
        return query
    }

    /// ` AND (…)` per filter, values as literals (the text protocol).
    static func literal(_ filters: [RowStore.Filter]) -> String {
        var text = ""
        for filter in filters {
            text += " AND " + sql(filter) { value, type in SQLQuery(unsafeSQL: literal(value, type)) }.sql
        }
        return text
    }

    /// `?`, or `CAST(? AS DECIMAL(p,s))` for a column whose binds are cast.
    static func placeholder(_ type: ColumnType) -> String {
        type.kind.castsComparedBinds ? "CAST(? AS \(type.sqlType))" : "?"
    }

    /// A value as SQL text (the text protocol has no binds).
    static func literal(_ value: MariaDBValue, _ type: ColumnType) -> String {
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
        return type.kind.castsComparedBinds ? "CAST(\(text) AS \(type.sqlType))" : text
    }

    /// One filter, parenthesised, each value written by `value`.
    static func sql(_ filter: RowStore.Filter, value: (MariaDBValue, ColumnType) -> SQLQuery) -> SQLQuery {
        func name(_ column: RowStore.Column) -> String { "`\(column.name)`" }
        switch filter {
        case .compare(let column, let comparison, let bound):
            return "(\(unsafeRaw: name(column)) \(unsafeRaw: comparison.sql) \(value(bound, column.type)))"
        case .like(let column, let pattern, let caseInsensitive):
            // like: byte-exact characters (utf8mb4_bin), so case counts; ilike: both sides
            // lower-cased first. `_` is one character either way.
            let text = value(.text(pattern), column.type)
            return caseInsensitive
                ? "(LOWER(\(unsafeRaw: name(column))) LIKE LOWER(\(text)) COLLATE utf8mb4_bin)"
                : "(\(unsafeRaw: name(column)) LIKE \(text) COLLATE utf8mb4_bin)"
        case .among(let column, let values):
            guard !values.isEmpty else { return "(FALSE)" }
            return "(\(unsafeRaw: name(column)) IN (\(values.map { value($0, column.type) }.joined(separator: ", "))))"
        case .isNull(let column): return "(\(unsafeRaw: name(column)) IS NULL)"
        case .isTrue(let column): return "(\(unsafeRaw: name(column)) IS TRUE)"
        case .isFalse(let column): return "(\(unsafeRaw: name(column)) IS FALSE)"
        case .not(let inner): return "(NOT \(sql(inner, value: value)))"
        case .all(let filters), .any(let filters):
            guard !filters.isEmpty else { return "(TRUE)" }
            let joiner: String = if case .any = filter { " OR " } else { " AND " }
            return "(\(filters.map { sql($0, value: value) }.joined(separator: joiner)))"
        }
    }
}
