import MariaDB

/// Runs checked, resolved user SQL on the project's own account (SECURITY rules 7–10):
/// a reset connection, a `READ ONLY` transaction, the server's statement time limit, a row
/// cap, and a client-side deadline a second after the server's, since `BENCHMARK` and the
/// like can outlive `max_statement_time` silently.
///
/// It trusts nothing about the SQL: the tests call it with SQL the guard would refuse, to show
/// that the database alone keeps a project to its own data.
struct QueryExecutor: Sendable {
    let connections: QueryConnections
    let settings: QuerySettings

    /// Rows read past the cap to tell whether the result was truncated before the connection
    /// is dropped instead (a query may carry its own large LIMIT).
    private static let drainAllowance = 1000

    /// The client gave up on the query.
    struct DeadlineExceeded: Error {}

    /// One row of the result was larger than a query connection accepts
    /// (`QuerySettings.maxRowBytes`), or the connection broke before the statement limit; it
    /// was dropped either way.
    struct RowTooLarge: Error {
        let limit: Int
    }

    /// Runs `sql` with `binds` and returns at most `limit` rows (never more than the cap).
    /// `repair` recreates the project's account if its login is refused.
    /// A refused SELECT (1142) gets one repair and one retry: a dataset created while its grant
    /// could not be given. Anything the account should not read is still refused after it.
    func run(project: Int64, sql: String, binds: [MariaDBValue], limit: Int? = nil,
             repair: () throws -> Void) throws -> QueryResult {
        do {
            return try runOnce(project: project, sql: sql, binds: binds, limit: limit, repair: repair)
        } catch let error as MariaDBError where error.isTableAccessDenied {
            try repair()
            return try runOnce(project: project, sql: sql, binds: binds, limit: limit, repair: repair)
        }
    }

    private func runOnce(project: Int64, sql: String, binds: [MariaDBValue], limit: Int?,
                         repair: () throws -> Void) throws -> QueryResult {
        let cap = min(limit ?? settings.rowCap, settings.rowCap)
        let clock = ContinuousClock()
        let started = clock.now
        let deadline = started + .seconds(settings.statementSeconds + 1)
        let connection = try connections.lease(project: project, repair: repair)
        var reusable = false
        defer { connections.release(connection, project: project, reusable: reusable) }

        // sql_select_limit: the server itself stops after one row more than the cap, unless
        // the query has a LIMIT of its own.
        try connection.executeText("SET SESSION sql_select_limit = \(cap + 1), max_statement_time = \(settings.statementSeconds)")
        try connection.executeText("START TRANSACTION READ ONLY")
        var columns: [QueryColumn] = []
        var kinds: [QueryColumn.Kind] = []
        var rows = QueryRows(width: 0)
        var extra = 0
        var truncation: QueryResult.Truncation?
        /// Whether to keep reading: rows up to the caps are kept, a few past the row cap only
        /// counted; a row past the byte limit stops the read (the rest could be any size).
        var seen = 0
        func admit(size: Int, _ keep: () -> Void) throws -> Bool {
            // The clock every 256 rows: reading it per row was 4% of a 10,000-row answer.
            seen += 1
            if seen & 255 == 0, clock.now >= deadline { throw DeadlineExceeded() }
            if rows.count < cap {
                guard rows.fits(size) else {
                    truncation = .bytes
                    return false
                }
                keep()
                return true
            }
            truncation = .rows
            extra += 1
            return extra < Self.drainAllowance
        }
        func begin(_ result: MariaDBColumns) {
            columns = result.columns.map(QueryColumn.init)
            kinds = columns.map(\.kind)
            rows = QueryRows(width: columns.count, byteLimit: settings.maxAnswerBytes)
            rows.reserve(rows: min(cap, 1024), bytesPerRow: 16 * max(1, columns.count))
        }
        // Without binds the text protocol carries the result: the server's bytes go into the
        // answer with no per-cell decoding. Binds need a prepared statement.
        let complete: Bool
        do {
            if binds.isEmpty {
                complete = try connection.streamText(sql, columns: begin) { row in
                    try admit(size: row.byteCount) { rows.append(row) }
                }
            } else {
                complete = try connection.streamQuery(sql, binds: binds, columns: begin) { row in
                    try admit(size: QueryRows.estimatedSize(row.cells)) { rows.append(row.cells, kinds: kinds) }
                }
            }
        } catch let error as MariaDBError
                    where error.isPacketTooLarge || (error.isLostDuringQuery && clock.now - started < .seconds(settings.statementSeconds)) {
            // Connector/C reports a row over the packet limit as a lost connection (2013), as it
            // does a dead server; only the read timeout comes later than the statement limit.
            throw RowTooLarge(limit: settings.maxRowBytes)
        }
        if complete {
            try connection.executeText("ROLLBACK")
            reusable = true
        }
        return QueryResult(columns: columns, rows: rows, truncation: truncation, elapsed: clock.now - started)
    }

    /// `EXPLAIN` of the query: the plan and the optimizer's row estimates, without running it.
    func explain(project: Int64, sql: String, binds: [MariaDBValue], repair: () throws -> Void) throws -> QueryResult {
        try run(project: project, sql: "EXPLAIN " + sql, binds: binds, limit: nil, repair: repair)
    }
}
