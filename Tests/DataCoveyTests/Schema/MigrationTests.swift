import DataCovey
import Foundation
import MariaDB
import XCTest

/// `datacovey-admin migrate`: files apply once each, in order, and an applied file can neither
/// change nor disappear. The first three tests run against the stack; the rest need no database.
final class MigrationTests: XCTestCase {
    // MARK: Against the applied schema

    func testApplyingTheMigrationsAgainAppliesNothingAndChangesNoRecord() throws {
        let db = try StackDatabase.require()
        let directory = "\(db.stack.repositoryDirectory)/sql"
        let before = try appliedMigrations(db)

        let report = try OperatorTasks(configuration: db.configuration).migrate(sqlDirectory: directory)

        XCTAssertEqual(report.applied, [])
        XCTAssertEqual(Array(report.alreadyApplied.prefix(5)), [
            "0001_core_tables.sql", "0002_tenant_functions.sql", "0003_history.sql", "0004_tenant_views.sql", "0005_accounts.sql",
        ])
        XCTAssertEqual(report.alreadyApplied, try Migration.load(from: directory).map(\.name), "every file is already applied")
        XCTAssertEqual(report.alreadyApplied, before.map(\.name), "and every record has its file")
        XCTAssertEqual(try appliedMigrations(db), before, "checksums and applied_at untouched")
    }

    func testAnEditedAppliedFileIsRefusedBeforeAnythingIsApplied() throws {
        let db = try StackDatabase.require()
        let before = try appliedMigrations(db)
        let directory = try copyOfSQLDirectory(db)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let edited = try FileHandle(forWritingTo: URL(fileURLWithPath: "\(directory)/0002_tenant_functions.sql"))
        try edited.seekToEnd()
        try edited.write(contentsOf: Data("\n-- only a comment, still an edit\n".utf8))
        try edited.close()
        // A pending file in the same run: the checksum check must stop the run before it.
        try Data("DO 1;\n".utf8).write(to: URL(fileURLWithPath: "\(directory)/0999_pending_probe.sql"))
        defer { removeProbeRecord(db) }
        let recorded = try XCTUnwrap(before.first { $0.version == 2 }).checksum
        let current = try XCTUnwrap(try Migration.load(from: directory).first { $0.version == 2 }).checksum
        XCTAssertNotEqual(recorded, current)

        XCTAssertThrowsError(try OperatorTasks(configuration: db.configuration).migrate(sqlDirectory: directory)) { error in
            XCTAssertEqual(error as? MigrationError,
                           .modifiedAfterApplying(name: "0002_tenant_functions.sql", recorded: recorded, current: current))
        }
        XCTAssertEqual(try appliedMigrations(db), before, "nothing applied, nothing re-recorded")
    }

    func testAMissingAppliedFileIsRefused() throws {
        let db = try StackDatabase.require()
        let before = try appliedMigrations(db)
        let directory = try copyOfSQLDirectory(db)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.removeItem(atPath: "\(directory)/0003_history.sql")
        try Data("DO 1;\n".utf8).write(to: URL(fileURLWithPath: "\(directory)/0999_pending_probe.sql"))
        defer { removeProbeRecord(db) }

        XCTAssertThrowsError(try OperatorTasks(configuration: db.configuration).migrate(sqlDirectory: directory)) { error in
            XCTAssertEqual(error as? MigrationError, .missingApplied(version: 3, name: "0003_history.sql"))
        }
        XCTAssertEqual(try appliedMigrations(db), before)
    }

    // MARK: Loading files (no database)

    func testLoadOrdersByVersionAndIgnoresOtherFileNames() throws {
        let directory = try makeDirectory([
            "0010_tenth.sql": "SELECT 10;", "0002_second.sql": "SELECT 2;", "0001_first.sql": "SELECT 1;",
            "README.md": "x", "0003_notes.txt": "x", "003_short.sql": "x", "00004_long.sql": "x",
            "abcd_letters.sql": "x", "0005.sql": "x", "0006_backup.sql.orig": "x",
        ])
        defer { try? FileManager.default.removeItem(atPath: directory) }

        let migrations = try Migration.load(from: directory)

        XCTAssertEqual(migrations.map(\.version), [1, 2, 10])
        XCTAssertEqual(migrations.map(\.name), ["0001_first.sql", "0002_second.sql", "0010_tenth.sql"])
        XCTAssertEqual(migrations.map(\.sql), ["SELECT 1;", "SELECT 2;", "SELECT 10;"])
    }

