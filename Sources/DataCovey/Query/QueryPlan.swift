import MariaDB

/// User SQL made ready for the server: checked by the guard, its tables resolved to physical
/// names, its parameters bound. Every refusal is a 400 whose detail a user understands.
struct QueryPlan: Sendable {
    let sql: String
    let binds: [MariaDBValue]
    /// Physical names and the ones the user wrote, for translating server messages back.
    let names: [(physical: String, logical: String)]

    /// The guard's verdict, a refusal as the API's 400 (`query-refused`; in `errors`, the
    /// reason in words and the guard's code for programs, `not_a_select`).
    static func check(_ sql: String) throws -> SQLGuard.Accepted {
        do {
            return try SQLGuard.check(sql)
        } catch {
            throw DomainError(.invalid, error.message, fields: [.init(field: "sql", message: error.message, code: error.code.snakeCased)],
                              code: "query-refused", title: "Query Refused")
        }
    }

    static func make(sql: String, params: JSONValue?, declared: [QueryParameter], asOf: QueryInstant? = nil,
                     catalog: QueryCatalog) throws -> QueryPlan {
        let accepted = try check(sql)
        let rewritten = try QueryRewriter.rewrite(sql, accepted: accepted, catalog: catalog, asOf: asOf)
        let binds = try QueryParameters.binds(for: accepted, given: params, declared: declared)
        return QueryPlan(sql: rewritten.sql, binds: binds, names: rewritten.physicalToLogical)
    }
}
