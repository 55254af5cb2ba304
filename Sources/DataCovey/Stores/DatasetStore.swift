import Foundation
import MariaDB

/// A dataset as the API shows it (its physical database stays internal).
public struct Dataset: JSONResource, Sendable, Equatable {
    public let id: Int64
    public let projectID: Int64
    public let name: String
    public let description: String?
    public let createdBy: Int64?
    public let version: Int64
    public let createdAt: Date
    public let updatedAt: Date
    let dataDatabase: String?

    /// The JSON fields, in name order (see JSONResource).
    public static let jsonFields: [JSONField<Dataset>] = [
        .field("created_at", \.createdAt), .field("created_by", \.createdBy), .field("description", \.description),
        .field("id", \.id), .field("name", \.name), .field("project_id", \.projectID), .field("updated_at", \.updatedAt),
        .field("version", \.version),
    ]
}

/// Datasets of the caller's tenant, through the `datasets` view.
struct DatasetStore {
    let connection: MariaDBConnection
    let tenantID: Int64

    private static let columns = "id, project_id, name, description, created_by, version, created_at, updated_at, data_database"

    private static func dataset(_ row: MariaDBRow) throws -> Dataset {
        let (id, projectID, name, description, createdBy, version, createdAt, updatedAt, dataDatabase) =
            try row.decode((Int64, Int64, String, String?, Int64?, Int64, Date, Date, String?).self)
        return Dataset(id: id, projectID: projectID, name: name, description: description, createdBy: createdBy,
                       version: version, createdAt: createdAt, updatedAt: updatedAt, dataDatabase: dataDatabase)
    }

    /// A page of the project's datasets, or nil when the project is not the caller's. A page
    /// with datasets proves the project is the caller's (the view shows only their tenant), so
    /// only an empty page costs a second statement to tell "none" from "not yours". The index
    /// (tenant_id, project_id, id) returns the page in order, with no sort.
    func list(project: Int64, _ page: Page) throws -> [Dataset]? {
        let datasets = try connection.query("""
            SELECT \(unsafeRaw: Self.columns) FROM datasets
            WHERE project_id = \(project) AND id > \(page.afterID ?? 0) ORDER BY id LIMIT \(page.limit + 1)
            """).map(Self.dataset)
        guard datasets.isEmpty else { return datasets }
        return try ProjectStore(connection: connection, tenantID: tenantID).find(project) == nil ? nil : []
    }

    func find(_ id: Int64) throws -> Dataset? {
        try connection.query("SELECT \(unsafeRaw: Self.columns) FROM datasets WHERE id = \(id)").first.map(Self.dataset)
    }

    /// Creates the data database, then inserts the row; when the row is refused or its
    /// transaction surely did not commit, the database is dropped again, so no dataset exists
    /// without its database and, but for a lost answer, no database without its dataset.
    ///
    /// The DDL comes first, outside the row's transaction: on Galera it runs in total order on
    /// every node and waits for the write sets before it, and a transaction held open meanwhile
    /// keeps its locks (its history chain head on this node, sql/0026, and its rows) through that
    /// wait. The transaction then has nothing but rows: it runs again after a conflict (a write
    /// of the same rows on another node won certification), which the lease cannot once the DDL
    /// committed.
    func create(project: Int64, name: String, description: String?, createdBy: Int64, databases: DataDatabases) throws -> Dataset {
        let dataDatabase = DataDatabases.newName()
        try databases.create(dataDatabase)
        let id: Int64
        do {
            id = try connection.withTransaction(conflictRetries: MariaDBPool.conflictRetries) { connection, _ in
                // From the live project (see SavedQueryStore.create): none under a trashed one.
                let result = try connection.execute("""
                    INSERT INTO datasets (tenant_id, project_id, name, description, data_database, created_by)
                    SELECT \(tenantID), id, \(name), \(description), \(dataDatabase), \(createdBy) FROM projects WHERE id = \(project)
                    """)
                guard result.affectedRows == 1 else { throw DomainError.notFound() }
                return Int64(result.lastInsertID)
            }
        } catch {
            // After a lost answer the row may have committed: then the database stays.
            if !((error as? MariaDBError)?.isConnectionFailure ?? false) { try? databases.drop(dataDatabase) }
            throw Self.refusal(error, name: name, rows: rows)
        }
        guard let dataset = try find(id) else { throw DomainError.bug("created dataset vanished") }
        return dataset
    }

    private static func refusal(_ error: Error, name: String, rows: VersionedRows) -> Error {
        switch error {
        case let error as MariaDBError where error.isDuplicateKey: rows.nameTaken(name)
        case let error as MariaDBError where error.isForeignKeyViolation: DomainError.notFound()
        default: error
        }
    }

    func update(_ id: Int64, name: String?, description: String??, expectedVersion: Int64?) throws -> Dataset {
        var assignments: [SQLQuery] = []
        if let name { assignments.append("name = \(name)") }
        if let description { assignments.append("description = \(description)") }
        try rows.update(id, assignments, expectedVersion: expectedVersion, name: name)
        guard let dataset = try find(id) else { throw DomainError.notFound() }
        return dataset
    }

    private var rows: VersionedRows { VersionedRows(connection: connection, view: "datasets", noun: "dataset") }
}
