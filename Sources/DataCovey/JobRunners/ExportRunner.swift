import Foundation
import Logging
import MariaDB

/// An export job as the worker holds it.
struct ClaimedExport: Sendable {
    let id: Int64
    let tenantID: Int64
    let source: ExportJobStore.Source
    let options: ExportOptions
    let attempt: Int64

    /// The export columns `JobQueue.claim` selects after id, tenant and attempts (`JobKind.exports`):
    /// each source's column, in `ExportSources.all` order, then the options.
    static let columns = (ExportSources.all.map(\.column) + ["format", "compression", "options"]).joined(separator: ", ")

    /// Nil when the row cannot be read (no source, bad options).
    init?(_ claim: JobQueue.Claim) throws {
        var source: ExportJobStore.Source?
        for (index, kind) in ExportSources.all.enumerated() where source == nil {
            source = try claim.row.decode(Int64?.self, at: 3 + index).map { ExportJobStore.Source(kind: kind, id: $0) }
        }
        let optionsAt = 3 + ExportSources.all.count
        guard let source,
              let format = ExportOptions.Format(rawValue: try claim.row.decode(String.self, at: optionsAt)),
              let compression = ExportOptions.Compression(rawValue: try claim.row.decode(String.self, at: optionsAt + 1)),
              var options = try? StoredJSON.decode(ExportOptions.self, from: try claim.row.decode(String.self, at: optionsAt + 2))
        else { return nil }
        options.format = format
        options.compression = compression
        id = claim.id
        tenantID = claim.tenantID
        attempt = claim.attempt
        self.source = source
        self.options = options
    }
}

/// Runs one claimed export: streams its source's rows (unbuffered, so memory stays flat) into a
/// `.part` file, renames it when complete, and only then marks the job completed with its path.
/// Stopped or failed, the partial file is removed; killed, it is left as `.part`, which nothing
/// serves and retention removes.
struct ExportRunner: JobRunner {
    let queue: JobQueue
    let pool: MariaDBPool
    let files: JobFiles
    let logger: Logger
    /// A saved query's export runs on the project's own account, like any user SQL.
    let queries: QueryExports

    func prepare(_ claim: JobQueue.Claim) -> PreparedJob? {
        guard let job = (try? ClaimedExport(claim)) ?? nil else {
            _ = try? queue.fail(claim.id, reason: "The export's source or options could not be read.", JobProgress.Snapshot())
            return nil
        }
        let progress = JobProgress(bytesTotal: 0)
        return PreparedJob(progress: progress) { run(job, progress: progress) }
    }

    func run(_ job: ClaimedExport, progress: JobProgress) {
        var metadata: Logger.Metadata = ["job": "\(job.id)", "tenant": "\(job.tenantID)", "attempt": "\(job.attempt)"]
        var sink: ExportSink?
        // The file the completion names, once it is being written: an error after that may
        // come after the COMMIT (the connection, or the database node, died before the
        // answer), so the file is abandoned only if the job did not complete with it.
        var completing: String?
        func completedAnyway() -> Bool {
            guard let completing else { return false }
            let found = try? pool.withConnection { connection in
                try connection.query("""
                    SELECT 1 FROM export_jobs WHERE id = \(job.id) AND status = 'completed' AND file_path = \(completing)
                    """).isEmpty == false
            }
            return found ?? false
        }
        do {
            let writeRows = try job.source.kind.rows(self, job, job.source.id, progress)
            files.removePartials(.exports, tenant: job.tenantID, job: job.id)
            let relative = files.newPath(.exports, tenant: job.tenantID, job: job.id, suffix: job.options.suffix)
            let output = try ExportSink(path: files.absolute(relative), compress: job.options.compression == .gzip)
            sink = output
            let rows = try writeRows(output)
            let size = try output.finish()
            let done = JobProgress.Snapshot(bytes: size, rows: rows, rejected: 0, percent: 100)
            completing = relative
            let completed = try pool.withConnection { connection in
                try connection.execute(queue.completion(job.id, done, extra: "file_path = \(relative), bytes_total = \(size)")).affectedRows == 1
            }
            guard completed else { throw JobStopped(reason: .notThisWorkers) }
            metadata["rows"] = "\(rows)"
            metadata["bytes"] = "\(size)"
            logger.info("export completed", metadata: metadata)
        } catch let stopped as JobStopped {
            sink?.abandon()
            metadata["reason"] = "\(stopped.reason)"
            if stopped.reason == .shuttingDown { try? queue.handBack(job.id) }
            logger.info("export stopped", metadata: metadata)
        } catch let error as MariaDBError where error.isDeadlock {
            // The completion lost a race on the cluster (certification failed, 1213: e.g. the
            // job was cancelled on another node at the same time); it was rolled back. Run
            // again if still this worker's (the attempt counted), else the winner decided.
            sink?.abandon()
            metadata["reason"] = "\(error)"
            let requeued = (try? queue.requeue(job.id)) ?? false
            logger.info(requeued ? "export requeued after a conflict" : "export lost a conflict", metadata: metadata)
        } catch {
            if completedAnyway() {
                logger.info("export completed (its answer was lost)", metadata: metadata)
                return
            }
            sink?.abandon()
            let reason = ImportRunner.reason(error, nothingDone: "no file was written")
            _ = try? queue.fail(job.id, reason: reason, progress.snapshot)
            metadata["reason"] = "\(reason)"
            logger.info("export failed", metadata: metadata)
        }
    }

