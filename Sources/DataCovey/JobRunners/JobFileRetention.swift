import Foundation
import Logging
import MariaDB

/// Removes job files past the retention period: exports (a later download is told the file
/// expired) and uploads no pending or running job still needs; and partial files of killed
/// exports after an hour without a write.
struct JobFileRetention {
    let files: JobFiles
    let pool: MariaDBPool
    let hours: Int
    let logger: Logger

    func sweep() {
        let cutoff = Date().addingTimeInterval(-Double(hours) * 3600)
        // A `.part` nobody has written to for an hour belongs to a killed export.
        let partialCutoff = Date().addingTimeInterval(-3600)
        var removed = 0
        do {
            let needed = Set(try pool.withConnection { connection in
                try connection.query("SELECT file_path FROM import_jobs WHERE status IN ('pending', 'running') AND file_path IS NOT NULL")
                    .map { try $0.decode(String.self, at: 0) }
            })
            for kind in [JobFiles.Kind.uploads, .exports] {
                let root = files.absolute(kind.rawValue)
                guard let enumerator = FileManager.default.enumerator(atPath: root) else { continue }
                while let name = enumerator.nextObject() as? String {
                    let relative = "\(kind.rawValue)/\(name)"
                    let path = files.absolute(relative)
                    guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                          attributes[.type] as? FileAttributeType == .typeRegular,
                          let modified = attributes[.modificationDate] as? Date,
                          modified < (name.hasSuffix(".part") ? max(cutoff, partialCutoff) : cutoff),
                          !needed.contains(relative) else { continue }
                    try? FileManager.default.removeItem(atPath: path)
                    removed += 1
                }
            }
        } catch {
            logger.warning("retention sweep failed", metadata: ["error": "\(error)"])
        }
        if removed > 0 { logger.info("retention removed job files", metadata: ["files": "\(removed)"]) }
    }
}
