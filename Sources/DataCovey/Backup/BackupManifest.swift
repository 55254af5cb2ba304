import Foundation

/// `manifest.json` of a backup directory: what it holds, when it was taken, with which
/// versions, how large, and the SHA-256 of every file, so a restore can refuse a damaged or
/// edited backup before it puts anything back.
public struct BackupManifest: Codable, Sendable {
    /// Bumped when the layout of a backup directory changes; a restore refuses other formats.
    public static let currentFormat = 1
    public static let fileName = "manifest.json"

    /// One database of the server as it was when the backup started (information_schema).
    public struct Database: Codable, Sendable {
        public let name: String
        public let tables: Int64
        public let bytes: Int64
    }

    /// One file of the backup directory, by its path relative to it.
    public struct File: Codable, Sendable, Equatable {
        public let path: String
        public let bytes: Int64
        public let sha256: String
        /// The permission bits a data file had (nil for the server's files, which stay 0600).
        public var mode: Int?

        public init(path: String, bytes: Int64, sha256: String, mode: Int? = nil) {
            self.path = path
            self.bytes = bytes
            self.sha256 = sha256
            self.mode = mode
        }
    }

    public var format: Int
    /// `mariadb-backup`: a physical, prepared copy of the whole server (see ServerBackup).
    public var method: String
    public var startedAt: Date
    public var finishedAt: Date
    public var mariadbVersion: String
    public var mariadbBackupVersion: String
    /// The newest migration applied to the backed-up schema.
    public var schemaMigration: String
    public var databases: [Database]
    public var files: [File]

    public var totalBytes: Int64 { files.reduce(0) { $0 + $1.bytes } }

    public func write(to directory: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        let path = "\(directory)/\(Self.fileName)"
        try encoder.encode(self).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o600)
    }

    public static func read(from directory: String) throws -> BackupManifest {
        let path = "\(directory)/\(fileName)"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BackupError("\(path) is missing: this is not a DataCovey backup directory (or it is incomplete)")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(BackupManifest.self, from: data)
        } catch {
            throw BackupError("\(path) cannot be read: \(error)")
        }
    }
}

/// Why a backup or a restore stopped; the message is for the operator and names the file,
/// directory or version at fault.
public struct BackupError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
