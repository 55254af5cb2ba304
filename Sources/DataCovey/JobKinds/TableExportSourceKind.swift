/// A table's rows, filtered and with the chosen columns (`POST /api/v1/tables/{id}/exports`),
/// streamed by `ExportRunner.tableRows` in clustered order.
extension ExportSourceKind {
    static let table = ExportSourceKind(column: "table_id", owner: .table) { runner, job, id, progress in
        try runner.tableRows(job, table: id, progress: progress)
    }
}

extension ExportJobStore.Source {
    static func table(_ id: Int64) -> Self { Self(kind: .table, id: id) }
}
