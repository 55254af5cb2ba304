import Foundation
import Logging
import MariaDB

/// Everything the processes read from their environment, with the documented defaults
/// (README "Configuration" lists the same names).
public struct Configuration: Sendable {
    /// Run directory: sockets, pid files, logs, data files (`DATACOVEY_RUN_DIR`, default `./run`).
    public var runDirectory: String
    /// Directory for uploads and exports (`DATACOVEY_DATA_DIR`, default `$RUN_DIR/data`).
    public var dataDirectory: String
    /// Where MariaDB is (`DATACOVEY_DB_SOCKET`, or `DATACOVEY_DB_HOST` + `DATACOVEY_DB_PORT` for TCP),
    /// or the first node of `DATACOVEY_DB_HOSTS`.
    public var databaseEndpoint: MariaDBConfiguration.Endpoint
    /// The other nodes of a Galera cluster, after `databaseEndpoint` in the order they are
    /// preferred (`DATACOVEY_DB_HOSTS=host:port,host:port,…`; empty without it). Every pool and
    /// one-off connection of every process uses the first usable node of the list; list the
    /// nodes in a different order on each application host to spread them over the cluster.
    public var databaseFallbackEndpoints: [MariaDBConfiguration.Endpoint] = []
    /// The responder's account (`DATACOVEY_DB_USER`, default `dc_app`; `DATACOVEY_DB_PASSWORD`).
    public var appAccount: DatabaseAccount
    /// The data account for table DDL and loading (`DATACOVEY_DATA_DB_USER`/`_PASSWORD`, default `dc_data`).
    public var dataAccount: DatabaseAccount
    /// The operators' account used by `datacovey-admin` (`DATACOVEY_OPS_DB_USER`/`_PASSWORD`, default `dc_ops`).
    public var opsAccount: DatabaseAccount
    /// The job worker (`dc_worker`): job rows across tenants and the data databases, one
    /// connection for both so an import commits its rows with its state.
    public var workerAccount: DatabaseAccount
    /// The superuser that applies migrations (`DATACOVEY_MIGRATE_DB_USER`/`_PASSWORD`, default `root`
    /// with no password: unix-socket authentication).
    public var migrateAccount: DatabaseAccount
    /// The host part of the service accounts `migrate` sets up (`DATACOVEY_DB_ACCOUNT_HOST`,
    /// default `localhost`: clients on the database host only), e.g. `10.0.0.%`.
    public var databaseAccountHost: String = "localhost"
    /// Days a data table's past versions stay readable (`as_of`, row history, restore) when
    /// the tenant has no retention of its own (`DATACOVEY_TIME_TRAVEL_DAYS`, default 30);
    /// `datacovey-admin maintenance` purges older ones.
    public var timeTravelDays: Int = 30
    /// Pooled connections per responder process (`DATACOVEY_POOL_SIZE`, default: one per
    /// FastCGI thread, since a request holds at most one; fewer makes threads queue for them).
    public var poolSize: Int
    /// How long a request waits for a free connection before answering 503
    /// (`DATACOVEY_POOL_LEASE_TIMEOUT_MS`, default 2000).
    public var leaseTimeoutMilliseconds: Int
    /// Seconds a database read or write may block (`DATACOVEY_DB_TIMEOUT`, default 30).
    public var databaseTimeoutSeconds: Int
    /// Responder socket (`DATACOVEY_FCGI_SOCKET`, default `$RUN_DIR/fcgi.sock`; `fd:N` for an inherited one).
    public var fastCGIListen: String
    /// Responder threads (`DATACOVEY_FCGI_THREADS`, default 8). Requests wait on the database,
    /// not the CPU, but on 2 cores 16 threads only queued in the scheduler: at 32 connections
    /// the datasets list's p99 went from 16 ms (8 threads) to 25 ms at the same throughput.
    public var fastCGIThreads: Int
    /// Largest request body in bytes (`DATACOVEY_MAX_BODY_BYTES`, default 1 GiB).
    public var maxBodyBytes: Int
    /// `trace`…`critical` (`DATACOVEY_LOG_LEVEL`, default `info`).
    public var logLevel: Logger.Level
    /// Token issuer and keys (Auth0 or the development issuer).
    public var auth: AuthSettings
    /// How the job worker runs jobs.
    public var jobs: JobSettings
    /// Limits and credentials of user SQL.
    public var queries: QuerySettings
    /// Days a deleted project, dataset, table or saved query stays in the trash, restorable.
    public var trashRetentionDays: Int
    /// Days older versions stay in the history (`DATACOVEY_HISTORY_RETENTION_DAYS`); nil (the
    /// default) keeps every version: the history is the audit trail, and shortening it is an
    /// operator's decision.
    public var historyRetentionDays: Int?
    /// Browser sign-in and sessions.
    public var web: WebSettings

