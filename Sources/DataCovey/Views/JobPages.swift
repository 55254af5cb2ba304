import Foundation
import MariaDB

/// `GET /imports/{id}` and `GET /exports/{id}`: status, a progress bar that refreshes itself
/// (a meta refresh: no JavaScript) while the job is pending or running, the rejected records
/// (and all of them as CSV), the download link, and the actions the caller's role allows:
/// cancel (users) and revert (admins, as restores are). `GET /exports/{id}/download`
/// authorizes by session, then nginx serves.
struct JobPages: Sendable {
    let browser: BrowserAuthenticator
    let databases: DataDatabases
    let files: JobFiles

    func register(in router: inout Router) {
        router.add("GET", "/imports/{id:int}", showImport)
        router.add("POST", "/imports/{id:int}/cancel", cancelImport)
        router.add("POST", "/imports/{id:int}/revert", revertImport)
        router.add("GET", "/imports/{id:int}/rejects.csv", rejectsCSV)
        router.add("GET", "/exports/{id:int}", showExport)
        router.add("POST", "/exports/{id:int}/cancel", cancelExport)
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
        return try browser.page(request) { caller, connection, _ in try renderImport(id, caller, connection) }
    }

    private func renderImport(_ id: Int64, _ caller: BrowserAuthenticator.Caller, _ connection: MariaDBConnection,
                              message: String? = nil, status: Int = 200) throws -> Response {
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
        let role = caller.identity.role
        return Pages.shared.render("job", title: title, viewer: caller.viewer, [
            "kind": "import", "id": id, "title": title, "dry_run": dryRun, "message": message ?? "",
            "parent_url": "/tables/\(job.tableID)", "parent_name": tableName(job.tableID, caller, connection),
            "status": job.status.rawValue, "error": job.error ?? "", "percent": Int(job.percent.rounded()), "running": running,
            "facts": facts, "rejects": rejects.map { ["line": $0.line, "column": $0.column ?? "", "value": $0.value ?? "", "reason": $0.reason] },
            "has_rejects": !rejects.isEmpty, "rejects_url": job.rowsRejected > 0 ? "/imports/\(id)/rejects.csv" : "",
            "history_url": "/imports/\(id)/history", "version": job.version,
            "can_cancel": running && role >= .user, "cancel_url": "/imports/\(id)/cancel",
            "can_revert": role >= .admin && job.status == .completed && !dryRun && job.revertedAt == nil,
            "revert_url": "/imports/\(id)/revert",
        ], status: status, refresh: running && message == nil)
    }

    /// An import's status for lists: a completed dry run says what it would have loaded.
    static func importStatus(_ job: ImportJob) -> String {
        guard job.options.dryRun, job.status == .completed else { return job.status.rawValue }
        return "dry run: would load \(job.rowsLoaded) row\(job.rowsLoaded == 1 ? "" : "s"), loaded none"
    }

    func cancelImport(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request, minimum: .user, target: VisibleTarget.importJob(id, databases: databases)) { caller, connection, _ in
            do {
                _ = try imports(caller, connection).cancel(id)
            } catch let error as DomainError where error.kind == .conflict {
                return try renderImport(id, caller, connection, message: error.detail, status: 409)
            }
            return Response(status: 303, headers: [("Location", "/imports/\(id)")])
        }
    }

    /// Undoes a completed import, against the version the page showed: a change meanwhile is
    /// refused, not overwritten.
    func revertImport(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request, minimum: .admin, target: VisibleTarget.importJob(id, databases: databases)) { caller, connection, form in
            // No script runs on these pages (the CSP), so the confirmation is a box to tick.
            guard form["confirm"] == "yes" else {
                return try renderImport(id, caller, connection, message: "Tick the box to confirm the revert.", status: 422)
            }
            do {
                _ = try imports(caller, connection).revert(id, expectedVersion: form["version"].flatMap { Int64($0) })
            } catch let error as DomainError where error.kind == .conflict || error.kind == .stale {
                let message = error.kind == .stale ? "The import changed since this page was shown; look again before reverting." : error.detail
                return try renderImport(id, caller, connection, message: message, status: error.kind == .stale ? 412 : 409)
            }
            return Response(status: 303, headers: [("Location", "/imports/\(id)")])
        }
    }

    /// Every rejected record of an import (up to the stored limit) as CSV, as the API gives it.
    func rejectsCSV(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request) { caller, connection, _ in
            let rejects = try imports(caller, connection).rejects(ofJob: id, Page(limit: ImportRejectLimits.storedPerJob))
            return ImportRejectsCSV.response(rejects, job: id)
        }
    }

    func showExport(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request) { caller, connection, _ in try renderExport(id, caller, connection) }
    }

    private func renderExport(_ id: Int64, _ caller: BrowserAuthenticator.Caller, _ connection: MariaDBConnection,
                              message: String? = nil, status: Int = 200) throws -> Response {
        let exports = exports(caller, connection)
        let job = try exports.job(id)
        let running = job.status == .pending || job.status == .running
        // A saved query's export belongs to the query, as the editor shows it.
        var parentURL = "/tables/\(job.tableID ?? 0)"
        if let queryID = job.queryID,
           let query = try? SavedQueryOperations(caller: caller.identity, connection: connection).query(queryID) {
            parentURL = "/projects/\(query.projectID)/query?saved=\(queryID)"
        }
        return Pages.shared.render("job", title: "Export \(id)", viewer: caller.viewer, [
            "kind": "export", "id": id, "title": "Export \(id)", "message": message ?? "",
            "parent_url": parentURL, "parent_name": exports.sourceName(job),
            "status": job.status.rawValue, "error": job.error ?? "", "percent": Int(job.percent.rounded()), "running": running,
            "facts": [
                ["label": "Format", "value": "\(job.options.format.rawValue)\(job.options.compression == .gzip ? " (gzip)" : "")"],
                ["label": "Rows exported", "value": String(job.rowsExported)],
                ["label": "Bytes", "value": String(job.bytesWritten)],
                ["label": "Finished", "value": job.finishedAt.map { Pages.date($0) } ?? "—"],
            ],
            "download_url": job.status == .completed ? "/exports/\(id)/download" : "",
            "history_url": "/exports/\(id)/history",
            "can_cancel": running && caller.identity.role >= .user, "cancel_url": "/exports/\(id)/cancel",
        ], status: status, refresh: running && message == nil)
    }

    func cancelExport(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request, minimum: .user, target: VisibleTarget.exportJob(id, databases: databases)) { caller, connection, _ in
            do {
                _ = try exports(caller, connection).cancel(id)
            } catch let error as DomainError where error.kind == .conflict {
                return try renderExport(id, caller, connection, message: error.detail, status: 409)
            }
            return Response(status: 303, headers: [("Location", "/exports/\(id)")])
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
