import MariaDB

/// The responder's access to MariaDB: a pool on the views-only account, leased per request
/// with the tenant and acting user set on the connection.
public final class Database: Sendable {
    public let pool: MariaDBPool

    public init(pool: MariaDBPool) {
        self.pool = pool
    }

    /// Runs `body` on a connection scoped to `tenantID` (views show only its rows) with
    /// `userID` as the actor history records. The pool resets the connection before the next
    /// lease, so neither value outlives this call.
    public func withTenant<T>(_ tenantID: Int64, userID: Int64?, _ body: (MariaDBConnection) throws -> T) throws -> T {
        try pool.withConnection { connection in
            try connection.execute("SET @dc_tenant = \(tenantID), @dc_user = \(userID)")
            return try body(connection)
        }
    }

    /// Like `withTenant`, inside a transaction.
    public func withTenantTransaction<T>(_ tenantID: Int64, userID: Int64?, _ body: (MariaDBConnection) throws -> T) throws -> T {
        try withTenant(tenantID, userID: userID) { connection in
            try connection.withTransaction(body)
        }
    }

    /// A round trip without a tenant: for `/readyz`.
    public func checkReachable() throws {
        try pool.withConnection { connection in
            _ = try connection.query("SELECT 1")
        }
    }
}