    /// A setting whose value cannot be used.
    public struct InvalidSetting: Error, CustomStringConvertible {
        public let name: String
        public let value: String
        public let expected: String
        public var description: String { "\(name)=\(value) is invalid: expected \(expected)" }
    }

    /// Reads the configuration; an unusable value is an error naming the variable.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Configuration {
        let reader = EnvironmentReader(environment)
        let runDirectory = reader.string("DATACOVEY_RUN_DIR", default: "run")
        var endpoint: MariaDBConfiguration.Endpoint
        var fallbackEndpoints: [MariaDBConfiguration.Endpoint] = []
        if let hosts = environment["DATACOVEY_DB_HOSTS"], !hosts.isEmpty {
            let nodes = try Self.databaseNodes(hosts)
            endpoint = nodes[0]
            fallbackEndpoints = Array(nodes.dropFirst())
        } else if let host = environment["DATACOVEY_DB_HOST"], !host.isEmpty {
            endpoint = .tcp(host: host, port: try reader.int("DATACOVEY_DB_PORT", default: 3306, in: 1...65535))
        } else {
            endpoint = .unixSocket(path: reader.string("DATACOVEY_DB_SOCKET", default: "\(runDirectory)/mariadb/mariadb.sock"))
        }
        let accountHost = reader.string("DATACOVEY_DB_ACCOUNT_HOST", default: "localhost")
        guard ServiceAccounts.isValidHost(accountHost) else {
            throw InvalidSetting(name: "DATACOVEY_DB_ACCOUNT_HOST", value: accountHost,
                                 expected: "a MariaDB account host such as localhost, 10.0.0.% or app1.internal")
        }
        var configuration = Configuration(
            runDirectory: runDirectory,
            dataDirectory: reader.string("DATACOVEY_DATA_DIR", default: "\(runDirectory)/data"),
            databaseEndpoint: endpoint,
            appAccount: DatabaseAccount(
                user: reader.string("DATACOVEY_DB_USER", default: "dc_app"),
                password: reader.string("DATACOVEY_DB_PASSWORD", default: "")),
            dataAccount: DatabaseAccount(
                user: reader.string("DATACOVEY_DATA_DB_USER", default: "dc_data"),
                password: reader.string("DATACOVEY_DATA_DB_PASSWORD", default: "")),
            opsAccount: DatabaseAccount(
                user: reader.string("DATACOVEY_OPS_DB_USER", default: "dc_ops"),
                password: reader.string("DATACOVEY_OPS_DB_PASSWORD", default: "")),
            workerAccount: DatabaseAccount(
                user: reader.string("DATACOVEY_WORKER_DB_USER", default: "dc_worker"),
                password: reader.string("DATACOVEY_WORKER_DB_PASSWORD", default: "")),
            migrateAccount: DatabaseAccount(
                user: reader.string("DATACOVEY_MIGRATE_DB_USER", default: "root"),
                password: reader.string("DATACOVEY_MIGRATE_DB_PASSWORD", default: "")),
            poolSize: try reader.int("DATACOVEY_POOL_SIZE", default: try reader.int("DATACOVEY_FCGI_THREADS", default: 8, in: 1...1024),
                                     in: 1...1000),
            leaseTimeoutMilliseconds: try reader.int("DATACOVEY_POOL_LEASE_TIMEOUT_MS", default: 2000, in: 1...600_000),
            databaseTimeoutSeconds: try reader.int("DATACOVEY_DB_TIMEOUT", default: 30, in: 1...3600),
            fastCGIListen: reader.string("DATACOVEY_FCGI_SOCKET", default: "\(runDirectory)/fcgi.sock"),
            fastCGIThreads: try reader.int("DATACOVEY_FCGI_THREADS", default: 8, in: 1...1024),
            maxBodyBytes: try reader.int("DATACOVEY_MAX_BODY_BYTES", default: 1 << 30, in: 1...(1 << 40)),
            logLevel: try reader.logLevel("DATACOVEY_LOG_LEVEL", default: .info),
            auth: try AuthSettings.read(environment, runDirectory: runDirectory),
            jobs: JobSettings(
                slots: try reader.int("DATACOVEY_WORKER_SLOTS", default: 2, in: 1...64),
                leaseSeconds: try reader.int("DATACOVEY_JOB_LEASE_SECONDS", default: 30, in: 2...3600),
                maxAttempts: try reader.int("DATACOVEY_JOB_MAX_ATTEMPTS", default: 3, in: 1...100),
                graceSeconds: try reader.int("DATACOVEY_WORKER_GRACE_SECONDS", default: 20, in: 0...3600),
                retentionHours: try reader.int("DATACOVEY_JOB_FILE_RETENTION_HOURS", default: 168, in: 1...87_600)),
            queries: QuerySettings(
                accountSecret: reader.string("DATACOVEY_QUERY_ACCOUNT_SECRET", default: ""),
                statementSeconds: try reader.int("DATACOVEY_QUERY_TIMEOUT_SECONDS", default: 30, in: 1...86_400),
                exportStatementSeconds: try reader.int("DATACOVEY_QUERY_EXPORT_TIMEOUT_SECONDS", default: 3600, in: 1...86_400),
                rowCap: try reader.int("DATACOVEY_QUERY_ROW_CAP", default: 10_000, in: 1...10_000_000),
                maxAnswerBytes: try reader.int("DATACOVEY_QUERY_MAX_BYTES", default: 32 << 20, in: (64 << 10)...(1 << 30)),
                connectionsPerProject: try reader.int("DATACOVEY_QUERY_MAX_CONNECTIONS", default: 4, in: 1...1000),
                queriesPerHour: try reader.int("DATACOVEY_QUERY_MAX_PER_HOUR", default: 100_000, in: 1...100_000_000)),
            trashRetentionDays: try reader.int("DATACOVEY_TRASH_RETENTION_DAYS", default: 30, in: 1...3650),
            historyRetentionDays: nil,
            web: try WebSettings.read(environment))
        configuration.databaseAccountHost = accountHost
        configuration.databaseFallbackEndpoints = fallbackEndpoints
        configuration.timeTravelDays = try reader.int("DATACOVEY_TIME_TRAVEL_DAYS", default: 30, in: 1...36_500)
        if let days = environment["DATACOVEY_HISTORY_RETENTION_DAYS"], !days.isEmpty {
            configuration.historyRetentionDays = try reader.int("DATACOVEY_HISTORY_RETENTION_DAYS", default: 0, in: 1...36_500)
        }
        return configuration
    }
}

