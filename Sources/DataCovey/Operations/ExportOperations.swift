import MariaDB

/// Starting an export of a table, for the API and the table page: the options are checked
/// against the table now (a column that does not exist, a filter that cannot apply), so a
/// mistake is refused at once rather than failing the job later.
struct ExportOperations {
    let caller: Identity
    let connection: MariaDBConnection
    let databases: DataDatabases

    /// `table` as `TableOperations.find` gave it, on this connection.
    func startTableExport(_ table: DataTable, options: ExportOptions) throws -> ExportJob {
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
        return try ExportJobStore(connection: connection, tenantID: caller.tenantID).create(.table(table.id), options: options, createdBy: caller.userID)
    }
}
