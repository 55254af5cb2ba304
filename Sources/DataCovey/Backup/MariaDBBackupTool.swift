import Foundation
import MariaDB

/// The `mariadb-backup` program (Debian package `mariadb-backup`, installed by
/// scripts/lib/deps.sh), run as a child process with its output appended to a log file.
///
/// Credentials travel in a defaults file of mode 0600 inside the (0700) backup directory,
/// removed when the call returns, never on the command line, where `ps` shows them to every
/// user of the host.
struct MariaDBBackupTool {
    var executable = "mariadb-backup"
    let log: String

    /// `mariadb-backup --version`, e.g. "mariadb-backup based on MariaDB server 10.11.19-MariaDB …".
    func version() throws -> String {
        let output = try run(["--version"], captureOutput: true)
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Copies the running server's files into `target` (which must not exist yet). The copy is
    /// consistent at one instant of the server: InnoDB's redo log is copied alongside the data
    /// files, DDL is followed, and the end runs under `BACKUP STAGE BLOCK_COMMIT`.
    func backup(into target: String, server: MariaDBConfiguration, credentialsDirectory: String) throws {
        let credentials = "\(credentialsDirectory)/.mariadb-backup-client.cnf"
        var lines = ["[mariadb-backup]", "user=\(server.user)"]
        if !server.password.isEmpty { lines.append("password=\(server.password)") }
        switch server.endpoint {
        case .unixSocket(let path): lines.append("socket=\(path)")
        case .tcp(let host, let port): lines += ["host=\(host)", "port=\(port)", "protocol=tcp"]
        }
        guard FileManager.default.createFile(atPath: credentials, contents: Data((lines.joined(separator: "\n") + "\n").utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw BackupError("cannot write \(credentials)")
        }
        defer { try? FileManager.default.removeItem(atPath: credentials) }
        _ = try run(["--defaults-file=\(credentials)", "--backup", "--target-dir=\(target)"])
    }

    /// Applies the copied redo log, so the files are those of a cleanly stopped server at the
    /// backup's instant (transactions still open then, such as a loading import, rolled back).
    func prepare(_ target: String) throws {
        _ = try run(["--no-defaults", "--prepare", "--target-dir=\(target)"])
    }

    /// Copies a prepared backup into an empty data directory of a stopped server.
    func copyBack(_ source: String, into datadir: String) throws {
        _ = try run(["--no-defaults", "--copy-back", "--target-dir=\(source)", "--datadir=\(datadir)"])
    }

    private func run(_ arguments: [String], captureOutput: Bool = false) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        if !FileManager.default.fileExists(atPath: log) {
            FileManager.default.createFile(atPath: log, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        guard let logHandle = FileHandle(forWritingAtPath: log) else { throw BackupError("cannot write \(log)") }
        defer { try? logHandle.close() }
        try logHandle.seekToEnd()
        logHandle.write(Data("==> \(executable) \(arguments.joined(separator: " "))\n".utf8))
        let pipe = Pipe()
        // `--version` answers on stderr.
        process.standardOutput = captureOutput ? pipe : logHandle
        process.standardError = captureOutput ? pipe : logHandle
        do {
            try process.run()
        } catch {
            throw BackupError("cannot run \(executable) (install the Debian package mariadb-backup): \(error)")
        }
        let output = captureOutput ? pipe.fileHandleForReading.readDataToEndOfFile() : Data()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BackupError("\(executable) \(arguments.last ?? "") failed (exit \(process.terminationStatus)); its log: \(log)")
        }
        return String(decoding: output, as: UTF8.self)
    }
}
