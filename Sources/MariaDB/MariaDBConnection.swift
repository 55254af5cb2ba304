import CMariaDB

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

    private static let libraryReady: Bool = CMariaDB_library_init() == 0

    private init(configuration: MariaDBConfiguration, handle: UnsafeMutablePointer<MYSQL>) {
        self.configuration = configuration
        self.handle = handle
    }

    /// Opens a connection (utf8mb4, timeouts, no auto-reconnect) and runs the session setup.
    public static func connect(_ configuration: MariaDBConfiguration) throws -> MariaDBConnection {
        precondition(libraryReady, "mysql_library_init failed")
        guard let mysql = mysql_init(nil) else {
            throw MariaDBError(code: 2008, sqlState: "HY000", message: "mysql_init: out of memory")
        }
        var connectTimeout = configuration.connectTimeout
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
        switch configuration.endpoint {
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
        let connection = MariaDBConnection(configuration: configuration, handle: mysql)
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
        do {
            return try statement.execute(binds: query.binds)
        } catch let error as MariaDBError {
            throw noteFailure(error)
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
        do {
            try statement.query(binds: query.binds, forEach: body)
        } catch let error as MariaDBError {
            throw noteFailure(error)
        }
    }

    /// Runs trusted text through the text protocol: statements that cannot be prepared
    /// (`START TRANSACTION READ ONLY`, some DDL). Results, if any, are discarded.
    public func executeText(_ unsafeSQL: String) throws {
        let mysql = try live()
        guard mysql_real_query(mysql, unsafeSQL, UInt(unsafeSQL.utf8.count)) == 0 else {
            throw fail(mysql, sql: unsafeSQL)
        }
        try drainResults(mysql, sql: unsafeSQL)
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
        if let cached = statements[sql] { return cached }
        let mysql = try live()
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

    func live() throws -> UnsafeMutablePointer<MYSQL> {
        guard let handle, !isBroken else {
            throw MariaDBError(code: 2006, sqlState: "HY000", message: "connection is closed")
        }
        return handle
    }

    func fail(_ mysql: UnsafeMutablePointer<MYSQL>, sql: String?) -> MariaDBError {
        noteFailure(Self.error(of: mysql, sql: sql))
    }

    func noteFailure(_ error: MariaDBError) -> MariaDBError {
        if error.isLostConnection { isBroken = true }
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
