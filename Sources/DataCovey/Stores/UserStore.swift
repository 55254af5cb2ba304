import Foundation
import MariaDB

/// A member of the caller's tenant as tenant admins see it.
public struct TenantUser: JSONResource, Sendable, Equatable {
    public let id: Int64
    public let email: String
    public let name: String?
    public let role: String
    public let disabled: Bool
    /// The identity provider's subject; nil while the user is invited and has not signed in.
    public let sub: String?
    public let version: Int64
    public let createdAt: Date
    public let updatedAt: Date

    /// The JSON fields, in name order (see JSONResource).
    public static let jsonFields: [JSONField<TenantUser>] = [
        .field("created_at", \.createdAt), .field("disabled", \.disabled), .field("email", \.email), .field("id", \.id),
        .field("name", \.name), .field("role", \.role), .field("sub", \.sub), .field("updated_at", \.updatedAt),
        .field("version", \.version),
    ]
}

/// Users of the caller's tenant, through the `users` view.
struct UserStore {
    let connection: MariaDBConnection
    let tenantID: Int64

    private static let columns = "id, email, name, role, disabled, auth0_sub, version, created_at, updated_at"

    private static func user(_ row: MariaDBRow) throws -> TenantUser {
        let (id, email, name, role, disabled, sub, version, createdAt, updatedAt) =
            try row.decode((Int64, String, String?, String, Bool, String?, Int64, Date, Date).self)
        return TenantUser(id: id, email: email, name: name, role: role, disabled: disabled, sub: sub, version: version,
                          createdAt: createdAt, updatedAt: updatedAt)
    }

    func list(_ page: Page) throws -> [TenantUser] {
        try connection.query("""
            SELECT \(unsafeRaw: Self.columns) FROM users WHERE id > \(page.afterID ?? 0) ORDER BY id LIMIT \(page.limit + 1)
            """).map(Self.user)
    }

    func find(_ id: Int64) throws -> TenantUser? {
        try connection.query("SELECT \(unsafeRaw: Self.columns) FROM users WHERE id = \(id)").first.map(Self.user)
    }

    /// A user invited by e-mail: no subject until the first sign-in binds one. The only unique
    /// key this can meet is the tenant's own e-mails, so a 409 says nothing of other tenants.
    func invite(email: String, name: String, role: Role) throws -> TenantUser {
        do {
            let result = try connection.execute("""
                INSERT INTO users (tenant_id, auth0_sub, email, name, role)
                VALUES (\(tenantID), NULL, \(email), \(name), \(role.rawValue))
                """)
            guard let user = try find(Int64(result.lastInsertID)) else { throw DomainError.bug("created user vanished") }
            return user
        } catch let error as MariaDBError where error.isDuplicateKey {
            throw DomainError.conflict("A user with this e-mail already exists in this tenant.",
                                     errors: [.init(field: "email", message: "is already taken")])
        }
    }

    func update(_ id: Int64, _ assignments: [SQLQuery], expectedVersion: Int64?) throws -> TenantUser {
        do {
            try rows.update(id, assignments, expectedVersion: expectedVersion, name: nil)
        } catch let error as DomainError where error.kind == .conflict && !error.fields.isEmpty {
            throw DomainError.conflict("A user with this e-mail already exists.", errors: [.init(field: "email", message: "is already taken")])
        }
        guard let user = try find(id) else { throw DomainError.notFound() }
        return user
    }

    func delete(_ id: Int64, expectedVersion: Int64?) throws {
        try rows.delete(id, expectedVersion: expectedVersion,
                        whileReferenced: "The user created resources that keep their name; disable the user instead (PATCH disabled: true).")
    }

    private var rows: VersionedRows { VersionedRows(connection: connection, view: "users", noun: "user") }
}
