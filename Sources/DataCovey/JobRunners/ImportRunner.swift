import Foundation
import Logging
import MariaDB

/// Runs one claimed import from its upload to `completed` or `failed`.
///
/// Atomic by construction (SECURITY rule 22): an `append` loads inside one transaction that also
/// marks the job completed, so a failure, a cancel or a kill -9 (the server rolls back the
/// dropped connection's transaction) leaves no row behind. A `replace` deletes the rows and
/// loads the file in one such transaction too, so readers see the old rows or the new ones,
/// never a mix, and the old rows stay in the table's history (system versioning).
struct ImportRunner: JobRunner {
    let queue: JobQueue
    let pool: MariaDBPool
    let files: JobFiles
    let logger: Logger

    func prepare(_ claim: JobQueue.Claim) -> PreparedJob? {
        guard let job = (try? ClaimedImport(claim)) ?? nil else {
            _ = try? queue.fail(claim.id, reason: "The import's options could not be read.", JobProgress.Snapshot())
            return nil
        }
        let progress = JobProgress(bytesTotal: job.bytesTotal)
        return PreparedJob(progress: progress) { run(job, progress: progress) }
    }

    func run(_ job: ClaimedImport, progress: JobProgress) {
        let rejects = ImportRejectLog(pool: pool, tenant: job.tenantID, job: job.id)
        var metadata: Logger.Metadata = ["job": "\(job.id)", "tenant": "\(job.tenantID)", "attempt": "\(job.attempt)"]
        let autodetect = ImportAutodetect(pool: pool)
        // The definition this job made, taken back unless the job completes for real; before
        // its final status is written, so whoever sees the status sees the table as it is left.
        var defined: ImportAutodetect.Defined?
        func takeBack() {
            guard let taken = defined else { return }
            do {
                try autodetect.undo(job, taken)
                defined = nil
            } catch {
                logger.error("could not take back an autodetected definition", metadata: metadata.merging(["error": "\(error)"]) { $1 })
            }
        }
        defer { takeBack() }
        do {
            try rejects.clear()
            if job.options.format == .csv || job.options.format == .ndjson, let relative = job.filePath {
                defined = try autodetect.defineIfPending(job, path: files.absolute(relative))
            }
            guard let target = try pool.withConnection({ try ImportTarget.load(tenant: job.tenantID, table: job.tableID, connection: $0) }),
                  !target.columns.isEmpty else {
                throw JobFailure(description: "The table no longer exists or has no columns.")
            }
            guard let relative = job.filePath, FileManager.default.fileExists(atPath: files.absolute(relative)) else {
                throw JobFailure(description: "The uploaded file is gone (removed by retention?); upload it again.")
            }
            let rows = try ImportReaders.rows(of: files.absolute(relative), options: job.options, target: target)
            let stream = ImportLoadStream(rows: rows, target: target, options: job.options, progress: progress, rejects: rejects)
            // A dry run only shows what the definition would be: it is taken back before the job
            // reads as completed, so no one sees a completed dry run with the columns in place.
            let loaded = try load(job, target: target, stream: stream, rejects: rejects, beforeDryRunCompletes: takeBack)
            if !job.options.dryRun { defined = nil }
            files.remove(relative)
            metadata["rows"] = "\(loaded.rows)"
            metadata["rejected"] = "\(loaded.rejected)"
            logger.info("import completed", metadata: metadata)
        } catch let stopped as JobStopped {
            metadata["reason"] = "\(stopped.reason)"
            if stopped.reason == .shuttingDown {
                defined = nil  // the retry loads into it
                try? queue.handBack(job.id)
                logger.info("import handed back", metadata: metadata)
            } else {
                logger.info("import stopped", metadata: metadata)
            }
        } catch let error as MariaDBError where error.isDeadlock {
            // The load's transaction lost a race (on a Galera cluster: certification failed
            // at its commit, e.g. the same keys written on another node, or the job cancelled
            // or taken over there) and was rolled back whole. Run again if still this
            // worker's, the attempt counted (JobQueue.requeue); else the winner decided.
            takeBack()
            try? rejects.flush()
            metadata["reason"] = "\(error)"
            let requeued = (try? queue.requeue(job.id)) ?? false
            logger.info(requeued ? "import requeued after a conflict" : "import lost a conflict", metadata: metadata)
        } catch let error as MariaDBError where !job.options.dryRun && (error.isConnectionFailure || error.isCommitRefused) {
            // The database node died under the load (on a cluster: the connection was lost, or
            // the node left the cluster mid-commit, 1180). The load and the job's completion
            // are one transaction, so the job's row, read on whichever node answers now, tells
            // whether it committed: completed means the answer alone was lost; otherwise nothing
            // of it stayed, and it runs again like a load that lost a conflict.
            metadata["reason"] = "\(error)"
            if (try? queue.status(of: job.id)) == "completed" {
                defined = nil
                if let relative = job.filePath { files.remove(relative) }
                logger.info("import completed (its answer was lost with its database node)", metadata: metadata)
            } else {
                takeBack()
                try? rejects.flush()
                let requeued = (try? queue.requeue(job.id)) ?? false
                logger.info(requeued ? "import requeued after its database node failed" : "import lost with its database node",
                            metadata: metadata)
            }
        } catch {
            let reason = Self.reason(error)
            // Before the job reads as failed, for the same reason as a dry run's.
            takeBack()
            try? rejects.flush()
            do {
                if try queue.fail(job.id, reason: reason, progress.snapshot) { files.remove(job.filePath) }
            } catch {
                logger.error("could not record a failed import", metadata: metadata.merging(["error": "\(error)"]) { $1 })
            }
            metadata["reason"] = "\(reason)"
            logger.info("import failed", metadata: metadata)
        }
    }

