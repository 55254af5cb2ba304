import MariaDB

/// A project's datasets, their tables and columns, as the query editor's schema panel lists
/// them: what user SQL can name (`dataset.table`).
struct ProjectSchema {
    struct Entry {
        let dataset: Dataset
        let tables: [DataTable]
    }

    let entries: [Entry]

    /// Read through the tenant views: another tenant's project is not found.
    static func load(project: Int64, caller: Identity, connection: MariaDBConnection, databases: DataDatabases) throws -> ProjectSchema {
        let tables = TableOperations(caller: caller, connection: connection, databases: databases)
        let datasets = try DatasetStore(connection: connection, tenantID: caller.tenantID).list(project: project, Page(limit: Page.maximumLimit))
        guard let datasets else { throw DomainError.notFound() }
        return ProjectSchema(entries: try datasets.prefix(Page.maximumLimit).map { dataset in
            Entry(dataset: dataset, tables: Array(try tables.list(inDataset: dataset.id, Page(limit: Page.maximumLimit)).prefix(Page.maximumLimit)))
        })
    }
}
