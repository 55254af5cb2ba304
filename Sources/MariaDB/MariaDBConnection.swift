import CMariaDB
import Foundation

/// What a statement that returns no rows did.
public struct MariaDBExecuteResult: Sendable, Equatable {
    public let affectedRows: UInt64
    public let lastInsertID: UInt64
}

/// One connection to MariaDB. Not thread-safe: one thread uses it at a time (the pool sees to that).
///
/// Owns its `MYSQL` handle and a cache of prepared statements keyed by SQL text, so a repeated
/// statement costs one round trip (execute) instead of two (prepare + execute).
public final class MariaDBConnection: @unchecked Sendable {
    public let configuration: MariaDBConfiguration
    private var handle: UnsafeMutablePointer<MYSQL>?
    private var statements: [String: PreparedStatement] = [:]
    private static let statementCacheLimit = 128
    /// Set once an error showed the connection is gone; the pool then drops it.
    public private(set) var isBroken = false
    /// Set once a statement failed with a deadlock or a Galera certification failure (1213).
    /// On Galera the statement after one may fail with 1213 too although it conflicts with
    /// nothing (the brute-force abort of the transaction that already failed is delivered
    /// again, codership/mysql-wsrep#238 and #39; seen here as every retry of a lease failing
    /// at its first, read-only statement). The next statement on this connection is preceded
    /// by `absorbDeadlockEcho`; the pool closes a connection returned in this state instead of
    /// lending it again (the echo can also come late).
    public private(set) var mayEchoDeadlock = false
    /// The node this connection is on (one of `configuration.nodes`).
    public let node: MariaDBConfiguration.Endpoint
    /// Whether something this connection ran since `beginLease` may have been committed: a
    /// COMMIT, an autocommit write, DDL, a `CALL` not known to be read-only — succeeded, or sent
    /// and its answer lost. While false, everything it did dies with it (a transaction the server
    /// rolls back when the connection goes), so running the lease again on another node cannot
    /// write anything twice. `MariaDBPool` reads it to decide whether a failed lease may be retried.
    /// Kept only while a retryable lease is open on the thread (`RetryLedger.isActive`).
    public private(set) var mayHaveCommitted = false

    private static let libraryReady: Bool = CMariaDB_library_init() == 0

    private init(configuration: MariaDBConfiguration, handle: UnsafeMutablePointer<MYSQL>, node: MariaDBConfiguration.Endpoint) {
        self.configuration = configuration
        self.handle = handle
        self.node = node
    }

    /// Opens a connection (utf8mb4, timeouts, no auto-reconnect) and runs the session setup.
    ///
    /// With `fallbackEndpoints` (a Galera cluster's node list) it connects to the first usable
    /// node in the configured order: a node is usable when it answers and, if it runs Galera,
    /// says `wsrep_ready` = ON and `wsrep_local_state_comment` = Synced (a joining or donor node
    /// answers but refuses statements with 1047, or serves stale reads). One round trip after
    /// connecting, not per lease. A node that fails is skipped for a short while
    /// (`MariaDBNodeHealth`). Attempts stop at `deadline` (the pool's lease deadline): each
    /// one's connect timeout is cut to what is left, so a dead node never makes a lease wait
    /// past it.
    public static func connect(_ configuration: MariaDBConfiguration, deadline: Date? = nil) throws -> MariaDBConnection {
        guard configuration.hasFallbacks else {
            return try open(configuration, at: configuration.endpoint, connectTimeout: configuration.connectTimeout)
        }
        let health = MariaDBNodeHealth.shared
        var lastError: Error?
        let order = health.attemptOrder(configuration.nodes)
        for (index, node) in order.enumerated() {
            var timeout = configuration.connectTimeout
            if let deadline {
                // Each node gets its share of what is left, so a node that accepts the TCP
                // connection but never greets (a frozen process, a stalled host) cannot eat the
                // whole lease while a live node waits behind it. The client counts whole
                // seconds, so a share is at least one.
                let remaining = deadline.timeIntervalSinceNow
                if remaining < 0.25 { break }
                let share = remaining / Double(order.count - index)
                timeout = min(timeout, UInt32(max(1, share.rounded(.down))))
            }
            do {
                let connection = try openReady(configuration, at: node, connectTimeout: timeout)
                health.markUsable(node)
                return connection
            } catch {
                health.markFailed(node)
                lastError = error
            }
        }
        throw lastError ?? MariaDBError(code: 2003, sqlState: "HY000",
                                        message: "no database node could be tried before the lease deadline")
    }