    /// Loads (or, for a dry run, only reads) and completes the job; throws to fail or stop it.
    private func load(_ job: ClaimedImport, target: ImportTarget, stream: ImportLoadStream,
                      rejects: ImportRejectLog, beforeDryRunCompletes: () -> Void) throws -> JobProgress.Snapshot {
        func snapshot() -> JobProgress.Snapshot {
            JobProgress.Snapshot(bytes: job.bytesTotal, rows: stream.rowsLoaded, rejected: stream.rowsRejected, percent: 100)
        }
        // What a revert needs (see ImportRevert): the columns loaded into, and the first row id
        // of an append (a replace needs only its finished_at, the instant of its change).
        func complete(_ connection: MariaDBConnection, _ revert: SQLQuery? = nil) throws {
            var extra: SQLQuery = "header_mapping = \(HeaderMapping.json(stream.headerMappings)), column_signature = "
            extra.append(ImportJob.columnSignature(table: job.tableID, columns: "datacovey.table_columns"))
            if let revert {
                extra.append(", ")
                extra.append(revert)
            }
            guard try connection.execute(queue.completion(job.id, snapshot(), extra: extra)).affectedRows == 1 else {
                throw JobStopped(reason: .notThisWorkers)
            }
        }
        return try pool.withConnection { connection in
            if job.options.dryRun {
                try stream.drain()
                try rejects.flush()
                beforeDryRunCompletes()
                try complete(connection)
            } else if job.options.mode == .append {
                try ImportTransaction.run(on: connection) { connection in
                    let stored = try connection.loadLocalInfile(ImportLoadStream.statement(into: target.qualifiedName, target: target), from: stream)
                    try Self.requireEveryRow(stored: stored, sent: stream.rowsLoaded)
                    try rejects.flush()
                    // Which rows it added, for a revert: its ids are neither consecutive nor a
                    // block of their own (innodb_autoinc_lock_mode 2, Galera's auto-increment
                    // steps, other writers of the table), so they are recorded as runs
                    // (ImportRowRuns). LAST_INSERT_ID() is the load's first id; first_row_id
                    // keeps it, for information (only jobs from before the runs are reverted by it).
                    var firstRow: SQLQuery = "first_row_id = NULL"
                    if stream.rowsLoaded > 0 {
                        let (first, step) = try connection.query("SELECT LAST_INSERT_ID(), @@auto_increment_increment")[0]
                            .decode((Int64, Int64).self)
                        let runs = try ImportRowRuns.find(in: target.qualifiedName, from: first, step: step, on: connection)
                        let found = runs.reduce(0) { $0 + $1.rows }
                        guard found == stream.rowsLoaded else {
                            throw JobFailure(description: "The import loaded \(stream.rowsLoaded) rows but could not tell \(found) of them "
                                + "from other rows of the table, so it could not be reverted; no row was loaded.")
                        }
                        try ImportRowRuns.record(runs, tenant: job.tenantID, job: job.id, on: connection)
                        firstRow = "first_row_id = \(first)"
                    }
                    try complete(connection, firstRow)
                }
            } else {
                // Replace in place (issue 15): the old rows are deleted and the file loaded into
                // the live table in one transaction, so readers see the old rows or the new ones,
                // never a mix, and system versioning keeps the old rows' versions: `as_of` before
                // the replace reads them, and a revert restores them from there (ImportRevert).
                // The old way, a staging table swapped in by RENAME, left the old versions in a
                // table outside the live one. One pinned instant stamps the deleted rows' ends and
                // the loaded rows' starts alike (ChangeInstant), so no instant reads the table
                // empty; the clock runs again for the job's finished_at, the real end. A revert
                // finds the instant as the table's last version boundary before finished_at (the
                // DELETE's locks keep every other change of the table out until the commit).
                // The cost: the old rows are rewritten as history (measured in the report of
                // issue 15), and writers of the table wait for the load.
                try ChangeInstant.pinned(on: connection) { _ in
                    try ImportTransaction.run(on: connection) { connection in
                        try connection.executeText("DELETE FROM \(target.qualifiedName)")
                        let stored = try connection.loadLocalInfile(ImportLoadStream.statement(into: target.qualifiedName, target: target), from: stream)
                        try Self.requireEveryRow(stored: stored, sent: stream.rowsLoaded)
                        try rejects.flush()
                        try connection.executeText("SET @@timestamp = DEFAULT")
                        try complete(connection)
                    }
                }
            }
            return snapshot()
        }
    }

