/// How to reach and log in to a MariaDB server.
public struct MariaDBConfiguration: Sendable {
    /// Where the server listens.
    public enum Endpoint: Sendable, Equatable {
        case unixSocket(path: String)
        case tcp(host: String, port: Int)
    }

    public var endpoint: Endpoint
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

    public init(
        endpoint: Endpoint,
        user: String,
        password: String = "",
        database: String? = nil,
        connectTimeout: UInt32 = 3,
        readTimeout: UInt32 = 60,
        writeTimeout: UInt32 = 60,
        sessionSetup: [String] = [],
        allowsMultipleStatements: Bool = false,
        allowsLocalInfile: Bool = false,
        maxPacketBytes: UInt? = nil
    ) {
        self.endpoint = endpoint
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
    }
}
