import MariaDB

/// The use cases of a dataset's tables — list, show, create, change — for every edge alike: the
/// API controller and the pages parse their input, call one of these, and render what comes
/// back. Each runs as `caller` on the caller's tenant-scoped connection and throws
/// `DomainError`, so what a table must satisfy is checked in one place.
struct TableOperations {
    let caller: Identity
    let connection: MariaDBConnection
    let databases: DataDatabases

    private var store: TableStore { TableStore(connection: connection, tenantID: caller.tenantID, databases: databases) }

    func dataset(_ id: Int64) throws -> Dataset {
        guard let dataset = try DatasetStore(connection: connection, tenantID: caller.tenantID).find(id) else { throw DomainError.notFound() }
        return dataset
    }

    func list(inDataset id: Int64, _ page: Page) throws -> [DataTable] {
        try store.list(dataset: try dataset(id), page)
    }

    /// The table and its dataset. `exactCount` also counts its rows, which reads the whole
    /// table: only on request; the estimate is always there.
    func find(_ id: Int64, exactCount: Bool = false) throws -> (table: DataTable, dataset: Dataset) {
        guard let dataset = try store.dataset(ofTable: id), var table = try store.find(id, in: dataset) else { throw DomainError.notFound() }
        if exactCount, let physical = table.physicalName, let database = dataset.dataDatabase {
            table.rowCount = try databases.withConnection { data in
                try data.query(SQLQuery(unsafeSQL: "SELECT COUNT(*) FROM `\(database)`.`\(physical)`"))[0].decode(Int64.self, at: 0)
            }
        }
        return (table, dataset)
    }

    /// Writes the metadata and creates the physical table (or, for autodetect, leaves it to the
    /// first import).
    func create(_ definition: TableDefinition, inDataset id: Int64) throws -> DataTable {
        try store.create(definition, in: try dataset(id), createdBy: caller.userID)
    }

    /// What a change asks for; absent parts stay as they are.
    struct Change {
        var name: String?
        /// `.some(nil)` clears the description.
        var description: String??
        var addColumns: [TableDefinition.ColumnInput] = []
        /// Old column name → new name.
        var renameColumns: [String: String] = [:]
    }

    /// Renames, re-describes, renames columns and appends nullable columns, if the table is
    /// still at `expectedVersion` (when given).
    func change(_ id: Int64, _ change: Change, expectedVersion: Int64?) throws -> DataTable {
        if let name = change.name { try NameRules.validate(name) }
        if let description = change.description { try NameRules.validate(description: description) }
        let (table, dataset) = try find(id)
        let added = try TableDefinition.columns(change.addColumns, field: "add_columns",
                                                existing: Set(table.columns.map { $0.name.lowercased() }))
        // Existing rows get NULL (or the default) in a new column, so it may not be required.
        if let index = added.firstIndex(where: { !$0.isNullable || $0.isPrimaryKey }) {
            throw TableDefinition.problem("add_columns.\(index).nullable", "must be true: existing rows have no value")
        }
        let renamed = try TableDefinition.renames(change.renameColumns, of: table.columns.map(\.name), adding: added.map(\.name))
        return try store.update(table, in: dataset, name: change.name, description: change.description,
                                addColumns: added, renameColumns: renamed, expectedVersion: expectedVersion)
    }

    /// A table from lines of `name type`, as the pages' form gives them; no lines makes an
    /// autodetect table.
    static func definition(name: String, columnLines: [String]) throws -> TableDefinition {
        try NameRules.validate(name)
        let inputs = try columnLines.enumerated().map { index, line -> TableDefinition.ColumnInput in
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2 else {
                throw DomainError.invalid("Line \(index + 1) must be a column name, a space and a type.",
                                          errors: [.init(field: "columns", message: "line \(index + 1) is not 'name type'")])
            }
            return TableDefinition.ColumnInput(name: parts[0], type: parts[1].replacingOccurrences(of: " ", with: ""))
        }
        return TableDefinition(name: name, description: nil, columns: try TableDefinition.columns(inputs, field: "columns"),
                               autodetect: inputs.isEmpty)
    }
}
