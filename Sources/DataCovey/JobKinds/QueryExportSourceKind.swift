/// A saved query's whole result (`POST /api/v1/queries/{id}/exports`), run by `QueryExports`
/// on the project's own account.
extension ExportSourceKind {
    static let query = ExportSourceKind(column: "query_id", owner: .query) { runner, job, id, progress in
        try runner.queries.rows(job, query: id, progress: progress)
    }
}

extension ExportJobStore.Source {
    static func query(_ id: Int64) -> Self { Self(kind: .query, id: id) }
}