    /// Connects to one node and checks that it is usable (see `connect`).
    static func openReady(_ configuration: MariaDBConfiguration, at node: MariaDBConfiguration.Endpoint,
                          connectTimeout: UInt32) throws -> MariaDBConnection {
        let connection = try open(configuration, at: node, connectTimeout: connectTimeout)
        do {
            try connection.checkNodeReady()
            return connection
        } catch {
            connection.close()
            throw error
        }
    }

    /// Galera's own readiness: `wsrep_on` = OFF (a plain server) is ready; a Galera node must
    /// be ready, Synced and not rejecting queries (`wsrep_reject_queries`, an operator taking it
    /// out for maintenance). Read from information_schema, which needs no privilege (dc_app and
    /// the per-project query accounts included) and gives NULL, not an error, for a variable
    /// the server does not have.
    func checkNodeReady() throws {
        let row = try query("""
            SELECT \
            (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_VARIABLES WHERE VARIABLE_NAME = 'WSREP_ON'), \
            (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'WSREP_READY'), \
            (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'WSREP_LOCAL_STATE_COMMENT'), \
            (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_VARIABLES WHERE VARIABLE_NAME = 'WSREP_REJECT_QUERIES')
            """).first
        guard let row else { return }
        let (on, ready, state, reject) = try row.decode((String?, String?, String?, String?).self)
        guard on?.uppercased() == "ON" else { return }
        guard ready?.uppercased() == "ON", state == "Synced", (reject ?? "NONE").uppercased() == "NONE" else {
            throw MariaDBError(code: 1047, sqlState: "08S01", message: "node \(node) is not ready: wsrep_ready=\(ready ?? "NULL"), "
                               + "state=\(state ?? "NULL"), wsrep_reject_queries=\(reject ?? "NULL")")
        }
    }

    private static func open(_ configuration: MariaDBConfiguration, at node: MariaDBConfiguration.Endpoint,
                             connectTimeout: UInt32) throws -> MariaDBConnection {
        precondition(libraryReady, "mysql_library_init failed")
        guard let mysql = mysql_init(nil) else {
            throw MariaDBError(code: 2008, sqlState: "HY000", message: "mysql_init: out of memory")
        }
        var connectTimeout = connectTimeout
        var readTimeout = configuration.readTimeout
        var writeTimeout = configuration.writeTimeout
        var reconnect: my_bool = 0
        mysql_options(mysql, MYSQL_OPT_CONNECT_TIMEOUT, &connectTimeout)
        mysql_options(mysql, MYSQL_OPT_READ_TIMEOUT, &readTimeout)
        mysql_options(mysql, MYSQL_OPT_WRITE_TIMEOUT, &writeTimeout)
        // A silent reconnect would drop the session (tenant, transaction) behind the caller's back.
        mysql_options(mysql, MYSQL_OPT_RECONNECT, &reconnect)
        mysql_options(mysql, MYSQL_SET_CHARSET_NAME, "utf8mb4")
        var flags: UInt = 0
        if configuration.allowsMultipleStatements { flags |= UInt(CLIENT_MULTI_STATEMENTS) }
        var localInfile: UInt32 = configuration.allowsLocalInfile ? 1 : 0
        mysql_options(mysql, MYSQL_OPT_LOCAL_INFILE, &localInfile)
        if var maxPacket = configuration.maxPacketBytes {
            mysql_options(mysql, MYSQL_OPT_MAX_ALLOWED_PACKET, &maxPacket)
        }
        let connected: UnsafeMutablePointer<MYSQL>?
        switch node {
        case .unixSocket(let path):
            var protocolType = UInt32(MYSQL_PROTOCOL_SOCKET.rawValue)
            mysql_options(mysql, MYSQL_OPT_PROTOCOL, &protocolType)
            connected = mysql_real_connect(
                mysql, "localhost", configuration.user, configuration.password,
                configuration.database, 0, path, flags)
        case .tcp(let host, let port):
            var protocolType = UInt32(MYSQL_PROTOCOL_TCP.rawValue)
            mysql_options(mysql, MYSQL_OPT_PROTOCOL, &protocolType)
            connected = mysql_real_connect(
                mysql, host, configuration.user, configuration.password,
                configuration.database, UInt32(port), nil, flags)
        }
        guard connected != nil else {
            let error = Self.error(of: mysql, sql: nil)
            mysql_close(mysql)
            throw error
        }
        let connection = MariaDBConnection(configuration: configuration, handle: mysql, node: node)
        do {
            try connection.applySessionSetup()
        } catch {
            connection.close()
            throw error
        }
        return connection
    }

