import Foundation

/// Where an export's bytes go: `<file>.part`, directly or through `gzip -1` (a child process, so
/// compression runs on another core while this thread reads rows). Renamed to its final name
/// only once complete, so no partial file is ever downloadable (SECURITY rule 23).
final class ExportSink {
    let finalPath: String
    private let partialPath: String
    private let file: FileHandle
    private let gzip: Process?
    private let pipe: Pipe?
    private(set) var bytesIn: Int64 = 0

    init(path: String, compress: Bool) throws {
        finalPath = path
        partialPath = path + ".part"
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        guard FileManager.default.createFile(atPath: partialPath, contents: nil, attributes: [.posixPermissions: 0o640]),
              let file = FileHandle(forWritingAtPath: partialPath) else {
            throw JobFailure(description: "The export file could not be created.")
        }
        self.file = file
        if compress {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.gzipPath)
            process.arguments = ["-1", "-c"]
            let pipe = Pipe()
            process.standardInput = pipe
            process.standardOutput = file
            try process.run()
            gzip = process
            self.pipe = pipe
        } else {
            gzip = nil
            pipe = nil
        }
    }

    private static var gzipPath: String {
        ["/usr/bin/gzip", "/bin/gzip"].first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/bin/gzip"
    }

    func write(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        try (pipe?.fileHandleForWriting ?? file).write(contentsOf: bytes)
        bytesIn += Int64(bytes.count)
    }

    /// Flushes, waits for gzip, renames into place; returns the file's size.
    func finish() throws -> Int64 {
        if let pipe, let gzip {
            try pipe.fileHandleForWriting.close()
            gzip.waitUntilExit()
            guard gzip.terminationStatus == 0 else {
                throw JobFailure(description: "gzip failed (status \(gzip.terminationStatus)).")
            }
        }
        try file.synchronize()
        try file.close()
        guard rename(partialPath, finalPath) == 0 else { throw JobFailure(description: "The export file could not be renamed.") }
        let size = (try? FileManager.default.attributesOfItem(atPath: finalPath)[.size] as? Int64) ?? nil
        return size ?? bytesIn
    }

    /// Stops and removes everything written (a failed, cancelled or stopped export).
    func abandon() {
        if let gzip, gzip.isRunning {
            try? pipe?.fileHandleForWriting.close()
            gzip.terminate()
            gzip.waitUntilExit()
        }
        try? file.close()
        try? FileManager.default.removeItem(atPath: partialPath)
        try? FileManager.default.removeItem(atPath: finalPath)
    }
}
