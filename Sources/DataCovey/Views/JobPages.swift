import Foundation
import MariaDB

/// `GET /imports/{id}` and `GET /exports/{id}`: status, a progress bar that refreshes itself
/// (a meta refresh: no JavaScript) while the job is pending or running, the rejected records
/// and the download link; `GET /exports/{id}/download` authorizes by session, then nginx serves.
struct JobPages: Sendable {
    let browser: BrowserAuthenticator
    let databases: DataDatabases
    let files: JobFiles

    func register(in router: inout Router) {
        router.add("GET", "/imports/{id:int}", showImport)
        router.add("GET", "/exports/{id:int}", showExport)
        router.add("GET", "/exports/{id:int}/download", download)
    }

    private func imports(_ caller: BrowserAuthenticator.Caller, _ connection: MariaDBConnection) -> ImportOperations {
        ImportOperations(caller: caller.identity, connection: connection, databases: databases)
    }

    private func exports(_ caller: BrowserAuthenticator.Caller, _ connection: MariaDBConnection) -> ExportOperations {
        ExportOperations(caller: caller.identity, connection: connection, databases: databases)
    }

    private func tableName(_ id: Int64, _ caller: BrowserAuthenticator.Caller, _ connection: MariaDBConnection) -> String {
        (try? TableOperations(caller: caller.identity, connection: connection, databases: databases).find(id).table.name) ?? "table \(id)"
    }

    func showImport(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request) { caller, connection, _ in
            let imports = imports(caller, connection)
            let job = try imports.job(id)
            let rejects = try imports.rejects(ofJob: id, Page(limit: 100))
            let running = job.status == .pending || job.status == .running
            // A dry run reads and checks every record and loads nothing: its count is what would load.
            let dryRun = job.options.dryRun
            var facts: [[String: String]] = [
                ["label": "Mode", "value": job.options.mode.rawValue], ["label": "Format", "value": job.options.format.rawValue],
                ["label": dryRun ? "Rows that would load" : "Rows loaded", "value": String(job.rowsLoaded)],
                ["label": "Rows rejected", "value": String(job.rowsRejected)],
                ["label": "Started", "value": job.startedAt.map { Pages.date($0) } ?? "—"],
                ["label": "Finished", "value": job.finishedAt.map { Pages.date($0) } ?? "—"],
            ]
            if let reverted = job.revertedAt { facts.append(["label": "Reverted", "value": Pages.date(reverted)]) }
            let title = dryRun ? "Import \(id) (dry run)" : "Import \(id)"
            return Pages.shared.render("job", title: title, viewer: caller.viewer, [
                "kind": "import", "id": id, "title": title, "table_id": job.tableID, "dry_run": dryRun,
                "table_name": tableName(job.tableID, caller, connection),
                "status": job.status.rawValue, "error": job.error ?? "", "percent": Int(job.percent.rounded()), "running": running,
                "facts": facts, "rejects": rejects.map { ["line": $0.line, "column": $0.column ?? "", "value": $0.value ?? "", "reason": $0.reason] },
                "has_rejects": !rejects.isEmpty,
            ], refresh: running)
        }
    }

    /// An import's status for lists: a completed dry run says what it would have loaded.
    static func importStatus(_ job: ImportJob) -> String {
        guard job.options.dryRun, job.status == .completed else { return job.status.rawValue }
        return "dry run: would load \(job.rowsLoaded) row\(job.rowsLoaded == 1 ? "" : "s"), loaded none"
    }

    func showExport(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request) { caller, connection, _ in
            let exports = exports(caller, connection)
            let job = try exports.job(id)
            let running = job.status == .pending || job.status == .running
            return Pages.shared.render("job", title: "Export \(id)", viewer: caller.viewer, [
                "kind": "export", "id": id, "title": "Export \(id)", "table_id": job.tableID ?? 0,
                "table_name": exports.sourceName(job),
                "status": job.status.rawValue, "error": job.error ?? "", "percent": Int(job.percent.rounded()), "running": running,
                "facts": [
                    ["label": "Format", "value": "\(job.options.format.rawValue)\(job.options.compression == .gzip ? " (gzip)" : "")"],
                    ["label": "Rows exported", "value": String(job.rowsExported)],
                    ["label": "Bytes", "value": String(job.bytesWritten)],
                    ["label": "Finished", "value": job.finishedAt.map { Pages.date($0) } ?? "—"],
                ],
                "download_url": job.status == .completed ? "/exports/\(id)/download" : "",
            ], refresh: running)
        }
    }

    func download(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request) { caller, connection, _ in
            let exports = exports(caller, connection)
            let job = try exports.job(id)
            return try ExportDownload.response(job, name: exports.downloadName(job), files: files)
        }
    }
}
