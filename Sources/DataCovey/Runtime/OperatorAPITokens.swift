import Foundation
import MariaDB

/// Operators' view of a tenant's API tokens (`datacovey-admin api-token`): list them and revoke
/// one, e.g. when a secret leaked and the tenant's admins cannot be reached. On the operators'
/// connection, which reads the base tables, so every statement names the tenant itself. A
/// revocation here is versioned by the triggers like any other, with no acting user and
/// db_user `dc_ops`.
public struct OperatorAPITokens {
    let connection: MariaDBConnection

    public struct Token: Sendable, Equatable {
        public let id: Int64
        public let name: String
        public let prefix: String
        public let role: String
        public let state: String
        public let expiresAt: Date
        public let lastUsedAt: Date?
    }

    public func list(tenant: TenantDirectory.Tenant) throws -> [Token] {
        try connection.query("""
            SELECT k.id, k.name, k.token_prefix, k.role,
                   CASE WHEN k.revoked_at IS NOT NULL THEN 'revoked' WHEN k.expires_at <= UTC_TIMESTAMP(6) THEN 'expired'
                        ELSE 'active' END,
                   k.expires_at, (SELECT MAX(x.last_used_at) FROM datacovey.api_token_uses x WHERE x.token_id = k.id)
              FROM datacovey.api_tokens k WHERE k.tenant_id = \(tenant.id) ORDER BY k.id
            """).map { row in
            let (id, name, prefix, role, state, expiresAt, lastUsedAt) =
                try row.decode((Int64, String, String, String, String, Date, Date?).self)
            return Token(id: id, name: name, prefix: prefix, role: role, state: state, expiresAt: expiresAt, lastUsedAt: lastUsedAt)
        }
    }

    public enum Failure: Error, CustomStringConvertible {
        case noSuchToken(Int64, tenant: String)
        public var description: String {
            switch self {
            case .noSuchToken(let id, let tenant): "tenant \(tenant) has no API token \(id)"
            }
        }
    }

    /// Revokes the tenant's token `id`; false when it was revoked already.
    public func revoke(tenant: TenantDirectory.Tenant, id: Int64) throws -> Bool {
        let exists = try connection.query("""
            SELECT 1 FROM datacovey.api_tokens WHERE tenant_id = \(tenant.id) AND id = \(id)
            """).first != nil
        guard exists else { throw Failure.noSuchToken(id, tenant: tenant.name) }
        try connection.execute("SET @dc_tenant = \(tenant.id), @dc_user = NULL")
        return try connection.execute("""
            UPDATE datacovey.api_tokens SET revoked_at = UTC_TIMESTAMP(6)
             WHERE tenant_id = \(tenant.id) AND id = \(id) AND revoked_at IS NULL
            """).affectedRows == 1
    }
}

extension OperatorTasks {
    /// Runs `body` with a tenant's API tokens on an operators' connection.
    public func withAPITokens<T>(_ body: (TenantDirectory, OperatorAPITokens) throws -> T) throws -> T {
        let connection = try MariaDBConnection.connect(configuration.opsDatabase)
        defer { connection.close() }
        return try body(TenantDirectory(connection: connection), OperatorAPITokens(connection: connection))
    }
}
