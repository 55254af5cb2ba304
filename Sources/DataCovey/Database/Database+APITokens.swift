import MariaDB

/// API tokens through the DEFINER procedure of 0018: the secret's hash goes in, the token's
/// identity comes out, and the connection is scoped to its tenant in the same round trip.
extension Database {
    /// Scopes a connection to a live API token's tenant and user (`begin_token_request`, which
    /// also counts the use); `body` gets nil and an unscoped connection for an unknown, expired
    /// or revoked token or a disabled tenant.
    func withAPIToken<T>(hash: [UInt8], isRepeatable: () -> Bool = { true },
                         _ body: (Identity?, MariaDBConnection) throws -> T) throws -> T {
        // The procedure clears every session variable before it reads anything, so it can be the
        // lease's first statement (as begin_request is): one round trip. It counts the use in
        // autocommit, so the lease is never run again after it (MariaDBPool.Retry).
        try pool.withConnection(retry: leaseRetry, isRepeatable: isRepeatable) { connection in
            let row = try connection.query("CALL begin_token_request(\(hash))").first
            let identity = try row.flatMap { row in
                Identity(apiToken: try IdentityRow(row), tokenID: try row.decode(Int64.self, at: 6))
            }
            return try body(identity, connection)
        }
    }
}
