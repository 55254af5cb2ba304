/// An error from MariaDB or from the client library, with the server's code and SQLSTATE.
///
/// `description` is redacted (code and state only), so an error that reaches a log line or a page never
/// carries SQL text or server messages; `debugDescription` has everything for the operator's log.
public struct MariaDBError: Error, CustomStringConvertible, CustomDebugStringConvertible, Sendable {
    /// The server (1xxx) or client (2xxx) error number; 0 for errors raised by this module.
    public let code: UInt32
    /// The five-character SQLSTATE (`23000`, `40001`, `HY000`, …).
    public let sqlState: String
    /// The message from the server or client library. Never show it to end users.
    public let message: String
    /// The SQL text involved, if any. Never show it to end users.
    public let sql: String?

    public init(code: UInt32, sqlState: String, message: String, sql: String? = nil) {
        self.code = code
        self.sqlState = sqlState
        self.message = message
        self.sql = sql
    }

    // Classifiers, so that callers name what went wrong instead of comparing numbers. Each doc
    // lists every code it matches (server codes from MariaDB 10.11's errmsg-utf8.txt, client
    // codes from Connector/C's errmsg.h).

    /// A duplicate value in a unique index: ER_DUP_ENTRY 1062, ER_DUP_KEY 1022,
    /// ER_DUP_ENTRY_WITH_KEY_NAME 1586.
    public var isDuplicateKey: Bool { code == 1062 || code == 1022 || code == 1586 }
    /// A deadlock was detected and the transaction rolled back: ER_LOCK_DEADLOCK 1213 (on a
    /// Galera node also a certification failure, or a brute-force abort by a replicated write
    /// set: "Deadlock: wsrep aborted transaction"). Also a trigger "that has an error in its
    /// body" (seen as 1064 "Trigger '?' has an error in its body" on 10.11 with Galera): the
    /// brute-force abort landed while the server was reading the trigger, so the read failed
    /// and the transaction was rolled back like after a 1213. Our triggers come from the
    /// migrations and parse: that error can only be the abort, and a retry is what cures it.
    public var isDeadlock: Bool { code == 1213 || message.contains("has an error in its body") }
    /// The server could not commit and rolled the transaction back: ER_ERROR_DURING_COMMIT 1180
    /// (on a Galera node that left the cluster's primary component while committing).
    public var isCommitRefused: Bool { code == 1180 }
    /// A lock wait timed out: ER_LOCK_WAIT_TIMEOUT 1205 (only the statement is rolled back).
    public var isLockWaitTimeout: Bool { code == 1205 }
    /// A write through a view broke its `WITH CHECK OPTION`: ER_VIEW_CHECK_FAILED 1369. For
    /// tenant views, another tenant's row.
    public var isCheckOptionFailed: Bool { code == 1369 }
    /// A row references a parent that does not exist or is still referenced: 1452, 1451
    /// (ER_NO_REFERENCED_ROW_2, ER_ROW_IS_REFERENCED_2) and their older forms 1216, 1217.
    public var isForeignKeyViolation: Bool { code == 1452 || code == 1451 || code == 1216 || code == 1217 }
    /// The account may not do this: table (1142), column (1143), database (1044), login
    /// (1045), a privilege such as SUPER (1227), a routine (1370).
    public var isAccessDenied: Bool { [1142, 1143, 1044, 1045, 1227, 1370].contains(code) }
    /// The account may not use this table: ER_TABLEACCESS_DENIED_ERROR 1142.
    public var isTableAccessDenied: Bool { code == 1142 }
    /// The server refused the login: ER_ACCESS_DENIED_ERROR 1045 (unknown user or wrong password).
    public var isLoginRefused: Bool { code == 1045 }
    /// The table does not exist: ER_NO_SUCH_TABLE 1146.
    public var isTableMissing: Bool { code == 1146 }
    /// The account is over one of its resource limits (MAX_QUERIES_PER_HOUR and the like):
    /// ER_USER_LIMIT_REACHED 1226.
    public var isResourceLimitReached: Bool { code == 1226 }
    /// The statement ran past `max_statement_time` (ER_STATEMENT_TIMEOUT 1969; 3024 is MySQL's
    /// number for it) or was killed (ER_QUERY_INTERRUPTED 1317).
    public var isStatementTimeout: Bool { code == 1969 || code == 1317 || code == 3024 }
    /// The server refused a value in strict mode, so no row was written: out of range (1264),
    /// truncated (1265), an incorrect date, time or number (1292, 1366), too long for the column
    /// (1406), invalid JSON (3140), or a CHECK constraint such as `JSON_VALID` failed (4025).
    public var isValueRejected: Bool { [1264, 1265, 1292, 1366, 1406, 3140, 4025].contains(code) }
    /// The connection broke while a statement was running: CR_SERVER_LOST 2013, CR_SERVER_GONE_ERROR
    /// 2006. Also what Connector/C reports for a row larger than its packet limit, and for its
    /// own read timeout.
    public var isLostDuringQuery: Bool { code == 2013 || code == 2006 }
    /// The server refused the statement itself (server codes 1000–1999 and 4000–4999: syntax,
    /// unknown names, types, limits), as opposed to the client library's own failures (2000–2999).
    public var isFromServer: Bool { (1000...1999).contains(code) || (4000...4999).contains(code) }
    /// A packet from the server was larger than the client's `maxPacketBytes` (CR_NET_PACKET_TOO_LARGE
    /// 2020); the connection cannot be used after it.
    public var isPacketTooLarge: Bool { code == 2020 }
    /// The connection is gone or was never made: server restarted (1053 ER_SERVER_SHUTDOWN,
    /// 1927 ER_CONNECTION_KILLED, 4031 idle timeout), network failed (2006, 2013, 2026, 2055), or
    /// the server could not be reached (2002, 2003).
    public var isLostConnection: Bool {
        switch code {
        case 2002, 2003, 2006, 2013, 2026, 2055, 1053, 1927, 4031: true
        default: false
        }
    }

    /// A Galera node refused the statement because it is not part of the primary component or
    /// not yet synced: ER_UNKNOWN_COM_ERROR 1047 ("WSREP has not yet prepared node for
    /// application use"). Nothing ran; the connection is given up and the node skipped.
    public var isNodeNotReady: Bool { code == 1047 }
    /// The node itself is gone or unusable, not just this connection: it could not be reached
    /// (2002, 2003), the connection broke (2006, 2013, 2026, 2055), it is shutting down (1053),
    /// or it is not ready (1047). A killed connection (1927) or an idle timeout (4031) is not.
    public var isNodeFailure: Bool {
        switch code {
        case 2002, 2003, 2006, 2013, 2026, 2055, 1053, 1047: true
        default: false
        }
    }
    /// The statement failed because its connection or node went away: worth running the lease
    /// again on another connection, if nothing of it may have committed (`MariaDBPool.Retry`).
    public var isConnectionFailure: Bool { isLostConnection || isNodeNotReady }

    public var description: String { "MariaDB error \(code) (\(sqlState))" }

    public var debugDescription: String {
        var text = "MariaDB error \(code) (\(sqlState)): \(message)"
        if let sql { text += " — SQL: \(sql)" }
        return text
    }
}

/// Failures of the pool, distinct from errors of a statement.
public enum MariaDBPoolError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No connection became free within the lease timeout.
    case leaseTimeout
    /// The pool has been shut down.
    case shutDown

    public var description: String {
        switch self {
        case .leaseTimeout: "no database connection became free within the lease timeout"
        case .shutDown: "the connection pool is shut down"
        }
    }
}
