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

    /// A duplicate value in a unique index (ER_DUP_ENTRY 1062, ER_DUP_KEY 1022).
    public var isDuplicateKey: Bool { code == 1062 || code == 1022 || code == 1586 }
    /// A deadlock was detected and the transaction rolled back (1213), or a lock wait timed out (1205).
    public var isDeadlock: Bool { code == 1213 }
    /// A lock wait timed out (1205).
    public var isLockWaitTimeout: Bool { code == 1205 }
    /// A write through a view broke its `WITH CHECK OPTION` (1369): for tenant views, another tenant's row.
    public var isCheckOptionFailed: Bool { code == 1369 }
    /// A row references a parent that does not exist (1452) or is still referenced (1451).
    public var isForeignKeyViolation: Bool { code == 1452 || code == 1451 || code == 1216 || code == 1217 }
    /// The account may not touch this table (1142) or database (1044).
    public var isAccessDenied: Bool { code == 1142 || code == 1044 || code == 1045 || code == 1143 || code == 1227 }
    /// The statement ran past `max_statement_time` (1969) or was interrupted (1317).
    public var isStatementTimeout: Bool { code == 1969 || code == 1317 || code == 3024 }
    /// A packet from the server was larger than the client's `maxPacketBytes` (CR_NET_PACKET_TOO_LARGE
    /// 2020); the connection cannot be used after it.
    public var isPacketTooLarge: Bool { code == 2020 }
    /// The connection is gone: server restarted, network failed, or the server could not be reached.
    public var isLostConnection: Bool {
        switch code {
        case 2002, 2003, 2006, 2013, 2026, 2055, 1053, 1927, 4031: true
        default: false
        }
    }

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
