/// How to reach and log in to a MariaDB server (or one of several nodes of a Galera cluster).
public struct MariaDBConfiguration: Sendable {
    /// Where the server listens.
    public enum Endpoint: Sendable, Hashable, CustomStringConvertible {
        case unixSocket(path: String)
        case tcp(host: String, port: Int)

        public var description: String {
            switch self {
            case .unixSocket(let path): path
            case .tcp(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
            }
        }
    }

    /// The preferred node, and the only one without `fallbackEndpoints`.
    public var endpoint: Endpoint
    /// The other nodes of a cluster, in the order they are tried when the preferred one is not
    /// usable (see `MariaDBConnection.connect`). Empty for a single server: no node check then,
    /// and nothing differs from a plain connection.
    public var fallbackEndpoints: [Endpoint]
    public var user: String
    public var password: String
    /// The default database, if any.
    public var database: String?
    /// Seconds to wait for a connection (libmariadb's `MYSQL_OPT_CONNECT_TIMEOUT`).
    public var connectTimeout: UInt32
    /// Seconds a single read or write may block before the connection counts as lost.
    public var readTimeout: UInt32
    public var writeTimeout: UInt32
    /// Trusted statements run after connecting and after every reset (the reset sets session
    /// variables back to global values, SECURITY rule 5), e.g. `SET time_zone = '+00:00'`.
    public var sessionSetup: [String]
    /// Allows `executeScript` (several statements in one call). Only for migrations, never for
    /// anything that touches user input (SECURITY rule 8).
    public var allowsMultipleStatements: Bool
    /// Allows `LOAD DATA LOCAL INFILE`, whose data comes only from a `LocalInfileSource` the
    /// caller installs: the server can never make this client read a file by name.
    public var allowsLocalInfile: Bool
    /// The largest packet this client accepts from the server (`MYSQL_OPT_MAX_ALLOWED_PACKET`), so
    /// one result row can never make it allocate more; nil keeps the library's default (1 GiB).
    /// A larger row fails the statement (`isPacketTooLarge`) and breaks the connection.
    public var maxPacketBytes: UInt?
    /// Stored procedures (lower-case names, without schema) known to write nothing, so a `CALL`
    /// of one does not make a lease unrepeatable (`MariaDBConnection.mayHaveCommitted`). Any
    /// other `CALL` counts as a commit: a procedure may write, or run DDL that commits.
    public var readOnlyProcedures: Set<String>

    public init(
        endpoint: Endpoint,
        fallbackEndpoints: [Endpoint] = [],
        user: String,
        password: String = "",
        database: String? = nil,
        connectTimeout: UInt32 = 3,
        readTimeout: UInt32 = 60,
        writeTimeout: UInt32 = 60,
        sessionSetup: [String] = [],
        allowsMultipleStatements: Bool = false,
        allowsLocalInfile: Bool = false,
        maxPacketBytes: UInt? = nil,
        readOnlyProcedures: Set<String> = []
    ) {
        self.endpoint = endpoint
        self.fallbackEndpoints = fallbackEndpoints
        self.user = user
        self.password = password
        self.database = database
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.writeTimeout = writeTimeout
        self.sessionSetup = sessionSetup
        self.allowsMultipleStatements = allowsMultipleStatements
        self.allowsLocalInfile = allowsLocalInfile
        self.maxPacketBytes = maxPacketBytes
        self.readOnlyProcedures = readOnlyProcedures
    }

    /// Every node, preferred first.
    public var nodes: [Endpoint] { [endpoint] + fallbackEndpoints }

    /// Whether there is more than one node to choose from (a cluster's node list).
    public var hasFallbacks: Bool { !fallbackEndpoints.isEmpty }
}
