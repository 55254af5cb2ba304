import Foundation

/// Where uploads and exports live under the data directory, and how they get there: always
/// written under a temporary name and renamed when complete, so a reader never sees half a
/// file. Paths stored with a job are relative (`uploads/…`, `exports/…`) and made only of
/// names this code generates; nothing a client sends becomes part of a path.
struct JobFiles: Sendable {
    let dataDirectory: String

    /// A directory of job files; each job kind names its own (`JobKind.files`).
    struct Kind: RawRepresentable, Hashable, Sendable {
        let rawValue: String

        static let uploads = Kind(rawValue: "uploads")
        static let exports = Kind(rawValue: "exports")
    }

    /// A fresh relative path: `<kind>/<tenant>/[<job>-]<random>.<suffix>`.
    func newPath(_ kind: Kind, tenant: Int64, job: Int64? = nil, suffix: String) -> String {
        "\(kind.rawValue)/\(tenant)/\(job.map { "\($0)-" } ?? "")\(UUID().uuidString.lowercased()).\(suffix)"
    }

    /// Removes the partial files an earlier, killed attempt of `job` left behind.
    func removePartials(_ kind: Kind, tenant: Int64, job: Int64) {
        let directory = absolute("\(kind.rawValue)/\(tenant)")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        where name.hasPrefix("\(job)-") && name.hasSuffix(".part") {
            try? FileManager.default.removeItem(atPath: "\(directory)/\(name)")
        }
    }

    func absolute(_ relative: String) -> String { "\(dataDirectory)/\(relative)" }

    /// Streams `next` chunks (empty = end) into `relative` via `<path>.part`; returns the size.
    /// A failure removes the partial file.
    func write(_ relative: String, _ next: () throws -> [UInt8]) throws -> Int64 {
        try write(relative) { (append: ([UInt8]) throws -> Void) in
            while true {
                let chunk = try next()
                if chunk.isEmpty { return }
                try append(chunk)
            }
        }
    }

    /// The same, for a producer that pushes: `produce` calls `append` with each chunk.
    func write(_ relative: String, pushing produce: (_ append: ([UInt8]) throws -> Void) throws -> Void) throws -> Int64 {
        let path = absolute(relative)
        let partial = path + ".part"
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        guard FileManager.default.createFile(atPath: partial, contents: nil, attributes: [.posixPermissions: 0o640]),
              let handle = FileHandle(forWritingAtPath: partial) else {
            throw DomainError.bug("cannot create \(partial)")
        }
        var size: Int64 = 0
        do {
            defer { try? handle.close() }
            try produce { chunk in
                try handle.write(contentsOf: chunk)
                size += Int64(chunk.count)
            }
            try handle.synchronize()
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
        guard rename(partial, path) == 0 else {
            try? FileManager.default.removeItem(atPath: partial)
            throw DomainError.bug("cannot rename \(partial)")
        }
        return size
    }

    func remove(_ relative: String?) {
        guard let relative else { return }
        try? FileManager.default.removeItem(atPath: absolute(relative))
    }
}