    deinit {
        close()
    }

    /// Closes the connection and its statements. Safe to call twice.
    /// Gives the connection up mid-result (the pool then discards it): closing the socket is
    /// how a client stops a streamed result without reading it to the end.
    func abandon() {
        isBroken = true
        if let handle { mysql_close(handle) }
        handle = nil
    }

    public func close() {
        for statement in statements.values { statement.close() }
        statements.removeAll()
        if let handle { mysql_close(handle) }
        handle = nil
    }

    public var isClosed: Bool { handle == nil }

    /// Resets the session (`mysql_reset_connection`: user variables, temporary tables, open
    /// transaction, session variables all cleared), then re-applies the session setup.
    /// The reset also closes every server-side prepared statement, so the cache is emptied.
    public func reset() throws {
        let mysql = try live()
        for statement in statements.values { statement.close() }
        statements.removeAll()
        guard mysql_reset_connection(mysql) == 0 else { throw fail(mysql, sql: nil) }
        try applySessionSetup()
    }

    /// A round trip that proves the connection is alive.
    public func ping() throws {
        let mysql = try live()
        guard mysql_ping(mysql) == 0 else { throw fail(mysql, sql: nil) }
    }

    /// Whether the server reports an open transaction on this connection.
    public var isInTransaction: Bool {
        guard let handle else { return false }
        return handle.pointee.server_status & UInt32(SERVER_STATUS_IN_TRANS) != 0
    }

    /// Runs a statement that returns no rows.
    @discardableResult
    public func execute(_ query: SQLQuery) throws -> MariaDBExecuteResult {
        let statement = try prepared(query.sql)
        return try tracking(query.sql) {
            do {
                return try statement.execute(binds: query.binds)
            } catch let error as MariaDBError {
                throw noteFailure(error)
            }
        }
    }

    /// Runs a query and collects its rows.
    public func query(_ query: SQLQuery) throws -> [MariaDBRow] {
        var rows: [MariaDBRow] = []
        try self.query(query) { rows.append($0) }
        return rows
    }

    /// Runs a query and hands each row to `body` as it arrives (rows are not buffered), so
    /// results of any size stream in constant memory. `body` must not use this connection.
    public func query(_ query: SQLQuery, forEach body: (MariaDBRow) throws -> Void) throws {
        let statement = try prepared(query.sql)
        try tracking(query.sql) {
            do {
                try statement.query(binds: query.binds, forEach: body)
            } catch let error as MariaDBError {
                throw noteFailure(error)
            }
        }
    }

    /// Runs trusted text through the text protocol: statements that cannot be prepared
    /// (`START TRANSACTION READ ONLY`, some DDL). Results, if any, are discarded.
    public func executeText(_ unsafeSQL: String) throws {
        let mysql = try live()
        try tracking(unsafeSQL) {
            guard mysql_real_query(mysql, unsafeSQL, UInt(unsafeSQL.utf8.count)) == 0 else {
                throw fail(mysql, sql: unsafeSQL)
            }
            try drainResults(mysql, sql: unsafeSQL)
        }
    }

    /// Takes the echo of a deadlock (`mayEchoDeadlock`) on a statement that does nothing, before
    /// the next statement: a ROLLBACK, which ends nothing either (a 1213 rolled the whole
    /// transaction back), so a transaction run again on this connection (ConflictRetry, the
    /// rows API's retry, a heartbeat's next read) does not fail at its first statement. Costs
    /// a round trip after a deadlock only.
    private func absorbDeadlockEcho() {
        guard mayEchoDeadlock, !isBroken, let handle else { return }
        mayEchoDeadlock = false
        let rollback = "ROLLBACK"
        if mysql_real_query(handle, rollback, UInt(rollback.utf8.count)) == 0 {
            try? drainResults(handle, sql: rollback)
        } else {
            // The echo itself is what this is for; anything else (a lost connection) counts.
            let error = Self.error(of: handle, sql: rollback)
            if !error.isDeadlock { _ = noteFailure(error) }
        }
    }

