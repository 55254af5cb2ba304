import Foundation
import MariaDB

/// `datacovey-admin backup --to DIR`: the whole MariaDB server and the data directory's files,
/// with a manifest of SHA-256 checksums.
///
/// Why physical (`mariadb-backup`) and not logical (`mariadb-dump --single-transaction`): a
/// dump's snapshot covers rows, not DDL. A replace import swaps tables with `RENAME TABLE`,
/// autodetection and table edits run `ALTER TABLE`, a deleted dataset moves tables to `dcd_0`;
/// any of them during a dump makes it fail ("table definition has changed") or miss a table,
/// unless every DDL is blocked for the whole dump. `mariadb-backup` follows DDL in the redo log
/// and blocks commits only for its last moments, so the copy is the server at one instant: an
/// import's transaction is in it whole or not at all, and so is a `RENAME TABLE`. It also brings
/// back, byte for byte, what a dump would have to re-create in the right order: the accounts
/// and grants (service, definer and per-project query accounts, with their limits), views,
/// triggers, procedures and functions. The price: a restore needs the same MariaDB series
/// (10.11), a stopped server and an empty data directory, and it is the whole server (this
/// server is DataCovey's own).
public struct ServerBackup {
    public let configuration: Configuration
    /// Progress lines for the operator.
    public let log: (String) -> Void

    public init(configuration: Configuration, log: @escaping (String) -> Void) {
        self.configuration = configuration
        self.log = log
    }

    public func run(to directory: String) throws -> BackupManifest {
        let started = Date()
        // Everything this process creates is private: the server files hold password hashes.
        umask(0o077)
        guard BackupFiles.isEmptyOrAbsent(directory) else {
            throw BackupError("\(directory) exists and is not empty: give a new directory for each backup")
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        chmod(directory, 0o700)
        let tool = MariaDBBackupTool(log: "\(directory)/mariadb-backup.log")
        let server = configuration.migrateDatabase
        let (version, migration, databases) = try describeServer(server)
        let toolVersion = try tool.version()

        // Uploads before the server copy as well as after: a job the copy holds as pending or
        // running needs its upload, which the worker deletes as soon as the job completes.
        let data = DataFileCopy(source: configuration.dataDirectory, destination: "\(directory)/\(DataFileCopy.folder)")
        try data.copy(only: "uploads")
        log("copying the MariaDB server (mariadb-backup)")
        try tool.backup(into: "\(directory)/mariadb", server: server, credentialsDirectory: directory)
        log("preparing the copy (applying its redo log)")
        try tool.prepare("\(directory)/mariadb")
        log("copying the data directory \(configuration.dataDirectory)")
        try data.copy(only: nil)

        try BackupFiles.makePrivate(directory)
        log("computing checksums")
        var files = try BackupFiles.checksums(directory)
        files = files.map { data.withMode($0) }
        let manifest = BackupManifest(
            format: BackupManifest.currentFormat, method: "mariadb-backup", startedAt: started, finishedAt: Date(),
            mariadbVersion: version, mariadbBackupVersion: toolVersion, schemaMigration: migration,
            databases: databases, files: files)
        try manifest.write(to: directory)
        return manifest
    }

    /// The server's version, the newest applied migration and the size of DataCovey's databases.
    private func describeServer(_ server: MariaDBConfiguration) throws -> (String, String, [BackupManifest.Database]) {
        let connection = try MariaDBConnection.connect(server)
        defer { connection.close() }
        let version = try connection.query("SELECT VERSION()")[0].decode(String.self, at: 0)
        let migration = try connection.query("SELECT COALESCE(MAX(name), '') FROM datacovey.schema_migrations")[0]
            .decode(String.self, at: 0)
        let databases = try connection.query("""
            SELECT table_schema, COUNT(*), CAST(COALESCE(SUM(data_length + index_length), 0) AS SIGNED)
            FROM information_schema.tables
            WHERE table_schema IN ('datacovey', 'datacovey_app') OR table_schema LIKE 'dcd\\_%'
            GROUP BY table_schema ORDER BY table_schema
            """).map { row in
            let (name, tables, bytes) = try row.decode((String, Int64, Int64).self)
            return BackupManifest.Database(name: name, tables: tables, bytes: bytes)
        }
        return (version, migration, databases)
    }
}
