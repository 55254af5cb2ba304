import MariaDB

/// Runs a saved query's export as the project's own account (never the worker's, SECURITY
/// rule 7): a READ ONLY transaction, the export's statement limit and no row cap, the rows
/// streamed into the file as they arrive.
struct QueryExports: Sendable {
    let pool: MariaDBPool
    let accounts: QueryAccounts
    let connections: QueryConnections
    let settings: QuerySettings

    init(pool: MariaDBPool, configuration: Configuration) {
        self.pool = pool
        accounts = QueryAccounts(settings: configuration.queries)
        connections = QueryConnections(base: configuration.queryExportDatabase, accounts: accounts)
        settings = configuration.queries
    }

    /// Plans the query now (a query that no longer fits its tables fails the job before a
    /// file exists) and returns the writer of its rows.
    func rows(_ job: ClaimedExport, query: Int64, progress: JobProgress) throws -> (ExportSink) throws -> Int64 {
        let source = try pool.withConnection { connection in
            try QueryExportSource.load(tenant: job.tenantID, query: query, params: job.options.params, connection: connection)
        }
        return { output in
            let connection = try connections.lease(project: source.project) {
                try pool.withConnection { try accounts.sync(project: source.project, tenant: job.tenantID, onWorkerConnection: $0) }
            }
            var reusable = false
            defer { connections.release(connection, project: source.project, reusable: reusable) }
            var buffer: [UInt8] = []
            buffer.reserveCapacity(1 << 20 + 65_536)
            var encoder: QueryExportEncoder?
            var scratch: [UInt8] = []
            var rows: Int64 = 0
            do {
                try connection.executeText("SET SESSION max_statement_time = \(settings.exportStatementSeconds)")
                try connection.executeText("START TRANSACTION READ ONLY")
                let complete = try connection.streamQuery(source.plan.sql, binds: source.plan.binds, columns: { result in
                    let columns = QueryExportEncoder(columns: result.columns.map(QueryColumn.init), format: job.options.format,
                                                     escapesFormulas: job.options.escapesFormulas)
                    columns.header(into: &buffer)
                    encoder = columns
                }) { row in
                    encoder?.append(row.cells, into: &buffer, scratch: &scratch)
                    rows += 1
                    try ExportChunks.flush(&buffer, to: output, rows: rows, progress: progress, estimate: nil)
                    return true
                }
                if complete {
                    try connection.executeText("ROLLBACK")
                    reusable = true
                }
            } catch let error as MariaDBError {
                throw JobFailure(description: "The query failed: \(QueryRewriter.translate(error.message, source.plan.names))")
            }
            try output.write(buffer)
            return rows
        }
    }
}
