import Foundation
import Logging
import MariaDB

/// Removes job files past the retention period: outputs such as exports (a later download is
/// told the file expired) and inputs such as uploads that no pending or running job still
/// needs; and partial files of killed exports after an hour without a write. The directories
/// and roles come from the job kinds (`JobKind.files`).
struct JobFileRetention {
    /// Every directory a job kind keeps files in, each once.
    static var directories: [JobFiles.Kind] {
        JobKinds.all.compactMap(\.files?.directory).reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
    }

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
                try JobKinds.all.filter { $0.files?.role == .input }.flatMap { kind in
                    try connection.query("""
                        SELECT file_path FROM \(unsafeRaw: kind.table) WHERE status IN ('pending', 'running') AND file_path IS NOT NULL
                        """).map { try $0.decode(String.self, at: 0) }
                }
            })
            for kind in Self.directories {
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