extension Configuration {
    /// The nodes of `DATACOVEY_DB_HOSTS`: `host:port` entries separated by commas (an IPv6
    /// host in brackets, `[::1]:3306`), in order of preference, each at most once.
    static func databaseNodes(_ text: String) throws -> [MariaDBConfiguration.Endpoint] {
        var nodes: [MariaDBConfiguration.Endpoint] = []
        for rawEntry in text.split(separator: ",", omittingEmptySubsequences: false) {
            let entry = rawEntry.trimmingCharacters(in: .whitespaces)
            func invalid(_ expected: String) -> InvalidSetting {
                InvalidSetting(name: "DATACOVEY_DB_HOSTS", value: text, expected: "\(expected) (the entry '\(entry)' is not)")
            }
            guard let colon = entry.lastIndex(of: ":") else { throw invalid("host:port entries separated by commas") }
            var host = String(entry[..<colon])
            let portText = entry[entry.index(after: colon)...]
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            guard !host.isEmpty, !host.contains(where: { $0.isWhitespace || $0 == "/" || $0 == "[" || $0 == "]" }),
                  host.contains(":") == entry.hasPrefix("[") else {
                throw invalid("host:port entries separated by commas, an IPv6 host in brackets")
            }
            guard let port = Int(portText), (1...65535).contains(port) else {
                throw invalid("host:port entries with a port in 1...65535")
            }
            let node = MariaDBConfiguration.Endpoint.tcp(host: host, port: port)
            guard !nodes.contains(node) else { throw invalid("each node once") }
            nodes.append(node)
        }
        return nodes
    }
}

