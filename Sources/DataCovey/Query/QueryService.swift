import Logging
import MariaDB

/// One run of user SQL from request to answer: guard, names, parameters, the run log, and the
/// executor on the project's account. Saved and ad hoc queries both come through here, so both
/// are checked and logged the same way.
struct QueryService: Sendable {
    let executor: QueryExecutor
    let accounts: QueryAccounts
    let logger: Logger

    init(executor: QueryExecutor, accounts: QueryAccounts, logger: Logger) {
        self.executor = executor
        self.accounts = accounts
        self.logger = logger
    }

    /// The service with its own connection cache, from the configuration.
    init(configuration: Configuration, logger: Logger) {
        let accounts = QueryAccounts(settings: configuration.queries)
        let connections = QueryConnections(base: configuration.queryDatabase, accounts: accounts)
        self.init(executor: QueryExecutor(connections: connections, settings: configuration.queries),
                  accounts: accounts, logger: logger)
    }

    func shutDown() { executor.connections.shutDown() }

    struct Request {
        let project: Int64
        let savedQuery: Int64?
        let sql: String
        let params: JSONValue?
        var declared: [QueryParameter] = []
        var limit: Int?
        var dryRun = false
        /// Read the tables without a FOR SYSTEM_TIME clause of their own as of this instant.
        var asOf: QueryInstant?
    }

    struct Outcome {
        let runID: Int64?
        let result: QueryResult
    }

    /// The caller's connection is scoped to their tenant; the project must be visible on it.
    /// Every run is recorded, refused ones and dry runs included: `EXPLAIN` evaluates constant
    /// subqueries, so a dry run reads data too, and its error text can carry it.
    func run(_ request: Request, caller: Identity, connection: MariaDBConnection) throws -> Outcome {
        let runs = QueryRunStore(connection: connection, tenantID: caller.tenantID)
        let record = QueryRunStore.NewRun(project: request.project, query: request.savedQuery, user: caller.userID,
                                          sql: request.sql, params: request.params, dryRun: request.dryRun)
        let prepared: QueryPlan
        do {
            prepared = try prepare(request, connection: connection)
        } catch let error as DomainError where error.kind == .invalid {
            _ = try runs.refused(record, error: error.detail)
            throw error
        }
        let repair = { try accounts.sync(project: request.project, on: connection) }
        let runID = try runs.start(record)
        do {
            var result = request.dryRun
                ? try executor.explain(project: request.project, sql: prepared.sql, binds: prepared.binds, repair: repair)
                : try executor.run(project: request.project, sql: prepared.sql, binds: prepared.binds,
                                   limit: request.limit, repair: repair)
            // A column named by an expression carries the rewritten SQL: give it the user's names back.
            for index in result.columns.indices {
                result.columns[index].name = QueryRewriter.translate(result.columns[index].name, prepared.names)
            }
            try runs.finish(runID, rowCount: result.rows.count, elapsedMS: result.elapsedMilliseconds, error: nil)
            return Outcome(runID: runID, result: result)
        } catch {
            let problem = problem(for: error, names: prepared.names)
            try runs.finish(runID, rowCount: nil, elapsedMS: 0, error: problem.kind == .bug ? "internal error" : problem.detail)
            throw problem
        }
    }

    /// Guard, name resolution and binds; every failure is a 400.
    private func prepare(_ request: Request, connection: MariaDBConnection) throws -> QueryPlan {
        try QueryPlan.make(sql: request.sql, params: request.params, declared: request.declared, asOf: request.asOf,
                           catalog: try QueryCatalog.load(project: request.project, connection: connection))
    }

    /// What the client is told when the server refuses or fails the query; physical names in
    /// the server's message are replaced by the ones the user wrote.
    func problem(for error: Error, names: [(physical: String, logical: String)]) -> DomainError {
        let seconds = executor.settings.statementSeconds
        let timedOut = DomainError(.invalid, "The query ran longer than the \(seconds) s limit and was stopped.",
                                   code: "query-timeout", title: "Query Timed Out")
        switch error {
        case let error as DomainError:
            return error
        case is QueryExecutor.DeadlineExceeded:
            return timedOut
        case let error as QueryExecutor.RowTooLarge:
            return DomainError(.invalid, "The answer could not be read: a row of the result is larger than \(error.limit >> 20) MiB (the most one row may hold), or the connection to the database broke. Select fewer or shorter columns, or try again.",
                               code: "query-row-too-large", title: "Query Failed")
        case let error as MariaDBError:
            let message = QueryRewriter.translate(error.message, names)
            switch error.code {
            case _ where error.isStatementTimeout:
                return timedOut
            case _ where error.isLostDuringQuery:
                // The client's read timeout: the server did not answer within limit + 1 s.
                return timedOut
            case _ where error.isResourceLimitReached:
                return DomainError(.rateLimited, "This project is over its query limits (\(message)). Try again later.",
                                   code: "query-limit", title: "Too Many Queries", retryAfterSeconds: 5)
            case _ where error.isAccessDenied:
                return DomainError(.invalid, "Not allowed: \(message)", code: "query-refused", title: "Query Refused")
            case _ where error.isFromServer:
                // Any other server error is about the statement the user wrote.
                return DomainError(.invalid, message, code: "query-failed", title: "Query Failed")
            default:
                logger.error("query failed on the server", metadata: ["code": "\(error.code)", "error": "\(message)"])
                return DomainError.unavailable("The query could not be run; try again.")
            }
        default:
            logger.error("query failed", metadata: ["error": "\(error)"])
            return DomainError.bug("query failed: \(error)")
        }
    }
}
