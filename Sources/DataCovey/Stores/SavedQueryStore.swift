import Foundation
import MariaDB

/// A saved query as the API shows it.
struct SavedQuery: JSONResource, Sendable {
    let id: Int64
    let projectID: Int64
    let name: String
    let description: String?
    let sql: String
    let parameters: [QueryParameter]
    let createdBy: Int64?
    let version: Int64
    let createdAt: Date
    let updatedAt: Date

    /// The JSON fields, in name order (see JSONResource).
    static let jsonFields: [JSONField<SavedQuery>] = [
        .field("created_at", \.createdAt), .field("created_by", \.createdBy), .field("description", \.description),
        .field("id", \.id), .field("name", \.name), .field("parameters", \.parameters),
        .field("project_id", \.projectID), .field("sql", \.sql), .field("updated_at", \.updatedAt),
        .field("version", \.version),
    ]
}

/// Saved queries of the caller's tenant, through the `queries` view.
struct SavedQueryStore {
    let connection: MariaDBConnection
    let tenantID: Int64

    private static let columns = "id, project_id, name, description, sql_text, parameters, created_by, version, created_at, updated_at"

    private static func query(_ row: MariaDBRow) throws -> SavedQuery {
        let (id, projectID, name, description, sql, parameters, createdBy, version, createdAt, updatedAt) =
            try row.decode((Int64, Int64, String, String?, String, String?, Int64?, Int64, Date, Date).self)
        let declared = try QueryParameter.list(stored: parameters)
        return SavedQuery(id: id, projectID: projectID, name: name, description: description, sql: sql,
                          parameters: declared, createdBy: createdBy, version: version,
                          createdAt: createdAt, updatedAt: updatedAt)
    }

    /// A page of the project's saved queries, or nil when the project is not the caller's.
    func list(project: Int64, _ page: Page) throws -> [SavedQuery]? {
        let queries = try connection.query("""
            SELECT \(unsafeRaw: Self.columns) FROM queries
            WHERE project_id = \(project) AND id > \(page.afterID ?? 0) ORDER BY id LIMIT \(page.limit + 1)
            """).map(Self.query)
        guard queries.isEmpty else { return queries }
        return try ProjectStore(connection: connection, tenantID: tenantID).find(project) == nil ? nil : []
    }

    func find(_ id: Int64) throws -> SavedQuery? {
        try connection.query("SELECT \(unsafeRaw: Self.columns) FROM queries WHERE id = \(id)").first.map(Self.query)
    }

    static func parametersJSON(_ parameters: [QueryParameter]) throws -> String {
        String(decoding: try JSON.encode(parameters), as: UTF8.self)
    }

    func create(project: Int64, name: String, description: String?, sql: String,
                parameters: [QueryParameter], createdBy: Int64) throws -> SavedQuery {
        do {
            // INSERT … SELECT from the live project (locking read): a project being moved to the
            // trash meanwhile is waited for and then matches nothing, so no query is created
            // under a trashed project.
            let result = try connection.execute("""
                INSERT INTO queries (tenant_id, project_id, name, description, sql_text, parameters, created_by)
                SELECT \(tenantID), id, \(name), \(description), \(sql), \(try Self.parametersJSON(parameters)), \(createdBy)
                  FROM projects WHERE id = \(project)
                """)
            guard result.affectedRows == 1 else { throw DomainError.notFound() }
            guard let query = try find(Int64(result.lastInsertID)) else { throw DomainError.bug("created query vanished") }
            return query
        } catch let error as MariaDBError where error.isDuplicateKey {
            throw rows.nameTaken(name)
        } catch let error as MariaDBError where error.isForeignKeyViolation {
            throw DomainError.notFound()
        }
    }

    func update(_ id: Int64, name: String?, description: String??, sql: String?, parameters: [QueryParameter]?,
                expectedVersion: Int64?) throws -> SavedQuery {
        var assignments: [SQLQuery] = []
        if let name { assignments.append("name = \(name)") }
        if let description { assignments.append("description = \(description)") }
        if let sql { assignments.append("sql_text = \(sql)") }
        if let parameters { assignments.append("parameters = \(try Self.parametersJSON(parameters))") }
        try rows.update(id, assignments, expectedVersion: expectedVersion, name: name)
        guard let query = try find(id) else { throw DomainError.notFound() }
        return query
    }

    private var rows: VersionedRows { VersionedRows(connection: connection, view: "queries", noun: "query") }
}
