import MariaDB

/// The use cases of API tokens (issue 18), for tenant admins through the API and the tokens
/// page: make one (its secret is answered once), list them, revoke one.
///
/// Only a person manages tokens. A token that could make tokens could outlive its own expiry
/// and revocation by minting a successor, so an admin-role token is refused here (403).
struct APITokenOperations {
    let caller: Identity
    let connection: MariaDBConnection

    private var store: APITokenStore { APITokenStore(connection: connection, tenantID: caller.tenantID) }

    private func requirePerson() throws {
        guard caller.isPerson else { throw DomainError.forbidden("API tokens cannot manage API tokens; sign in as an admin.") }
    }

    func list(_ page: Page) throws -> [APIToken] {
        try requirePerson()
        return try store.list(page)
    }

    func token(_ id: Int64) throws -> APIToken {
        try requirePerson()
        guard let token = try store.find(id) else { throw DomainError.notFound() }
        return token
    }

    /// A new token with `role` (any role up to the caller's, which is admin here), valid until
    /// `expiresAt`. The answer is the only place its secret ever appears.
    func create(name: String, role: String, expiresAt: String) throws -> CreatedAPIToken {
        try requirePerson()
        let name = try APITokenRules.name(name)
        let role = try UserRules.role(role)
        guard role <= caller.role else { throw DomainError.forbidden("A token cannot have a role above yours.") }
        let expiry = try APITokenRules.expiry(expiresAt)
        let secret = APITokenSecret.make()
        let token = try store.create(name: name, role: role, expiresAt: expiry, secret: secret, createdBy: caller.userID)
        return CreatedAPIToken(token: token, secret: secret.text)
    }

    /// Revokes the token: its next request is refused. Revoking a revoked token changes
    /// nothing and is no error (a retried DELETE answers the same).
    func revoke(_ id: Int64) throws {
        try requirePerson()
        guard try store.find(id) != nil else { throw DomainError.notFound() }
        _ = try store.revoke(id, by: caller.userID)
    }
}
