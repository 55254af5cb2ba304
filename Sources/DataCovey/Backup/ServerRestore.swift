import Foundation

/// `datacovey-admin restore --from DIR`: checks the backup against its manifest, then puts the
/// server files into an empty MariaDB data directory (server stopped) and the data files into
/// an empty data directory. It never overwrites: a directory that holds anything is refused,
/// and so is a backup with a missing, extra or changed file. Starting MariaDB and the services
/// is the operator's next step (README, "Back up and restore"; `scripts/restore` locally).
public struct ServerRestore {
    public let backupDirectory: String
    public let log: (String) -> Void

    public init(backupDirectory: String, log: @escaping (String) -> Void) {
        self.backupDirectory = backupDirectory
        self.log = log
    }

    /// Every file of the manifest present with its size and SHA-256, and no other file.
    public func verify() throws -> BackupManifest {
        let manifest = try BackupManifest.read(from: backupDirectory)
        guard manifest.format == BackupManifest.currentFormat, manifest.method == "mariadb-backup" else {
            throw BackupError("\(backupDirectory) is a backup of format \(manifest.format) (\(manifest.method)); "
                + "this datacovey-admin restores format \(BackupManifest.currentFormat) (mariadb-backup)")
        }
        let expected = Dictionary(manifest.files.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        let present = try BackupFiles.list(backupDirectory).filter { $0 != BackupManifest.fileName }
        var problems: [String] = []
        for path in present where expected[path] == nil { problems.append("\(path) (not in the manifest)") }
        for file in manifest.files {
            let path = "\(backupDirectory)/\(file.path)"
            guard FileManager.default.fileExists(atPath: path) else {
                problems.append("\(file.path) (missing)")
                continue
            }
            if try BackupFiles.sha256(path) != file.sha256 { problems.append("\(file.path) (SHA-256 differs)") }
        }
        guard problems.isEmpty else {
            throw BackupError("the backup \(backupDirectory) does not match its manifest, so nothing was restored: "
                + problems.joined(separator: ", "))
        }
        return manifest
    }

    /// Verifies, checks the targets are empty and the MariaDB series matches, then copies.
    public func run(mariadbDatadir: String, dataDirectory: String) throws -> BackupManifest {
        log("verifying \(backupDirectory) against its manifest")
        let manifest = try verify()
        let tool = MariaDBBackupTool(log: "\(NSTemporaryDirectory())/datacovey-restore-\(getpid()).log")
        let toolVersion = try tool.version()
        guard let wanted = Self.series(manifest.mariadbVersion), Self.series(toolVersion) == wanted else {
            throw BackupError("the backup is of MariaDB \(manifest.mariadbVersion); a physical backup comes back only "
                + "into the same series (\(Self.series(manifest.mariadbVersion) ?? "?")), and this host has: \(toolVersion)")
        }
        guard BackupFiles.isEmptyOrAbsent(mariadbDatadir) else {
            throw BackupError("the MariaDB data directory \(mariadbDatadir) is not empty: a restore brings back the whole "
                + "server and goes only into an empty data directory. Stop MariaDB and move it aside "
                + "(mv \(mariadbDatadir) \(mariadbDatadir).old), then run restore again")
        }
        let existing = try BackupFiles.list(dataDirectory)
        guard existing.isEmpty else {
            throw BackupError("the data directory \(dataDirectory) holds \(existing.count) files (e.g. \(existing[0])): "
                + "restore only into an empty one. Move it aside, then run restore again")
        }
        log("copying the MariaDB server files into \(mariadbDatadir)")
        try FileManager.default.createDirectory(atPath: mariadbDatadir, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        try tool.copyBack("\(backupDirectory)/mariadb", into: mariadbDatadir)
        try? FileManager.default.removeItem(atPath: tool.log)
        log("copying the data files into \(dataDirectory)")
        // Directories as the services make them (UMask=0027): nginx serves exports by group.
        let prefix = "\(DataFileCopy.folder)/"
        for file in manifest.files where file.path.hasPrefix(prefix) {
            let relative = String(file.path.dropFirst(prefix.count))
            try BackupFiles.copy(relative, from: "\(backupDirectory)/\(DataFileCopy.folder)", to: dataDirectory,
                                 mode: mode_t(file.mode ?? 0o640) & 0o777, directoryMode: 0o750)
        }
        return manifest
    }

    /// "10.11" of "10.11.19-MariaDB-0+deb12u1" or of "… based on MariaDB server 10.11.19-MariaDB …".
    static func series(_ version: String) -> String? {
        guard let range = version.range(of: #"[0-9]+\.[0-9]+\.[0-9]+"#, options: .regularExpression) else { return nil }
        return version[range].split(separator: ".").prefix(2).joined(separator: ".")
    }
}