    func testTwoFilesWithOneVersionAreRejected() throws {
        let directory = try makeDirectory(["0001_a.sql": "SELECT 1;", "0001_b.sql": "SELECT 1;", "0002_c.sql": "SELECT 2;"])
        defer { try? FileManager.default.removeItem(atPath: directory) }

        XCTAssertThrowsError(try Migration.load(from: directory)) { error in
            guard case .duplicateVersion(let first, let second) = error as? MigrationError else {
                return XCTFail("expected duplicateVersion, got \(error)")
            }
            XCTAssertEqual(Set([first, second]), ["0001_a.sql", "0001_b.sql"])
        }
    }

    /// The expected value is `sha256sum` of the same bytes (UTF-8 é, a CRLF line end).
    func testChecksumIsTheSHA256OfTheFileBytes() throws {
        let bytes = Data("-- 0001_demo.sql\nSELECT 'café';\r\n".utf8)
        let directory = try makeDirectory(["0001_demo.sql": bytes])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let expected = "5feb5d3c64db3731043e62adf10770eaa9532d49fb3e956964edc8291d544075"

        XCTAssertEqual(try Migration.load(from: directory).map(\.checksum), [expected])
        XCTAssertEqual(Migration(version: 1, name: "0001_demo.sql", sql: "-- 0001_demo.sql\nSELECT 'café';\r\n").checksum, expected)
    }

    /// An editor may save a UTF-8 byte order mark. The checksum must still be that of the file's
    /// bytes (`sha256sum`), so adding or removing the mark counts as an edit of an applied file.
    func testChecksumOfAFileWithAByteOrderMarkCoversTheMark() throws {
        let bytes = Data([0xEF, 0xBB, 0xBF]) + Data("SELECT 1;\n".utf8)
        let directory = try makeDirectory(["0001_bom.sql": bytes])
        defer { try? FileManager.default.removeItem(atPath: directory) }

        XCTAssertEqual(try Migration.load(from: directory).map(\.checksum),
                       ["34b0bcbe990d70cd4adde7a8005ade4334f170e0625d767d78872a66515dec8a"],
                       "sha256sum of EF BB BF 'SELECT 1;\\n' (without the mark it would be b4e04978…)")
    }

    // MARK: Helpers

    private struct AppliedMigration: Equatable {
        let version: Int64
        let name: String
        let checksum: String
        let appliedAt: MariaDBDateTime
    }

    private func appliedMigrations(_ db: StackDatabase) throws -> [AppliedMigration] {
        let ops = try db.ops()
        defer { ops.close() }
        return try ops.query("SELECT version, name, checksum, applied_at FROM datacovey.schema_migrations ORDER BY version").map { row in
            let (version, name, checksum, appliedAt) = try row.decode((Int64, String, String, MariaDBDateTime).self)
            return AppliedMigration(version: version, name: name, checksum: checksum, appliedAt: appliedAt)
        }
    }

    /// A private copy of the repository's `sql/`, to edit without touching the real files.
    private func copyOfSQLDirectory(_ db: StackDatabase) throws -> String {
        let copy = temporaryPath()
        try FileManager.default.copyItem(atPath: "\(db.stack.repositoryDirectory)/sql", toPath: copy)
        return copy
    }

    private func makeDirectory(_ files: [String: String]) throws -> String {
        try makeDirectory(files.mapValues { Data($0.utf8) })
    }

    private func makeDirectory(_ files: [String: Data]) throws -> String {
        let directory = temporaryPath()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, bytes) in files {
            try bytes.write(to: URL(fileURLWithPath: "\(directory)/\(name)"))
        }
        return directory
    }

    private func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("datacovey-migrations-\(UUID().uuidString)").path
    }

    /// Only if the runner wrongly applied the probe: a stray record would make every later
    /// migrate on this stack fail with `.missingApplied`.
    private func removeProbeRecord(_ db: StackDatabase) {
        guard let superuser = try? db.superuser() else { return }
        defer { superuser.close() }
        _ = try? superuser.execute("DELETE FROM datacovey.schema_migrations WHERE version = 999")
    }
}