    /// The job's counters must be what the table gained. `LOAD DATA LOCAL` turns a duplicate
    /// key into a warning and skips the row (the server cannot stop the client's stream), so a
    /// load that stored fewer rows than it was sent fails whole, rolled back, rather than
    /// count rows that are not there.
    static func requireEveryRow(stored: UInt64, sent: Int64) throws {
        let sent = max(sent, 0)
        guard stored != UInt64(sent) else { return }
        let skipped = stored < UInt64(sent) ? sent - Int64(stored) : 0
        throw JobFailure(description: "\(skipped) of the \(sent) rows repeat a primary key of the table or of the file, "
            + "so the database skipped them; no row was loaded. Remove the repeated keys and import again.")
    }

    /// What the job's `error` says: the reader's own words, or a database refusal without the
    /// physical names behind it.
    static func reason(_ error: Error, nothingDone: String = "no row was loaded") -> String {
        switch error {
        case let failure as JobFailure: return failure.description
        case let error as MariaDBError where error.isValueRejected:
            return "A value does not fit its column (MariaDB error \(error.code)); \(nothingDone)."
        case let error as MariaDBError where error.isDuplicateKey:
            return "A row repeats a primary key of the table or of the file; \(nothingDone)."
        case let error as MariaDBError: return "The database refused the job (MariaDB error \(error.code)); \(nothingDone)."
        default: return "The import failed: \(error)"
        }
    }
}

/// An import job as the worker holds it: what to load, into which tenant's table.
struct ClaimedImport: Sendable {
    let id: Int64
    let tenantID: Int64
    let tableID: Int64
    let options: ImportOptions
    let filePath: String?
    let bytesTotal: Int64
    let attempt: Int64
    let createdBy: Int64?

    /// The import columns `JobQueue.claim` selects after id, tenant and attempts (`JobKind.imports`).
    static let columns = "table_id, options, file_path, COALESCE(bytes_total, 0), created_by"

    /// Nil when the stored options cannot be read (the job is then failed).
    init?(_ claim: JobQueue.Claim) throws {
        let tableID = try claim.row.decode(Int64.self, at: 3)
        let optionsJSON = try claim.row.decode(String.self, at: 4)
        guard let options = try? StoredJSON.decode(ImportOptions.self, from: optionsJSON) else { return nil }
        id = claim.id
        tenantID = claim.tenantID
        attempt = claim.attempt
        self.tableID = tableID
        self.options = options
        filePath = try claim.row.decode(String?.self, at: 5)
        bytesTotal = try claim.row.decode(Int64.self, at: 6)
        createdBy = try claim.row.decode(Int64?.self, at: 7)
    }
}

