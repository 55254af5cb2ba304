import Foundation
import MariaDB

/// An API token as its tenant's admins see it: never the secret, only its first characters.
public struct APIToken: JSONResource, Sendable, Equatable {
    public let id: Int64
    public let name: String
    /// `dct_` and the secret's next 8 characters.
    public let prefix: String
    public let role: String
    /// The user row the token acts as: its id is `changed_by` in the history of its writes.
    public let userID: Int64
    public let createdBy: Int64
    public let createdAt: Date
    public let expiresAt: Date
    public let revokedAt: Date?
    public let revokedBy: Int64?
    public let lastUsedAt: Date?
    /// Requests made with it, all time.
    public let uses: Int64
    /// `active`, `expired` or `revoked`, as the database's clock says.
    public let state: String
    public let version: Int64

    /// The JSON fields, in name order (see JSONResource).
    public static let jsonFields: [JSONField<APIToken>] = [
        .field("created_at", \.createdAt), .field("created_by", \.createdBy), .field("expires_at", \.expiresAt),
        .field("id", \.id), .field("last_used_at", \.lastUsedAt), .field("name", \.name), .field("prefix", \.prefix),
        .field("revoked_at", \.revokedAt), .field("revoked_by", \.revokedBy), .field("role", \.role),
        .field("state", \.state), .field("user_id", \.userID), .field("uses", \.uses), .field("version", \.version),
    ]
}

/// A token just made: the one answer that carries its secret.
public struct CreatedAPIToken: JSONResource, Sendable {
    public let token: APIToken
    public let secret: String

    public static let jsonFields: [JSONField<CreatedAPIToken>] = [
        .field("created_at", \.token.createdAt), .field("created_by", \.token.createdBy),
        .field("expires_at", \.token.expiresAt), .field("id", \.token.id), .field("last_used_at", \.token.lastUsedAt),
        .field("name", \.token.name), .field("prefix", \.token.prefix), .field("revoked_at", \.token.revokedAt),
        .field("revoked_by", \.token.revokedBy), .field("role", \.token.role), .field("secret", \.secret),
        .field("state", \.token.state), .field("user_id", \.token.userID), .field("uses", \.token.uses),
        .field("version", \.token.version),
    ]
}

/// The tenant's API tokens, through the `api_tokens` view (0018). Tokens are made and revoked,
/// never edited or deleted (the account may update only `revoked_at` and `revoked_by`).
struct APITokenStore {
    let connection: MariaDBConnection
    let tenantID: Int64

    private static let columns = """
        k.id, k.name, k.token_prefix, k.role, k.user_id, k.created_by, k.created_at, k.expires_at, k.revoked_at,
        k.revoked_by, (SELECT MAX(x.last_used_at) FROM api_token_uses x WHERE x.token_id = k.id),
        (SELECT CAST(COALESCE(SUM(x.uses), 0) AS SIGNED) FROM api_token_uses x WHERE x.token_id = k.id),
        CASE WHEN k.revoked_at IS NOT NULL THEN 'revoked' WHEN k.expires_at <= UTC_TIMESTAMP(6) THEN 'expired'
             ELSE 'active' END, k.version
        """

    private static func token(_ row: MariaDBRow) throws -> APIToken {
        let (id, name, prefix, role, userID, createdBy, createdAt, expiresAt, revokedAt, revokedBy, lastUsedAt, uses, state, version) =
            try row.decode((Int64, String, String, String, Int64, Int64, Date, Date, Date?, Int64?, Date?, Int64, String, Int64).self)
        return APIToken(id: id, name: name, prefix: prefix, role: role, userID: userID, createdBy: createdBy, createdAt: createdAt,
                        expiresAt: expiresAt, revokedAt: revokedAt, revokedBy: revokedBy, lastUsedAt: lastUsedAt, uses: uses,
                        state: state, version: version)
    }

    func list(_ page: Page) throws -> [APIToken] {
        try connection.query("""
            SELECT \(unsafeRaw: Self.columns) FROM api_tokens k WHERE k.id > \(page.afterID ?? 0) ORDER BY k.id LIMIT \(page.limit + 1)
            """).map(Self.token)
    }

    func find(_ id: Int64) throws -> APIToken? {
        try connection.query("SELECT \(unsafeRaw: Self.columns) FROM api_tokens k WHERE k.id = \(id)").first.map(Self.token)
    }

    /// Makes the token and the user row it acts as, together. That row is disabled and its
    /// subject is one no identity provider issues, so it can never sign in (see 0018); its
    /// name says which token it is wherever the audit log or a `created_by` shows it.
    func create(name: String, role: Role, expiresAt: MariaDBDateTime, secret: APITokenSecret, createdBy: Int64) throws -> APIToken {
        let id = try connection.withTransaction { connection in
            let user = try connection.execute("""
                INSERT INTO users (tenant_id, auth0_sub, email, name, role, disabled)
                VALUES (\(tenantID), \(secret.userSubject), \(secret.userEmail), \("API token: " + name), \(role.rawValue), \(true))
                """)
            return try connection.execute("""
                INSERT INTO api_tokens (tenant_id, name, token_prefix, token_hash, role, user_id, expires_at, created_by)
                VALUES (\(tenantID), \(name), \(secret.shown), \(secret.hash), \(role.rawValue), \(Int64(user.lastInsertID)),
                        \(expiresAt), \(createdBy))
                """).lastInsertID
        }
        guard let token = try find(Int64(id)) else { throw DomainError.bug("created API token vanished") }
        return token
    }

    /// Revokes a live token; false when it was already revoked (the first revocation stands).
    func revoke(_ id: Int64, by userID: Int64) throws -> Bool {
        try connection.execute("""
            UPDATE api_tokens SET revoked_at = UTC_TIMESTAMP(6), revoked_by = \(userID) WHERE id = \(id) AND revoked_at IS NULL
            """).affectedRows == 1
    }
}
