import Crypto
import Foundation
import MariaDB

/// The per-project MariaDB accounts user SQL runs under (`dcq_<project id>`, sql/0011).
///
/// Passwords are derived, not stored: HMAC-SHA256 of the account name under the
/// `DATACOVEY_QUERY_ACCOUNT_SECRET`, so no table holds a credential a tenant view could leak,
/// and a responder that knows the secret can always repair an account (`sync`).
struct QueryAccounts: Sendable {
    let settings: QuerySettings

    static func user(project: Int64) -> String { "dcq_\(project)" }

    /// Refuses to work with an empty secret: every password would be the same public value.
    private func key() throws -> SymmetricKey {
        guard !settings.accountSecret.isEmpty else {
            throw DomainError.unavailable("Queries are not configured on this server (DATACOVEY_QUERY_ACCOUNT_SECRET is unset).",
                                        retryAfterSeconds: 60)
        }
        return SymmetricKey(data: Data(settings.accountSecret.utf8))
    }

    func password(project: Int64) throws -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data(Self.user(project: project).utf8), using: try key())
        return code.map { String(format: "%02x", $0) }.joined()
    }

    /// `*` and the upper-case hex of SHA1(SHA1(password)): what `IDENTIFIED BY PASSWORD` takes,
    /// so the clear password never travels in a statement (or a log of one).
    static func nativePasswordHash(_ password: String) -> String {
        let inner = Insecure.SHA1.hash(data: Data(password.utf8))
        let outer = Insecure.SHA1.hash(data: Data(inner))
        return "*" + outer.map { String(format: "%02X", $0) }.joined()
    }

    /// Creates or repairs the project's account: password, limits, and SELECT on exactly the
    /// project's data databases. `connection` must be scoped to the project's tenant and not in
    /// a transaction (account statements commit implicitly).
    func sync(project: Int64, on connection: MariaDBConnection) throws {
        let hash = Self.nativePasswordHash(try password(project: project))
        try connection.execute("""
            CALL datacovey_app.sync_query_account(\(project), \(hash), \(settings.connectionsPerProject), \
            \(settings.queriesPerHour), \(settings.statementSeconds))
            """)
    }

    /// Grants the project's account SELECT on one new dataset's data database: one GRANT,
    /// where `sync` revokes and grants every dataset of the project again (each a statement
    /// that a Galera cluster runs in total order on every node, sql/0027). When the account
    /// is missing, or the grant fails for any other reason, the full `sync` makes it.
    func grant(dataset: Int64, project: Int64, on connection: MariaDBConnection) throws {
        do {
            try connection.execute("CALL datacovey_app.grant_query_dataset(\(dataset))")
        } catch {
            try sync(project: project, on: connection)
        }
    }

    /// The worker's connections see base tables, not the tenant views: it scopes itself to the
    /// job's tenant for the call, as the procedure requires, and unscopes after.
    func sync(project: Int64, tenant: Int64, onWorkerConnection connection: MariaDBConnection) throws {
        try connection.execute("SET @dc_tenant = \(tenant)")
        defer { _ = try? connection.execute("SET @dc_tenant = NULL") }
        try sync(project: project, on: connection)
    }

    /// Drops the account of a project that has just been deleted.
    func drop(project: Int64, on connection: MariaDBConnection) throws {
        try connection.execute("CALL datacovey_app.drop_query_account(\(project))")
    }
}
