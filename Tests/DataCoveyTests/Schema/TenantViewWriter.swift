import MariaDB

/// Creates one tenant's rows through the `datacovey_app` views, as the responder does, so a schema
/// test builds its parents (project → dataset → table) in one line each. The connection must be
/// the responder's, already scoped to `tenantID`.
struct TenantViewWriter {
    let connection: MariaDBConnection
    let tenantID: Int64

    func project(_ name: String) throws -> Int64 {
        try insert("INSERT INTO projects (tenant_id, name) VALUES (\(tenantID), \(name))")
    }

    func dataset(_ name: String, project: Int64) throws -> Int64 {
        try insert("INSERT INTO datasets (tenant_id, project_id, name) VALUES (\(tenantID), \(project), \(name))")
    }

    func table(_ name: String, dataset: Int64) throws -> Int64 {
        try insert("INSERT INTO dataset_tables (tenant_id, dataset_id, name) VALUES (\(tenantID), \(dataset), \(name))")
    }

    /// A table under a fresh project and dataset: the parent every job and column needs.
    func tableWithParents(_ name: String) throws -> Int64 {
        let project = try project("\(name)-project")
        return try table(name, dataset: try dataset("\(name)-dataset", project: project))
    }

    private func insert(_ query: SQLQuery) throws -> Int64 {
        Int64(try connection.execute(query).lastInsertID)
    }
}
