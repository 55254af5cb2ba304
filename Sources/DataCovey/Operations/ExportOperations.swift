import MariaDB

/// The use cases of exports, for the API and the pages: starting one of a table or of a saved
/// query, with the options checked now (a column that does not exist, a filter that cannot
/// apply, SQL the guard refuses) so a mistake is refused at once rather than failing the job
/// later; reading jobs, cancelling, and the name a download gets.
struct ExportOperations {
    let caller: Identity
    let connection: MariaDBConnection
    let databases: DataDatabases

    private var jobs: ExportJobStore { ExportJobStore(connection: connection, tenantID: caller.tenantID) }

    /// `table` as `TableOperations.find` gave it, on this connection.
    func startTableExport(_ table: DataTable, options: ExportOptions) throws -> ExportJob {
        var options = options
        // The instant is checked now (400, 410, 422 naming as_of) and kept in UTC.
        options.asOf = try TimeTravelOperations(caller: caller, connection: connection, databases: databases).asOf(options.asOf)?.text
        guard table.physicalName != nil else {
            throw DomainError.conflict("The table has no columns yet; there is nothing to export.")
        }
        let columns = table.columns.compactMap { column in
            ColumnType(column.type).map { RowStore.Column(name: column.name, type: $0, isNullable: column.nullable, hasDefault: column.default != nil) }
        }
        _ = try options.selectedColumns(of: columns)
        do {
            _ = try RowFilters.parse(options.filterPairs, columns: columns)
        } catch let error as DomainError {
            // The API's field is filter.<column>: the filter is one member of the options.
            throw DomainError.invalid(error.detail, errors: error.fields.map { .init(field: "filter.\($0.field)", message: $0.message) })
        }
        return try jobs.create(.table(table.id), options: options, createdBy: caller.userID)
    }

    /// An export of a saved query's whole result (no row cap), run by the worker as the
    /// project's query account. The SQL, its tables and the parameters are checked now.
    func startQueryExport(_ queryID: Int64, options: ExportOptions) throws -> ExportJob {
        let query = try SavedQueryOperations(caller: caller, connection: connection).query(queryID)
        _ = try QueryPlan.make(sql: query.sql, params: options.params, declared: query.parameters,
                               catalog: try QueryCatalog.load(project: query.projectID, connection: connection))
        return try jobs.create(.query(queryID), options: options, createdBy: caller.userID)
    }

    /// A table's exports, newest first; not found when the table is not the caller's.
    func jobs(ofTable tableID: Int64, _ page: Page) throws -> [ExportJob] {
        _ = try TableOperations(caller: caller, connection: connection, databases: databases).find(tableID)
        return try jobs.list(.table(tableID), page)
    }

    /// A saved query's exports; not found when the query is not the caller's.
    func jobs(ofQuery queryID: Int64, _ page: Page) throws -> [ExportJob] {
        _ = try SavedQueryOperations(caller: caller, connection: connection).query(queryID)
        return try jobs.list(.query(queryID), page)
    }

    /// Whether the caller's tenant has the job (for 403 against 404).
    func isVisible(_ id: Int64) throws -> Bool { try jobs.find(id) != nil }

    func job(_ id: Int64) throws -> ExportJob {
        guard let job = try jobs.find(id) else { throw DomainError.notFound() }
        return job
    }

    func cancel(_ id: Int64) throws -> ExportJob { try jobs.cancel(id) }

    /// The file name a download gets (without extension): what was exported and the job id.
    func downloadName(_ job: ExportJob) -> String {
        if let tableID = job.tableID,
           let table = try? TableOperations(caller: caller, connection: connection, databases: databases).find(tableID).table {
            return "\(table.name)-\(job.id)"
        }
        if let queryID = job.queryID, let query = try? SavedQueryOperations(caller: caller, connection: connection).query(queryID) {
            return "\(query.name)-\(job.id)"
        }
        return "export-\(job.id)"
    }

    /// What the job exported, as a page names it.
    func sourceName(_ job: ExportJob) -> String {
        if let tableID = job.tableID {
            return (try? TableOperations(caller: caller, connection: connection, databases: databases).find(tableID).table.name)
                ?? "table \(tableID)"
        }
        if let queryID = job.queryID {
            return (try? SavedQueryOperations(caller: caller, connection: connection).query(queryID).name) ?? "query \(queryID)"
        }
        return "query"
    }
}
