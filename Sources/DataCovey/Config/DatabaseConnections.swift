import MariaDB

/// The connection settings of each database account, all sharing the same session setup.
extension Configuration {
    /// Applied after connecting and after every pool reset: UTC timestamps, strict SQL.
    static let sessionSetup = [
        "SET time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'"
    ]

    /// Base table schema.
    public static let baseSchema = "datacovey"
    /// Schema of the tenant-scoped views the responder uses.
    public static let viewSchema = "datacovey_app"

    func databaseConfiguration(_ account: DatabaseAccount, database: String?, multipleStatements: Bool = false,
                               localInfile: Bool = false) -> MariaDBConfiguration {
        MariaDBConfiguration(
            endpoint: databaseEndpoint,
            user: account.user,
            password: account.password,
            database: database,
            connectTimeout: 3,
            readTimeout: UInt32(databaseTimeoutSeconds),
            writeTimeout: UInt32(databaseTimeoutSeconds),
            sessionSetup: Self.sessionSetup,
            allowsMultipleStatements: multipleStatements,
            allowsLocalInfile: localInfile)
    }

    /// The responder's connections: tenant views only.
    public var appDatabase: MariaDBConfiguration { databaseConfiguration(appAccount, database: Self.viewSchema) }
    /// Operators' connections (datacovey-admin): base tables.
    public var opsDatabase: MariaDBConfiguration { databaseConfiguration(opsAccount, database: Self.baseSchema) }
    /// Table DDL and row loading on the `dcd_*` databases.
    public var dataDatabase: MariaDBConfiguration { databaseConfiguration(dataAccount, database: nil) }
    /// The worker's connections: job rows and `LOAD DATA LOCAL INFILE` into the data databases
    /// (the file is a stream the worker itself produces; no path from a user is ever read).
    public var workerDatabase: MariaDBConfiguration {
        databaseConfiguration(workerAccount, database: Self.baseSchema, localInfile: true)
    }
    /// The superuser connection that applies migrations (scripts run whole).
    public var migrateDatabase: MariaDBConfiguration {
        databaseConfiguration(migrateAccount, database: nil, multipleStatements: true)
    }
}