    /// Starts a lease's account of commits (`mayHaveCommitted`); the pool calls it.
    func beginLease() {
        mayHaveCommitted = false
    }

    /// Runs a statement and notes whether it may have committed: when it succeeded, or when its
    /// answer was lost (the server may have committed before the connection went). A statement
    /// the server refused committed nothing.
    func tracking<T>(_ sql: String, _ run: () throws -> T) throws -> T {
        // Outside a retryable lease on this thread (one server, the worker) nobody asks, so
        // the hot path reads no statement's first word.
        guard RetryLedger.isActive else { return try run() }
        let commits: Bool
        switch StatementEffect.of(sql, readOnlyProcedures: configuration.readOnlyProcedures) {
        case .read: return try run()
        case .write: commits = !isInTransaction
        case .begin: commits = isInTransaction
        case .commit: commits = true
        }
        guard commits else { return try run() }
        do {
            let result = try run()
            mayHaveCommitted = true
            return result
        } catch let error as MariaDBError where error.isLostConnection {
            mayHaveCommitted = true
            throw error
        }
    }

    /// Runs a whole script of statements in one call; needs `allowsMultipleStatements`.
    /// Stops at the first failing statement and throws its error.
    public func executeScript(_ unsafeSQL: String) throws {
        precondition(configuration.allowsMultipleStatements, "executeScript needs allowsMultipleStatements")
        try executeText(unsafeSQL)
    }

    /// Runs `body` inside a transaction: committed when it returns, rolled back when it throws.
    public func withTransaction<T>(_ body: (MariaDBConnection) throws -> T) throws -> T {
        try executeText("START TRANSACTION")
        let result: T
        do {
            result = try body(self)
        } catch {
            if !isBroken { try? executeText("ROLLBACK") }
            throw error
        }
        try executeText("COMMIT")
        return result
    }

    func drainResults(_ mysql: UnsafeMutablePointer<MYSQL>, sql: String) throws {
        while true {
            if let result = mysql_store_result(mysql) { mysql_free_result(result) }
            else if mysql_errno(mysql) != 0 { throw fail(mysql, sql: sql) }
            let next = mysql_next_result(mysql)
            if next == -1 { return }
            if next > 0 { throw fail(mysql, sql: sql) }
        }
    }

    private func applySessionSetup() throws {
        for statement in configuration.sessionSetup { try executeText(statement) }
    }

    private func prepared(_ sql: String) throws -> PreparedStatement {
        // Through `live()` even for a cached statement: every statement passes it first.
        let mysql = try live()
        if let cached = statements[sql] { return cached }
        if statements.count >= Self.statementCacheLimit {
            for statement in statements.values { statement.close() }
            statements.removeAll()
        }
        do {
            let statement = try PreparedStatement(connection: mysql, sql: sql)
            statements[sql] = statement
            return statement
        } catch let error as MariaDBError {
            throw noteFailure(error)
        }
    }

    /// The handle, for a statement about to be sent: the one gate every statement passes
    /// (after a 1213 it first takes the echo, `absorbDeadlockEcho`).
    func live() throws -> UnsafeMutablePointer<MYSQL> {
        absorbDeadlockEcho()
        guard let handle, !isBroken else {
            throw MariaDBError(code: 2006, sqlState: "HY000", message: "connection is closed")
        }
        return handle
    }

    func fail(_ mysql: UnsafeMutablePointer<MYSQL>, sql: String?) -> MariaDBError {
        noteFailure(Self.error(of: mysql, sql: sql))
    }

    /// A lost connection or a node that refuses statements (1047, a Galera node that left the
    /// primary component) breaks the connection; the node is skipped for a while when there are
    /// others to use.
    func noteFailure(_ error: MariaDBError) -> MariaDBError {
        if error.isLostConnection || error.isNodeNotReady { isBroken = true }
        if error.isDeadlock { mayEchoDeadlock = true }
        if error.isNodeFailure && configuration.hasFallbacks { MariaDBNodeHealth.shared.markFailed(node) }
        return error
    }

    static func error(of mysql: UnsafeMutablePointer<MYSQL>, sql: String?) -> MariaDBError {
        MariaDBError(
            code: mysql_errno(mysql),
            sqlState: String(cString: mysql_sqlstate(mysql)),
            message: String(cString: mysql_error(mysql)),
            sql: sql)
    }
}
