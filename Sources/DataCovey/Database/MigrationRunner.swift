import Foundation
import MariaDB

/// Applies `sql/` migrations in order, once each, recording their checksums; then sets up the
/// service accounts the migrations created locked (`ServiceAccounts`).
public struct MigrationRunner {
    /// What a run did.
    public struct Report: Sendable, Equatable {
        public var applied: [String] = []
        public var alreadyApplied: [String] = []
        public var accountsUnlocked: [String] = []
    }

    let connection: MariaDBConnection

    public init(connection: MariaDBConnection) {
        precondition(connection.configuration.allowsMultipleStatements, "migrations run whole files")
        self.connection = connection
    }

    /// Applies what is pending. Before applying anything, every applied file is checked against
    /// its recorded checksum, so an edited history stops the run with nothing changed.
    public func migrate(_ migrations: [Migration], accounts: [(user: String, password: String)],
                        accountHost: String = "localhost") throws -> Report {
        try connection.executeText("CREATE DATABASE IF NOT EXISTS datacovey CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        try connection.executeText("""
            CREATE TABLE IF NOT EXISTS datacovey.schema_migrations (
                version INT NOT NULL PRIMARY KEY,
                name VARCHAR(255) NOT NULL,
                checksum CHAR(64) NOT NULL,
                applied_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
            ) ENGINE=InnoDB
            """)
        var recorded: [Int: (name: String, checksum: String)] = [:]
        for row in try connection.query("SELECT version, name, checksum FROM datacovey.schema_migrations") {
            let (version, name, checksum) = try row.decode((Int, String, String).self)
            recorded[version] = (name, checksum)
        }
        let byVersion = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        for (version, entry) in recorded.sorted(by: { $0.key < $1.key }) {
            guard let migration = byVersion[version] else {
                throw MigrationError.missingApplied(version: version, name: entry.name)
            }
            guard migration.checksum == entry.checksum else {
                throw MigrationError.modifiedAfterApplying(name: migration.name, recorded: entry.checksum, current: migration.checksum)
            }
        }
        var report = Report()
        for migration in migrations {
            if recorded[migration.version] != nil {
                report.alreadyApplied.append(migration.name)
                continue
            }
            try connection.executeScript(migration.sql)
            try connection.execute("""
                INSERT INTO datacovey.schema_migrations (version, name, checksum)
                VALUES (\(migration.version), \(migration.name), \(migration.checksum))
                """)
            report.applied.append(migration.name)
        }
        try ServiceAccounts(connection: connection).configure(accounts, host: accountHost, unlocked: &report.accountsUnlocked)
        return report
    }
}
