@testable import DataCovey
import Foundation
import XCTest

/// What `restore` checks before it touches anything: every file of the manifest, unchanged, and
/// nothing else. Pure file work, no server (the whole round trip is Tests/scripts/test_backup_restore.sh).
final class BackupManifestTests: XCTestCase {
    private var root = ""

    override func setUpWithError() throws {
        root = NSTemporaryDirectory() + "dc-manifest-\(UUID().uuidString)"
        for (path, text) in ["mariadb/ibdata1": "server", "files/exports/1/a.csv": "id\n1\n", "mariadb-backup.log": "ok"] {
            let file = "\(root)/\(path)"
            try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        }
        try BackupManifest(format: 1, method: "mariadb-backup", startedAt: Date(), finishedAt: Date(),
                           mariadbVersion: "10.11.19-MariaDB", mariadbBackupVersion: "10.11.19", schemaMigration: "0020_account_host",
                           databases: [], files: try BackupFiles.checksums(root)).write(to: root)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: root)
    }

    private func refusal() -> String {
        do {
            _ = try ServerRestore(backupDirectory: root) { _ in }.verify()
            return "accepted"
        } catch {
            return "\(error)"
        }
    }

    func testAnUntouchedBackupVerifiesWithEveryFileListed() throws {
        let manifest = try ServerRestore(backupDirectory: root) { _ in }.verify()
        XCTAssertEqual(manifest.files.map(\.path), ["files/exports/1/a.csv", "mariadb-backup.log", "mariadb/ibdata1"])
        XCTAssertEqual(manifest.files[0].sha256, "7cde7fb64fd82bd152710cf238e017b9ab46c0592483edc067ba4f6c75fac108")  // sha256sum
        XCTAssertEqual(manifest.files[0].bytes, 5)
    }

    func testAChangedFileIsRefusedByName() throws {
        try Data("id\n2\n".utf8).write(to: URL(fileURLWithPath: "\(root)/files/exports/1/a.csv"))
        XCTAssertEqual(refusal(), "the backup \(root) does not match its manifest, so nothing was restored: "
            + "files/exports/1/a.csv (SHA-256 differs)")
    }

    func testAMissingAndAnExtraFileAreRefusedByName() throws {
        try FileManager.default.removeItem(atPath: "\(root)/mariadb/ibdata1")
        try Data("x".utf8).write(to: URL(fileURLWithPath: "\(root)/mariadb/extra"))
        XCTAssertEqual(refusal(), "the backup \(root) does not match its manifest, so nothing was restored: "
            + "mariadb/extra (not in the manifest), mariadb/ibdata1 (missing)")
    }

    func testADirectoryWithoutManifestIsNoBackup() throws {
        try FileManager.default.removeItem(atPath: "\(root)/manifest.json")
        XCTAssertEqual(refusal(), "\(root)/manifest.json is missing: this is not a DataCovey backup directory (or it is incomplete)")
    }

    func testTheMariaDBSeriesComesFromEitherVersionText() {
        XCTAssertEqual(ServerRestore.series("10.11.19-MariaDB-0+deb12u1"), "10.11")
        XCTAssertEqual(ServerRestore.series("mariadb-backup based on MariaDB server 10.11.19-MariaDB debian-linux-gnu (x86_64)"), "10.11")
        XCTAssertNil(ServerRestore.series("unknown"))
    }
}
