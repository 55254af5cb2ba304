import MariaDB

/// The responder's access to MariaDB: a pool on the views-only account whose every lease
/// starts by scoping the session — to a tenant and acting user, or to nothing.
///
/// With several database nodes (`DATACOVEY_DB_HOSTS`) every lease here opts in to
/// `MariaDBPool.Retry.whenSafe` (`leaseRetry`; with one server nothing changes): a request whose
/// node died under it (or whose transaction lost a deadlock or Galera's certification) is run
/// again on a fresh connection as long as nothing of it can have committed. The pool tracks
/// commits on this connection and on any other pool's lease nested in it (the data account's
/// DDL), and the callers pass `isRepeatable`, which turns false once the request's body has been
/// streamed somewhere (an upload to a file: it cannot be read twice); a JSON or form body read
/// whole is kept in memory and read again (`Request.bufferedBody`). Responses stream after the
/// lease is back, so a retry never repeats bytes sent to the client. A request that cannot be
/// retried answers 503 (`Application.problem`).
///
/// The pool does not reset connections (`.scopedByCaller`): every lease here begins with one
/// statement that overwrites each session variable the views and triggers read (@dc_tenant,
/// @dc_user, @dc_subject), so no lease can see what the previous one set. The account cannot
/// create temporary tables and runs only this code's SQL, so those variables and an open
/// transaction (rolled back by the pool) are the whole session state there is.
public final class Database: Sendable {
    /// Internal, not private: the procedures that scope a lease themselves (begin_request,
    /// begin_token_request) run as its first statement, without a separate reset.
    let pool: MariaDBPool
    private let nodeProbe = CachedAnswer<(configured: Int, usable: Int)>()

    public init(pool: MariaDBPool) {
        self.pool = pool
    }

    /// `.whenSafe` on a cluster, where another node can take the lease; `.never` with one
    /// server, whose behaviour stays as it always was (a lost connection answers 503).
    var leaseRetry: MariaDBPool.Retry { pool.configuration.hasFallbacks ? .whenSafe : .never }

    /// A pool configured for the responder's account.
    public static func responderPool(_ configuration: Configuration, maxConnections: Int? = nil,
                                     leaseTimeoutMilliseconds: Int? = nil) -> MariaDBPool {
        MariaDBPool(configuration: configuration.appDatabase,
                    maxConnections: maxConnections ?? configuration.poolSize,
                    leaseTimeout: .milliseconds(leaseTimeoutMilliseconds ?? configuration.leaseTimeoutMilliseconds),
                    reuse: .scopedByCaller)
    }

    /// Runs `body` on a connection scoped to `tenantID` (views show only its rows) with
    /// `userID` as the actor history records.
    public func withTenant<T>(_ tenantID: Int64, userID: Int64?, isRepeatable: () -> Bool = { true },
                              _ body: (MariaDBConnection) throws -> T) throws -> T {
        try pool.withConnection(retry: leaseRetry, isRepeatable: isRepeatable) { connection in
            try connection.execute("SET @dc_tenant = \(tenantID), @dc_user = \(userID), @dc_subject = NULL")
            return try body(connection)
        }
    }

    /// Runs `body` on a connection scoped to no tenant: every view is empty.
    public func withoutTenant<T>(isRepeatable: () -> Bool = { true }, _ body: (MariaDBConnection) throws -> T) throws -> T {
        try pool.withConnection(retry: leaseRetry, isRepeatable: isRepeatable) { connection in
            try connection.execute("SET @dc_tenant = NULL, @dc_user = NULL, @dc_subject = NULL")
            return try body(connection)
        }
    }

    /// Looks up the enabled user an Auth0 `sub` names and, in the same round trip, scopes the
    /// connection to their tenant (`begin_request`); `body` gets nil and an unscoped connection
    /// for an unknown or disabled user.
    public func withSubject<T>(_ subject: String, isRepeatable: () -> Bool = { true },
                               _ body: (IdentityRow?, MariaDBConnection) throws -> T) throws -> T {
        try pool.withConnection(retry: leaseRetry, isRepeatable: isRepeatable) { connection in
            let row = try connection.query("CALL begin_request(\(subject))").first.map(IdentityRow.init)
            return try body(row, connection)
        }
    }

    /// A round trip without a tenant, for `/readyz`: how many job workers are alive (0021).
    public func liveWorkers() throws -> Int {
        try withoutTenant { connection in
            try connection.query("SELECT live_workers()").first?.decode(Int.self, at: 0) ?? 0
        }
    }

    /// How many database nodes are configured and usable (`/readyz`): a probe of every node at
    /// most once a second, in parallel (at most one connect timeout); between probes, and
    /// while another thread probes, the last answer. A single server is the node that just
    /// answered the caller's own round trip: (1, 1), no probe.
    public func databaseNodes() -> (configured: Int, usable: Int) {
        guard pool.configuration.hasFallbacks else { return (1, 1) }
        return nodeProbe.answer(maxAge: 1) { pool.probeNodes() }
    }

    /// Closes the pool's connections.
    public func shutDown() {
        pool.shutDown()
    }
}

/// A user row as `begin_request` returns it.
public struct IdentityRow: Sendable {
    public let userID: Int64
    public let tenantID: Int64
    public let tenantName: String
    public let email: String
    public let name: String
    public let role: String

    init(_ row: MariaDBRow) throws {
        (userID, tenantID, tenantName, email, name, role) = try row.decode((Int64, Int64, String, String, String, String).self)
    }
}
