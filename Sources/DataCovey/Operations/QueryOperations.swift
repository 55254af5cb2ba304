import MariaDB

/// Running SQL over a project, ad hoc or saved, and reading the run history, for the API and
/// the query page alike. The run itself (guard, project account, limits, recording) is
/// `QueryService`'s; this adds what both edges used to check on their own first.
struct QueryOperations {
    let caller: Identity
    let connection: MariaDBConnection
    let service: QueryService

    /// What a run asks for besides its SQL.
    struct Options {
        var params: JSONValue?
        var limit: Int?
        var dryRun = false
        /// `as_of` as given: an RFC 3339 instant, checked here (QueryInstant).
        var asOf: String?

        /// The checked instant, or a 400 naming `as_of`.
        func instant() throws -> QueryInstant? {
            guard let text = asOf, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
            guard let instant = QueryInstant(text) else { throw QueryInstant.invalid() }
            return instant
        }
    }

    /// The project the queries run in.
    func project(_ id: Int64) throws -> Project {
        try ProjectStore(connection: connection, tenantID: caller.tenantID).existing(id)
    }

    /// Ad hoc SQL in `project`; `saved` is the saved query it runs as, when its SQL was not
    /// edited (its declared parameters then type the values given). `declaring` types the
    /// values instead (the editor lets the user choose a type per `:name`); with neither, values
    /// bind as their JSON type, as the API's ad hoc runs do.
    func run(sql: String, inProject project: Int64, _ options: Options, as saved: SavedQuery? = nil,
             declaring: [QueryParameter]? = nil) throws -> QueryService.Outcome {
        _ = try self.project(project)
        try QueryRules.validate(sql: sql)
        try QueryRules.validate(limit: options.limit, rowCap: service.executor.settings.rowCap)
        return try service.run(.init(project: project, savedQuery: saved?.id, sql: sql, params: options.params,
                                     declared: declaring ?? saved?.parameters ?? [], limit: options.limit, dryRun: options.dryRun,
                                     asOf: try options.instant()),
                               caller: caller, connection: connection)
    }

    /// A saved query's SQL with the values given (declared defaults fill the rest); `query` as
    /// `SavedQueryOperations.query` gave it, on this connection.
    func runSaved(_ query: SavedQuery, _ options: Options) throws -> QueryService.Outcome {
        try QueryRules.validate(limit: options.limit, rowCap: service.executor.settings.rowCap)
        return try service.run(.init(project: query.projectID, savedQuery: query.id, sql: query.sql, params: options.params,
                                     declared: query.parameters, limit: options.limit, dryRun: options.dryRun,
                                     asOf: try options.instant()),
                               caller: caller, connection: connection)
    }
}

/// The checks every run makes before the guard sees the SQL.
enum QueryRules {
    /// The longest SQL text a run or a saved query may have, in bytes.
    static let sqlLimit = 100_000

    static func validate(sql: String) throws {
        guard !sql.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw DomainError.invalid("Field sql must not be empty.", errors: [.init(field: "sql", message: "is empty")])
        }
        guard sql.utf8.count <= sqlLimit else {
            throw DomainError.invalid("Field sql must be at most \(sqlLimit) bytes.", errors: [.init(field: "sql", message: "is too long")])
        }
    }

    static func validate(limit: Int?, rowCap: Int) throws {
        if let limit, !(1...rowCap).contains(limit) {
            throw DomainError.invalid("limit must be an integer from 1 to \(rowCap).",
                                      errors: [.init(field: "limit", message: "must be 1–\(rowCap)")])
        }
    }
}
