import MariaDB

/// The use cases of a tenant's members, for tenant admins through the API and the users page:
/// invitations by e-mail, changes, removal, and the rules that keep a tenant from locking
/// itself out (an admin cannot demote, disable or delete themselves).
struct UserOperations {
    let caller: Identity
    let connection: MariaDBConnection

    private var store: UserStore { UserStore(connection: connection, tenantID: caller.tenantID) }

    func list(_ page: Page) throws -> [TenantUser] { try store.list(page) }

    func user(_ id: Int64) throws -> TenantUser {
        guard let user = try store.find(id) else { throw DomainError.notFound() }
        return user
    }

    /// An invitation: the identity subject is bound at the person's first sign-in.
    func invite(email: String, name: String, role: String, disabled: Bool = false) throws -> TenantUser {
        var user = try store.invite(email: try UserRules.email(email), name: try UserRules.name(name), role: try UserRules.role(role))
        if disabled { user = try store.update(user.id, ["disabled = \(true)"], expectedVersion: nil) }
        return user
    }

    /// What a change asks for; absent parts stay.
    struct Change {
        var email: String?
        var name: String?
        var role: String?
        var disabled: Bool?
    }

    /// An API token's user row (0018) is the token's, not a person's: enabling it or changing
    /// its role would suggest a meaning it does not have (the token's own row decides), so it
    /// is managed through the token.
    private func refuseTokenUser(_ id: Int64) throws {
        guard let sub = try store.find(id)?.sub, sub.hasPrefix(APITokenSecret.userSubjectPrefix) else { return }
        throw DomainError.conflict("This user stands for an API token; revoke the token on the API tokens page instead.")
    }

    func change(_ id: Int64, _ change: Change, expectedVersion: Int64?) throws -> TenantUser {
        try refuseTokenUser(id)
        var assignments: [SQLQuery] = []
        if let email = change.email { assignments.append("email = \(try UserRules.email(email))") }
        if let name = change.name { assignments.append("name = \(try UserRules.name(name))") }
        if let role = change.role {
            let role = try UserRules.role(role)
            // An admin who demotes themselves could leave the tenant with nobody to undo it.
            if id == caller.userID && role != .admin {
                throw DomainError.conflict("You cannot lower your own role; ask another admin.")
            }
            assignments.append("role = \(role.rawValue)")
        }
        if let disabled = change.disabled {
            if id == caller.userID && disabled { throw DomainError.conflict("You cannot disable yourself; ask another admin.") }
            assignments.append("disabled = \(disabled)")
        }
        return try store.update(id, assignments, expectedVersion: expectedVersion)
    }

    func remove(_ id: Int64, expectedVersion: Int64?) throws {
        if id == caller.userID { throw DomainError.conflict("You cannot delete yourself; ask another admin.") }
        try refuseTokenUser(id)
        try store.delete(id, expectedVersion: expectedVersion)
    }
}
