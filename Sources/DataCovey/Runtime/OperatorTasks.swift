import Foundation
import MariaDB

/// What `datacovey-admin` does, as library calls (the executable only parses arguments).
public struct OperatorTasks {
    public let configuration: Configuration

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// Applies migrations as the migration superuser, then unlocks the service accounts.
    public func migrate(sqlDirectory: String) throws -> MigrationRunner.Report {
        let migrations = try Migration.load(from: sqlDirectory)
        let connection = try MariaDBConnection.connect(configuration.migrateDatabase)
        defer { connection.close() }
        return try MigrationRunner(connection: connection).migrate(migrations, accounts: [
            (configuration.appAccount.user, configuration.appAccount.password),
            (configuration.dataAccount.user, configuration.dataAccount.password),
            (configuration.opsAccount.user, configuration.opsAccount.password),
            (configuration.workerAccount.user, configuration.workerAccount.password),
        ], accountHost: configuration.databaseAccountHost)
    }

    /// Runs `body` with every tenant's jobs on an operators' connection.
    public func withJobs<T>(_ body: (OperatorJobs) throws -> T) throws -> T {
        let connection = try MariaDBConnection.connect(configuration.opsDatabase)
        defer { connection.close() }
        return try body(OperatorJobs(connection: connection, files: JobFiles(dataDirectory: configuration.dataDirectory)))
    }

    /// Runs `body` with the tenant directory on an operators' connection.
    public func withDirectory<T>(_ body: (TenantDirectory) throws -> T) throws -> T {
        let connection = try MariaDBConnection.connect(configuration.opsDatabase)
        defer { connection.close() }
        return try body(TenantDirectory(connection: connection))
    }
}

extension OperatorTasks {
    /// The demo tenant `scripts/run` seeds: one user per role. Idempotent.
    public static let demoUsers: [(email: String, name: String, role: Role)] = [
        ("admin@demo.test", "Demo Admin", .admin),
        ("user@demo.test", "Demo User", .user),
        ("viewer@demo.test", "Demo Viewer", .viewer),
    ]

    /// Creates tenant `demo` and its three users unless they exist; returns what it created.
    public func seedDemo() throws -> [String] {
        try withDirectory { directory in
            var created: [String] = []
            if (try? directory.tenant(named: "demo")) == nil {
                try directory.createTenant(name: "demo", displayName: "Demo")
                created.append("tenant demo")
            }
            let existing = Set(try directory.users(tenant: "demo").map(\.email))
            for user in Self.demoUsers where !existing.contains(user.email) {
                try directory.addUser(tenant: "demo", email: user.email, name: user.name, role: user.role)
                created.append(user.email)
            }
            return created
        }
    }
}

extension OperatorTasks {
    /// Why `token mint` was refused.
    public enum MintFailure: Error, CustomStringConvertible {
        case auth0Configured
        case disabled(String)
        case lifetimeTooLong(Int)

        public var description: String {
            switch self {
            case .auth0Configured: "tokens are minted only by the development issuer; with DATACOVEY_AUTH0_DOMAIN set, Auth0 issues them"
            case .disabled(let email): "\(email) is disabled"
            case .lifetimeTooLong(let seconds): "--ttl is longer than tokens may live (DATACOVEY_TOKEN_MAX_LIFETIME_SECONDS = \(seconds))"
            }
        }
    }

    /// A development-issuer token for the user with `email` (in `tenant`, when given).
    public func mintToken(email: String, tenant: String?, lifetime: TimeInterval) throws -> String {
        guard configuration.auth.usesDevelopmentIssuer else { throw MintFailure.auth0Configured }
        guard lifetime <= TimeInterval(configuration.auth.maxTokenLifetimeSeconds) else {
            throw MintFailure.lifetimeTooLong(configuration.auth.maxTokenLifetimeSeconds)
        }
        let user = try withDirectory { try $0.user(email: email, tenant: tenant) }
        guard !user.isDisabled else { throw MintFailure.disabled(email) }
        // An invitation has no subject yet: the operator binds the one the development
        // provider would (`local|user-<id>`), as a first sign-in there does.
        let subject = user.subject ?? "local|user-\(user.id)"
        if user.subject == nil { try withDirectory { try $0.bindSubject(userID: user.id, subject: subject) } }
        return try DevelopmentIssuer(directory: configuration.auth.developmentDirectory).mint(
            subject: subject, audience: configuration.auth.audience, lifetime: lifetime,
            rolesClaim: configuration.auth.rolesClaim)
    }
}

extension OperatorTasks {
    /// `history purge` and `history verify`, on the operators' account.
    public func withHistory<T>(_ body: (HistoryMaintenance) throws -> T) throws -> T {
        let connection = try MariaDBConnection.connect(configuration.opsDatabase)
        defer { connection.close() }
        return try body(HistoryMaintenance(connection: connection))
    }

    /// `trash purge`: rows on the operators' account, data on the data account.
    public func purgeTrash(all: Bool) throws -> TrashPurge.Report {
        let connection = try MariaDBConnection.connect(configuration.opsDatabase)
        defer { connection.close() }
        let databases = DataDatabases(pool: MariaDBPool(configuration: configuration.dataDatabase, maxConnections: 1))
        defer { databases.shutDown() }
        return try TrashPurge(connection: connection, databases: databases, dataDirectory: configuration.dataDirectory,
                              retentionDays: configuration.trashRetentionDays).purge(all: all)
    }
}
