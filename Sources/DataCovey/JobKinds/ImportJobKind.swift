/// Imports (DESIGN §7): a file uploaded into a table, loaded by `ImportRunner`.
extension JobKind {
    static let imports = JobKind(
        table: "import_jobs",
        noun: "import",
        collection: "imports",
        historyTable: "import_job_history",
        progress: ProgressColumns(bytes: "bytes_read", rows: "rows_loaded", rejected: "rows_rejected"),
        claimColumns: ClaimedImport.columns,
        // The upload is the import's input: kept while the job may still read it.
        files: Files(directory: .uploads, role: .input),
        owners: [Owner(kind: .table, column: "table_id")],
        dependentTables: ["import_rejects", "import_row_runs"],
        makeRunner: { queue, context in
            ImportRunner(queue: queue, pool: context.pool, files: context.files, logger: context.logger)
        })
}
