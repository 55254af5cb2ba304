import Crypto
import Foundation

/// The file work of backups and restores: walking a directory, hashing, copying, and keeping
/// everything private (a backup holds password hashes and tenants' data: SECURITY rule 24).
enum BackupFiles {
    /// Every regular file under `root`, as paths relative to it, sorted; `skip` filters by name.
    static func list(_ root: String, skip: (String) -> Bool = { _ in false }) throws -> [String] {
        guard FileManager.default.fileExists(atPath: root) else { return [] }
        guard let walker = FileManager.default.enumerator(atPath: root) else {
            throw BackupError("cannot read the directory \(root)")
        }
        var found: [String] = []
        while let relative = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: "\(root)/\(relative)", isDirectory: &isDirectory),
                  !isDirectory.boolValue, !skip((relative as NSString).lastPathComponent) else { continue }
            found.append(relative)
        }
        return found.sorted()
    }

    /// The SHA-256 of a file as lower-case hex, read in 1 MiB pieces so memory stays flat.
    static func sha256(_ path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw BackupError("cannot read \(path)") }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// The manifest entries of every file under `root` (the manifest itself excluded).
    static func checksums(_ root: String) throws -> [BackupManifest.File] {
        try list(root).filter { $0 != BackupManifest.fileName }.map { relative in
            let path = "\(root)/\(relative)"
            let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
            return BackupManifest.File(path: relative, bytes: size, sha256: try sha256(path))
        }
    }

    /// Copies `relative` from one root to another, creating directories; the copy is readable
    /// by its owner only (unless `mode` says otherwise), whatever the source's mode was.
    static func copy(_ relative: String, from source: String, to destination: String,
                     mode: mode_t = 0o600, directoryMode: Int = 0o700) throws {
        let target = "\(destination)/\(relative)"
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true, attributes: [.posixPermissions: directoryMode])
        if FileManager.default.fileExists(atPath: target) { try FileManager.default.removeItem(atPath: target) }
        do {
            try FileManager.default.copyItem(atPath: "\(source)/\(relative)", toPath: target)
        } catch where !FileManager.default.fileExists(atPath: "\(source)/\(relative)") {
            return  // removed meanwhile (a finished import's upload, an expired export): nothing to keep
        }
        chmod(target, mode)
    }

    /// Directories 0700 and files 0600 under `root`, `root` included: what mariadb-backup wrote
    /// inherits the umask, but a backup moved or unpacked by hand may not.
    static func makePrivate(_ root: String) throws {
        chmod(root, 0o700)
        guard let walker = FileManager.default.enumerator(atPath: root) else { return }
        while let relative = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let path = "\(root)/\(relative)"
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            chmod(path, isDirectory.boolValue ? 0o700 : 0o600)
        }
    }

    /// True when `path` is absent or an empty directory.
    static func isEmptyOrAbsent(_ path: String) -> Bool {
        guard FileManager.default.fileExists(atPath: path) else { return true }
        return ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? ["?"]).isEmpty
    }
}
