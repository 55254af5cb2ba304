import Foundation
import MariaDB

/// Operators' view of tenants and their users, across tenants, on the base tables.
/// Only `datacovey-admin` uses it (the operators' account); the responder never can.
public struct TenantDirectory {
    let connection: MariaDBConnection

    public init(connection: MariaDBConnection) {
        self.connection = connection
    }

    public struct Tenant: Sendable, Equatable, Encodable {
        public let id: Int64
        public let name: String
        public let isDisabled: Bool

        enum CodingKeys: String, CodingKey { case id, name, isDisabled = "disabled" }
    }

    public struct User: Sendable, Equatable, Encodable {
        public let id: Int64
        public let tenant: String
        public let email: String
        public let name: String
        public let role: Role
        public let isDisabled: Bool
        /// nil for an invitation that has not signed in yet.
        public let subject: String?

        enum CodingKeys: String, CodingKey { case id, tenant, email, name, role, isDisabled = "disabled", subject }
    }

    /// Why an operator's command was refused.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case invalidName(String)
        case tenantExists(String)
        case noSuchTenant(String)
        case userExists(String)
        case invalidEmail(String)
        case noSuchUser(String)
        case ambiguousUser(String, tenants: [String])

        public var description: String {
            switch self {
            case .invalidName(let name): "'\(name)' is not a valid tenant name: use 1–64 lower-case letters, digits, '-' or '_', starting with a letter"
            case .tenantExists(let name): "a tenant named '\(name)' already exists"
            case .noSuchTenant(let name): "there is no tenant named '\(name)'"
            case .userExists(let email): "a user with e-mail or subject of '\(email)' already exists"
            case .invalidEmail(let email): "'\(email)' is not an e-mail address"
            case .noSuchUser(let email): "no user with e-mail \(email)"
            case .ambiguousUser(let email, let tenants): "\(email) exists in several tenants (\(tenants.joined(separator: ", "))); add --tenant"
            }
        }
    }

    static func isValidTenantName(_ name: String) -> Bool {
        guard let first = name.utf8.first, (0x61...0x7A).contains(first), name.utf8.count <= 64 else { return false }
        return name.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D || $0 == 0x5F }
    }

    @discardableResult
    public func createTenant(name: String, displayName: String? = nil) throws -> Tenant {
        guard Self.isValidTenantName(name) else { throw Failure.invalidName(name) }
        do {
            let result = try connection.execute(
                "INSERT INTO tenants (name, display_name) VALUES (\(name), \(displayName ?? name))")
            return Tenant(id: Int64(result.lastInsertID), name: name, isDisabled: false)
        } catch let error as MariaDBError where error.isDuplicateKey {
            throw Failure.tenantExists(name)
        }
    }

    public func tenants() throws -> [Tenant] {
        try connection.query("SELECT id, name, disabled FROM tenants ORDER BY name").map { row in
            let (id, name, disabled) = try row.decode((Int64, String, Bool).self)
            return Tenant(id: id, name: name, isDisabled: disabled)
        }
    }

    public func tenant(named name: String) throws -> Tenant {
        let rows = try connection.query("SELECT id, name, disabled FROM tenants WHERE name = \(name)")
        guard let row = rows.first else { throw Failure.noSuchTenant(name) }
        let (id, found, disabled) = try row.decode((Int64, String, Bool).self)
        return Tenant(id: id, name: found, isDisabled: disabled)
    }

    public func setTenantDisabled(_ name: String, _ disabled: Bool) throws {
        let tenant = try tenant(named: name)
        try connection.execute("UPDATE tenants SET disabled = \(disabled) WHERE id = \(tenant.id)")
    }

    /// Adds a user; the Auth0 subject defaults to `local|<email>` for the development issuer.
    @discardableResult
    public func addUser(tenant tenantName: String, email: String, name: String, role: Role, subject: String? = nil) throws -> User {
        let tenant = try tenant(named: tenantName)
        guard UserRules.isEmail(email) else { throw Failure.invalidEmail(email) }
        let subject = subject ?? "local|\(email.lowercased())"
        do {
            let result = try connection.execute("""
                INSERT INTO users (tenant_id, auth0_sub, email, name, role)
                VALUES (\(tenant.id), \(subject), \(email.lowercased()), \(name), \(role.rawValue))
                """)
            return User(id: Int64(result.lastInsertID), tenant: tenant.name, email: email.lowercased(), name: name,
                        role: role, isDisabled: false, subject: subject)
        } catch let error as MariaDBError where error.isDuplicateKey {
            throw Failure.userExists(email)
        }
    }

    public func users(tenant tenantName: String? = nil) throws -> [User] {
        var query: SQLQuery = """
            SELECT u.id, t.name, u.email, u.name, u.role, u.disabled, u.auth0_sub
            FROM users u JOIN tenants t ON t.id = u.tenant_id
            """
        if let tenantName { query.append(" WHERE t.name = \(tenantName)") }
        query.append(" ORDER BY t.name, u.email")
        return try connection.query(query).map { row in
            let (id, tenant, email, name, role, disabled, subject) = try row.decode((Int64, String, String, String?, String, Bool, String?).self)
            return User(id: id, tenant: tenant, email: email, name: name ?? "",
                        role: Role(rawValue: role) ?? .viewer, isDisabled: disabled, subject: subject)
        }
    }

    /// The one user with `email`, in `tenant` when given (e-mails are unique per tenant only).
    public func user(email: String, tenant: String?) throws -> User {
        let matches = try users(tenant: tenant).filter { $0.email == email.lowercased() }
        guard let user = matches.first else { throw Failure.noSuchUser(email) }
        guard matches.count == 1 else { throw Failure.ambiguousUser(email, tenants: matches.map(\.tenant)) }
        return user
    }

    /// Binds `subject` to an invited user (operators only; tenant admins never set subjects).
    public func bindSubject(userID: Int64, subject: String) throws {
        try connection.execute("UPDATE users SET auth0_sub = \(subject) WHERE id = \(userID) AND auth0_sub IS NULL")
    }

    public func setRole(email: String, tenant: String?, role: Role) throws {
        let user = try user(email: email, tenant: tenant)
        try connection.execute("UPDATE users SET role = \(role.rawValue) WHERE id = \(user.id)")
    }

    public func setUserDisabled(email: String, tenant: String?, _ disabled: Bool) throws {
        let user = try user(email: email, tenant: tenant)
        try connection.execute("UPDATE users SET disabled = \(disabled) WHERE id = \(user.id)")
    }
}