    /// Streams the table's rows (filtered, in clustered order) into the file; returns the count
    /// (`ExportSourceKind.table`).
    func tableRows(_ job: ClaimedExport, table tableID: Int64, progress: JobProgress) throws -> (ExportSink) throws -> Int64 {
        guard let target = try pool.withConnection({ try ImportTarget.load(tenant: job.tenantID, table: tableID, connection: $0) }) else {
            throw JobFailure(description: "The table no longer exists or has no columns.")
        }
        let all = target.columns.map { RowStore.Column(name: $0.name, type: $0.type, isNullable: $0.nullable, hasDefault: $0.hasDefault) }
        let columns: [RowStore.Column]
        let filters: [RowStore.Filter]
        do {
            columns = try job.options.selectedColumns(of: all)
            filters = try RowFilters.parse(job.options.filterPairs, columns: all)
        } catch let error as DomainError {
            throw JobFailure(description: "The export no longer fits the table: \(error.detail)")
        }
        // The percent is of InnoDB's row estimate: an export cannot know its total in advance.
        let databases = DataDatabases(pool: pool)
        let estimate = max((try? databases.approximateRowCounts(database: target.database))?[target.table] ?? 0, 1)
        return { output in
            let encoder = ExportEncoder(columns: columns, format: job.options.format, escapesFormulas: job.options.escapesFormulas)
            var buffer: [UInt8] = []
            buffer.reserveCapacity(1 << 20 + 65_536)
            encoder.header(into: &buffer)
            var rows: Int64 = 0
            var store = RowStore(databases: databases, database: target.database, table: target.table, columns: columns)
            // Checked when the export was asked for; versions purged since read as absent.
            store.asOf = try job.options.asOf.map { try AsOf.parse($0) }
            try store.streamText(filters) { row in
                encoder.append(row, into: &buffer)
                rows += 1
                try ExportChunks.flush(&buffer, to: output, rows: rows, progress: progress, estimate: estimate)
            }
            try output.write(buffer)
            return rows
        }
    }
}

/// Hands the buffer to the file every MiB and checks for a stop every 4096 rows.
enum ExportChunks {
    static func flush(_ buffer: inout [UInt8], to output: ExportSink, rows: Int64, progress: JobProgress, estimate: Int64?) throws {
        if buffer.count >= 1 << 20 {
            try output.write(buffer)
            buffer.removeAll(keepingCapacity: true)
        }
        if rows % 4096 == 0 {
            if let reason = progress.stopRequested { throw JobStopped(reason: reason) }
            progress.update(bytes: output.bytesIn, rows: rows, done: estimate == nil ? 0 : rows, of: estimate ?? 1)
        }
    }
}