/// The worker's settings (`DATACOVEY_WORKER_*`, `DATACOVEY_JOB_*`).
public struct JobSettings: Sendable {
    /// Jobs run at once by one worker process.
    public var slots: Int
    /// A running job's lease; a worker that stops heartbeating loses its jobs after this.
    public var leaseSeconds: Int
    /// Claims of one job before it is failed (a job that kills its worker must not loop).
    public var maxAttempts: Int
    /// On SIGTERM, how long running jobs may finish before they are handed back.
    public var graceSeconds: Int
    /// How long export files and leftover uploads are kept.
    public var retentionHours: Int
}

/// User SQL (`DATACOVEY_QUERY_*`): it runs under per-project accounts whose passwords are
/// derived from `accountSecret`, within these limits.
public struct QuerySettings: Sendable {
    /// Key of the HMAC that derives each project account's password; without it, queries are
    /// refused (503) rather than run on a guessable password.
    public var accountSecret: String
    /// Statement time limit (server `max_statement_time`; the client gives up a second later).
    public var statementSeconds: Int
    /// Statement time limit of a query's export, which has no row cap and may run long.
    public var exportStatementSeconds: Int
    /// Most rows one query returns; more make the answer `truncated`.
    public var rowCap: Int
    /// Most cell bytes one answer holds (the responder keeps an answer whole before sending it);
    /// more make it `truncated` (`truncated_by: bytes`). Memory per query stays under it.
    public var maxAnswerBytes: Int
    /// `MAX_USER_CONNECTIONS` of a project account: queries of one project running at once.
    public var connectionsPerProject: Int
    /// `MAX_QUERIES_PER_HOUR` of a project account (every statement counts, set-up included).
    public var queriesPerHour: Int

    /// The largest single result row a query connection accepts (the client's packet limit):
    /// the answer's limit, at most 16 MiB. Without it one row of many `REPEAT(…)` columns could
    /// make the client allocate gigabytes before any cap is checked.
    public var maxRowBytes: Int { min(maxAnswerBytes, 16 << 20) }
}

/// A MariaDB user name and password.
public struct DatabaseAccount: Sendable {
    public var user: String
    public var password: String
}

private struct EnvironmentReader {
    let environment: [String: String]
    init(_ environment: [String: String]) { self.environment = environment }

    func string(_ name: String, default fallback: String) -> String {
        guard let value = environment[name], !value.isEmpty else { return fallback }
        return value
    }

    func int(_ name: String, default fallback: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = environment[name], !text.isEmpty else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw Configuration.InvalidSetting(name: name, value: text, expected: "an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    func logLevel(_ name: String, default fallback: Logger.Level) throws -> Logger.Level {
        guard let text = environment[name], !text.isEmpty else { return fallback }
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw Configuration.InvalidSetting(name: name, value: text, expected: "one of trace, debug, info, notice, warning, error, critical")
        }
        return level
    }
}
