/// The signed-in user as the database knows them: the row the token's `sub` names.
public struct Identity: Sendable, Equatable {
    public let userID: Int64
    public let tenantID: Int64
    public let tenantName: String
    public let email: String
    public let name: String
    /// The effective role: the user's role, lowered (never raised) by the token's roles.
    public let role: Role
    /// The API token the request came with (issue 18); nil for a person (Auth0 or a session).
    /// The user row is then the token's own, and the role the token's.
    public var tokenID: Int64? = nil

    /// Whether a person, not a program, is acting: some things (making tokens) need one.
    public var isPerson: Bool { tokenID == nil }

    /// Auth0 may narrow what a user can do (a token minted with fewer roles) but never widen it:
    /// the database row is the authority on the tenant's roles.
    static func effectiveRole(stored: Role, tokenRoles: [String]) -> Role {
        let granted = tokenRoles.compactMap { Role(rawValue: $0) }
        guard let highest = granted.max() else { return stored }
        return min(stored, highest)
    }
}

extension Identity {
    /// The identity of a `begin_request` row, with the token's roles applied.
    init?(_ row: IdentityRow, tokenRoles: [String]) {
        guard let stored = Role(rawValue: row.role) else { return nil }
        self.init(userID: row.userID, tenantID: row.tenantID, tenantName: row.tenantName, email: row.email,
                  name: row.name, role: Self.effectiveRole(stored: stored, tokenRoles: tokenRoles))
    }

    /// The identity of a `begin_token_request` row: the token's user, with the token's own role.
    init?(apiToken row: IdentityRow, tokenID: Int64) {
        guard let role = Role(rawValue: row.role) else { return nil }
        self.init(userID: row.userID, tenantID: row.tenantID, tenantName: row.tenantName, email: row.email,
                  name: row.name, role: role, tokenID: tokenID)
    }
}
