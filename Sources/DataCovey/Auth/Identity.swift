import MariaDB

/// The signed-in user as the database knows them: the row the token's `sub` names.
public struct Identity: Sendable, Equatable {
    public let userID: Int64
    public let tenantID: Int64
    public let tenantName: String
    public let email: String
    public let name: String
    /// The effective role: the user's role, lowered (never raised) by the token's roles.
    public let role: RequestContext.Role

    /// Looks up the enabled user of an enabled tenant named by `subject`, through the
    /// `identities` view (which shows at most the one row `@dc_subject` names).
    static func find(subject: String, tokenRoles: [String], on connection: MariaDBConnection) throws -> Identity? {
        try connection.execute("SET @dc_subject = \(subject)")
        let rows = try connection.query("""
            SELECT user_id, tenant_id, tenant_name, email, name, role, user_disabled, tenant_disabled
            FROM identities
            """)
        guard let row = rows.first else { return nil }
        let (userID, tenantID, tenantName, email, name, roleName, userDisabled, tenantDisabled) =
            try row.decode((Int64, Int64, String, String, String, String, Bool, Bool).self)
        guard !userDisabled, !tenantDisabled, let stored = RequestContext.Role(rawValue: roleName) else { return nil }
        return Identity(userID: userID, tenantID: tenantID, tenantName: tenantName, email: email, name: name,
                        role: effectiveRole(stored: stored, tokenRoles: tokenRoles))
    }

    /// Auth0 may narrow what a user can do (a token minted with fewer roles) but never widen it:
    /// the database row is the authority on the tenant's roles.
    static func effectiveRole(stored: RequestContext.Role, tokenRoles: [String]) -> RequestContext.Role {
        let granted = tokenRoles.compactMap { RequestContext.Role(rawValue: $0) }
        guard let highest = granted.max() else { return stored }
        return min(stored, highest)
    }
}
