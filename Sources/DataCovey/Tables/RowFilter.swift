import MariaDB

extension RowStore {
    /// One condition of a rows query, as `RowFilters` reads it from the PostgREST grammar, or a
    /// group of them. Each leaf carries its column (name and type), so the SQL that tests it
    /// never looks the column up again: an export of some columns can filter on the others.
    indirect enum Filter: Sendable {
        /// `eq`, `neq`, `lt`, `lte`, `gt`, `gte`: under the column's collation (text compares
        /// case- and accent-insensitively, as the table's utf8mb4_unicode_ci does).
        case compare(Column, Comparison, MariaDBValue)
        /// `like` (case-sensitive, `utf8mb4_bin`) and `ilike` (case-insensitive: both sides
        /// lower-cased, then compared as `utf8mb4_bin`, so accents still count). `%` and `_`.
        case like(Column, String, caseInsensitive: Bool)
        /// `in.(a,b,…)`; an empty list matches nothing.
        case among(Column, [MariaDBValue])
        /// `is.null`, `is.true`, `is.false` (SQL `IS`: never NULL itself).
        case isNull(Column)
        case isTrue(Column)
        case isFalse(Column)
        /// `not.<op>`, `not.or`, `not.and`: SQL NOT, so `not.eq.5` does not match NULL (as in
        /// PostgREST); `not.is.null` does.
        case not(Filter)
        /// `and=(…)` (and the top level's filters together); `or=(…)`.
        case all([Filter])
        case any([Filter])
    }

    enum Comparison: String, CaseIterable {
        case eq, neq, lt, lte, gt, gte

        var sql: String {
            switch self {
            case .eq: "="
            case .neq: "<>"
            case .lt: "<"
            case .lte: "<="
            case .gt: ">"
            case .gte: ">="
            }
        }
    }
}
