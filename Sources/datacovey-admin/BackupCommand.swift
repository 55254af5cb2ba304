import ArgumentParser
import DataCovey
import Foundation

extension DataCoveyAdmin {
    struct BackupCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "backup",
            abstract: "Back up the whole MariaDB server (mariadb-backup, as DATACOVEY_MIGRATE_DB_USER) and the data directory's files.",
            discussion: """
                Run it on the database host as a user that can read MariaDB's data directory. The backup \
                directory (mode 0700) gets mariadb/ (the prepared server copy), files/ (uploads and exports), \
                mariadb-backup.log and manifest.json (versions, sizes, SHA-256 of every file).
                """)

        @Option(help: "A new (or empty) directory for this backup.") var to: String

        func run() throws {
            let manifest = try ServerBackup(configuration: try Configuration.fromEnvironment()) { print("==> \($0)") }
                .run(to: to)
            let seconds = manifest.finishedAt.timeIntervalSince(manifest.startedAt)
            print("backup of MariaDB \(manifest.mariadbVersion) (schema \(manifest.schemaMigration)) in \(to): "
                + "\(manifest.files.count) files, \(manifest.totalBytes) bytes, \(String(format: "%.1f", seconds)) s")
        }
    }

    struct RestoreCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "restore",
            abstract: "Restore a backup into an empty MariaDB data directory (server stopped) and an empty data directory.",
            discussion: """
                Checks every file against the manifest first and refuses a changed one, naming it. Refuses a \
                non-empty target. Then: start MariaDB on that data directory, run `datacovey-admin migrate` \
                (it sets this host's service passwords), start the responder and the worker.
                """)

        @Option(help: "The backup directory (made by `datacovey-admin backup`).") var from: String
        @Option(help: "MariaDB's data directory, empty or absent (e.g. /var/lib/mysql); the server must be stopped.")
        var mariadbDatadir: String
        @Option(help: "The data directory for uploads and exports [DATACOVEY_DATA_DIR].") var dataDir: String?
        @Flag(help: "Only check the backup against its manifest; restore nothing.") var verifyOnly = false

        func run() throws {
            let restore = ServerRestore(backupDirectory: from) { print("==> \($0)") }
            if verifyOnly {
                let manifest = try restore.verify()
                print("backup \(from) matches its manifest: \(manifest.files.count) files, \(manifest.totalBytes) bytes")
                return
            }
            let dataDirectory = try dataDir ?? Configuration.fromEnvironment().dataDirectory
            let started = Date()
            let manifest = try restore.run(mariadbDatadir: mariadbDatadir, dataDirectory: dataDirectory)
            print("restored the backup of \(manifest.startedAt) (MariaDB \(manifest.mariadbVersion), schema "
                + "\(manifest.schemaMigration)) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s; "
                + "next: start MariaDB on \(mariadbDatadir), then datacovey-admin migrate, then the services")
        }
    }
}
