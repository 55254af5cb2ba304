import MariaDB

/// The connection settings of each database account, all sharing the same session setup.
extension Configuration {
    /// Applied after connecting and after every pool reset: UTC timestamps, strict SQL.
    static let sessionSetup = [sessionVariables]
    private static let sessionVariables =
        "SET time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'"

    /// Base table schema.
    public static let baseSchema = "datacovey"
    /// Schema of the tenant-scoped views the responder uses.
    public static let viewSchema = "datacovey_app"

    func databaseConfiguration(_ account: DatabaseAccount, database: String?, multipleStatements: Bool = false,
                               localInfile: Bool = false) -> MariaDBConfiguration {
        MariaDBConfiguration(
            endpoint: databaseEndpoint,
            fallbackEndpoints: databaseFallbackEndpoints,
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
    public var appDatabase: MariaDBConfiguration {
        var configuration = databaseConfiguration(appAccount, database: Self.viewSchema)
        configuration.readOnlyProcedures = Self.readOnlyProcedures
        return configuration
    }
    /// The responder's procedures that write nothing (0006, 0015: `READS SQL DATA`, session
    /// variables only), so the lease they begin stays repeatable on another node
    /// (`MariaDBPool.Retry`). begin_token_request counts the token's use and is not one.
    static let readOnlyProcedures: Set<String> = ["begin_request", "begin_web_request", "local_users"]
    /// Operators' connections (datacovey-admin): base tables.
    public var opsDatabase: MariaDBConfiguration { databaseConfiguration(opsAccount, database: Self.baseSchema) }
    /// The accounts that ALTER data tables (column edits, autodetection, restores of a table's
    /// definition) keep the rows' versions through it: MariaDB refuses an ALTER of a
    /// system-versioned table unless the session says KEEP (sql/0023). Only these accounts: user
    /// SQL never alters anything. One SET with the others: the setup runs again after every
    /// pooled connection's reset, i.e. on every lease, so a second statement would be a second
    /// round trip on every rows request.
    static let dataSessionSetup = [sessionVariables + ", system_versioning_alter_history = KEEP"]

    /// Table DDL and row loading on the `dcd_*` databases.
    public var dataDatabase: MariaDBConfiguration {
        var configuration = databaseConfiguration(dataAccount, database: nil)
        configuration.sessionSetup = Self.dataSessionSetup
        return configuration
    }
    /// The worker's connections: job rows and `LOAD DATA LOCAL INFILE` into the data databases
    /// (the file is a stream the worker itself produces; no path from a user is ever read).
    public var workerDatabase: MariaDBConfiguration {
        var configuration = databaseConfiguration(workerAccount, database: Self.baseSchema, localInfile: true)
        configuration.sessionSetup = Self.dataSessionSetup
        return configuration
    }
    /// User SQL: the per-project accounts fill in user and password. The read timeout is the
    /// client-side deadline, a second past the server's statement limit.
    public var queryDatabase: MariaDBConfiguration {
        var configuration = databaseConfiguration(DatabaseAccount(user: "", password: ""), database: nil)
        configuration.readTimeout = UInt32(queries.statementSeconds + 1)
        configuration.maxPacketBytes = UInt(queries.maxRowBytes)
        return configuration
    }
    /// A query's export, run by the worker on the project's account: the export's own limit.
    public var queryExportDatabase: MariaDBConfiguration {
        var configuration = queryDatabase
        configuration.readTimeout = UInt32(queries.exportStatementSeconds + 1)
        return configuration
    }
    /// The superuser connection that applies migrations (scripts run whole).
    /// Its reads may wait an hour: a migration that alters every data table takes as long as
    /// the tables make it, and giving up halfway helps nobody.
    public var migrateDatabase: MariaDBConfiguration {
        var configuration = databaseConfiguration(migrateAccount, database: nil, multipleStatements: true)
        configuration.readTimeout = max(configuration.readTimeout, 3600)
        return configuration
    }
}
