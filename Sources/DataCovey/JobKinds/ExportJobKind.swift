/// Exports (DESIGN §7): a table's rows or a saved query's result written to a file by
/// `ExportRunner`.
extension JobKind {
    static let exports = JobKind(
        table: "export_jobs",
        noun: "export",
        collection: "exports",
        historyTable: "export_job_history",
        progress: ProgressColumns(bytes: "bytes_written", rows: "rows_exported", rejected: nil),
        claimColumns: ClaimedExport.columns,
        // The written file is the export's output: it expires after the retention.
        files: Files(directory: .exports, role: .output),
        // An export goes to the trash with whatever it reads.
        owners: ExportSources.all.map { Owner(kind: $0.owner, column: $0.column) },
        dependentTables: [],
        makeRunner: { queue, context in
            ExportRunner(queue: queue, pool: context.pool, files: context.files, logger: context.logger,
                         queries: QueryExports(pool: context.pool, configuration: context.configuration))
        })
}
