import Crypto
import Foundation

/// One numbered file of `sql/`, e.g. `0003_history.sql`.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let sql: String
    /// SHA-256 of the file's bytes, hex: an applied file that changes is refused.
    public let checksum: String

    public init(version: Int, name: String, sql: String) {
        self.init(version: version, name: name, bytes: Array(sql.utf8))
    }

    /// A migration from the file's exact bytes: the checksum covers every byte (a byte order
    /// mark included), while the SQL text is decoded for running.
    public init(version: Int, name: String, bytes: [UInt8]) {
        self.version = version
        self.name = name
        self.sql = String(decoding: bytes, as: UTF8.self)
        self.checksum = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    /// Reads every `NNNN_name.sql` of `directory` in version order; other files are ignored.
    /// Two files with one version number are an error.
    public static func load(from directory: String) throws -> [Migration] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory)
        var migrations: [Migration] = []
        for file in files where file.hasSuffix(".sql") {
            let stem = file.dropLast(4)
            guard let underscore = stem.firstIndex(of: "_") else { continue }
            let digits = stem[..<underscore]
            // Exactly four ASCII digits: Int("+001") would otherwise parse, and "-001" run first.
            guard digits.utf8.count == 4, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
                  let version = Int(digits) else { continue }
            // Raw bytes, not String(contentsOfFile:), which drops a byte order mark on Linux.
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(file)")))
            migrations.append(Migration(version: version, name: file, bytes: bytes))
        }
        migrations.sort { $0.version < $1.version }
        for (earlier, later) in zip(migrations, migrations.dropFirst()) where earlier.version == later.version {
            throw MigrationError.duplicateVersion(earlier.name, later.name)
        }
        return migrations
    }
}

/// Why `migrate` refused to go on.
public enum MigrationError: Error, Equatable, CustomStringConvertible {
    case duplicateVersion(String, String)
    /// An applied file was edited afterwards: add a new migration instead.
    case modifiedAfterApplying(name: String, recorded: String, current: String)
    /// A file that was applied is gone from the directory.
    case missingApplied(version: Int, name: String)
    case invalidPassword(account: String)
    case invalidAccountHost(String)
    /// A grant `SHOW GRANTS` gave in a form the account copy cannot rewrite.
    case unreadableGrant(String)

    public var description: String {
        switch self {
        case .duplicateVersion(let first, let second):
            "two migrations share a version number: \(first) and \(second)"
        case .modifiedAfterApplying(let name, let recorded, let current):
            "\(name) was changed after it was applied (recorded sha256 \(recorded.prefix(12))…, file has \(current.prefix(12))…); add a new migration instead of editing an applied one"
        case .missingApplied(let version, let name):
            "migration \(version) (\(name)) is recorded as applied but its file is missing"
        case .invalidPassword(let account):
            "the password configured for \(account) must be 16–128 letters, digits, '-' or '_'"
        case .invalidAccountHost(let host):
            "DATACOVEY_DB_ACCOUNT_HOST=\(host) is not an account host: letters, digits and . % _ : - only"
        case .unreadableGrant(let grant):
            "cannot copy the grant \(grant) to another account host"
        }
    }
}
