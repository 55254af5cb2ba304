import Foundation

/// Copies the data directory's files (uploads, exports) into a backup's `files/`, and
/// remembers each one's mode, which a restore gives back (nginx reads exports through the
/// group bit of the production units' `UMask=0027`).
final class DataFileCopy {
    static let folder = "files"
    let source: String
    let destination: String
    private var modes: [String: Int] = [:]

    init(source: String, destination: String) {
        self.source = source
        self.destination = destination
    }

    /// Copies every finished file under `subfolder` (nil: the whole data directory). A `.part`
    /// file is one still being written: its job has not completed, so the backup has no use for it.
    func copy(only subfolder: String?) throws {
        let root = subfolder.map { "\(source)/\($0)" } ?? source
        for relative in try BackupFiles.list(root, skip: { $0.hasSuffix(".part") }) {
            let path = subfolder.map { "\($0)/\(relative)" } ?? relative
            let mode = (try? FileManager.default.attributesOfItem(atPath: "\(source)/\(path)")[.posixPermissions] as? NSNumber)?.intValue
            try BackupFiles.copy(path, from: source, to: destination)
            modes[path] = mode ?? 0o640
        }
    }

    /// The manifest entry with the source file's mode, for files of the data directory.
    func withMode(_ file: BackupManifest.File) -> BackupManifest.File {
        guard file.path.hasPrefix("\(Self.folder)/") else { return file }
        var file = file
        file.mode = modes[String(file.path.dropFirst(Self.folder.count + 1))]
        return file
    }
}
