/// One kind of thing an export reads (a table's rows, a saved query's result), as the export
/// machinery sees it: the `export_jobs` column that names the object (exactly one is set), the
/// object whose delete takes the export to the trash, and how the worker writes its rows. A
/// source is a file declaring its `ExportSourceKind` (see TableExportSourceKind.swift) plus a
/// line in `ExportSources.all`; `JobKindRegistryTests` checks its column, routes and document.
struct ExportSourceKind: Sendable {
    /// The `export_jobs` column holding the source object's id.
    let column: String
    /// The object the column points at, whose delete takes its exports along.
    let owner: TrashKind
    /// Plans the export (a source that is gone or no longer fits fails the job before a file
    /// exists) and returns the writer of its rows, which answers the number of rows written.
    let rows: @Sendable (_ runner: ExportRunner, _ job: ClaimedExport, _ id: Int64, _ progress: JobProgress) throws
        -> (ExportSink) throws -> Int64
}

extension ExportJobStore {
    /// What an export reads: one object of one source kind (`.table(id)`, `.query(id)`).
    struct Source: Sendable {
        let kind: ExportSourceKind
        let id: Int64
    }
}
