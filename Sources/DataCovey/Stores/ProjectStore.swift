import Foundation
import MariaDB

/// A project as the API shows it.
public struct Project: JSONResource, Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let description: String?
    public let createdBy: Int64?
    public let version: Int64
    public let createdAt: Date
    public let updatedAt: Date

    public static let jsonFields: [JSONField<Project>] = [
        .field("created_at", \.createdAt), .field("created_by", \.createdBy), .field("description", \.description),
        .field("id", \.id), .field("name", \.name), .field("updated_at", \.updatedAt), .field("version", \.version),
    ]
}

/// Projects of the caller's tenant, through the `projects` view (so another tenant's ids simply
/// match nothing). The connection must already be scoped to the tenant.
struct ProjectStore {
    let connection: MariaDBConnection
    let tenantID: Int64

    private static let columns = "id, name, description, created_by, version, created_at, updated_at"

    private static func project(_ row: MariaDBRow) throws -> Project {
        let (id, name, description, createdBy, version, createdAt, updatedAt) =
            try row.decode((Int64, String, String?, Int64?, Int64, Date, Date).self)
        return Project(id: id, name: name, description: description, createdBy: createdBy, version: version,
                       createdAt: createdAt, updatedAt: updatedAt)
    }

    /// Up to `page.limit + 1` projects after the cursor, by id.
    func list(_ page: Page) throws -> [Project] {
        try connection.query("""
            SELECT \(unsafeRaw: Self.columns) FROM projects WHERE id > \(page.afterID ?? 0) ORDER BY id LIMIT \(page.limit + 1)
            """).map(Self.project)
    }

    func find(_ id: Int64) throws -> Project? {
        try connection.query("SELECT \(unsafeRaw: Self.columns) FROM projects WHERE id = \(id)").first.map(Self.project)
    }

    /// The caller's project, or not found: what every use case that works inside a project checks
    /// first (the view shows only the caller's tenant, so another tenant's id is not found too).
    func existing(_ id: Int64) throws -> Project {
        guard let project = try find(id) else { throw DomainError.notFound() }
        return project
    }

    func create(name: String, description: String?, createdBy: Int64) throws -> Project {
        do {
            let result = try connection.execute("""
                INSERT INTO projects (tenant_id, name, description, created_by)
                VALUES (\(tenantID), \(name), \(description), \(createdBy))
                """)
            guard let project = try find(Int64(result.lastInsertID)) else { throw DomainError.bug("created project vanished") }
            return project
        } catch let error as MariaDBError where error.isDuplicateKey {
            throw rows.nameTaken(name)
        }
    }

    /// Applies the given changes; `expectedVersion` (from If-Match) makes it conditional.
    func update(_ id: Int64, name: String?, description: String??, expectedVersion: Int64?) throws -> Project {
        var assignments: [SQLQuery] = []
        if let name { assignments.append("name = \(name)") }
        if let description { assignments.append("description = \(description)") }
        try rows.update(id, assignments, expectedVersion: expectedVersion, name: name)
        guard let project = try find(id) else { throw DomainError.notFound() }
        return project
    }

    private var rows: VersionedRows { VersionedRows(connection: connection, view: "projects", noun: "project") }
}
