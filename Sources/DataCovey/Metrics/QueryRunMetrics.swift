import Metrics

/// Counts user SQL runs by the status they end with in `query_runs` (`completed`, `failed`;
/// a run the guard refused is stored, and counted, as `failed`). Recorded by the store right
/// after it writes that status, so the counter and the table tell the same story.
enum QueryRunMetrics {
    static func record(_ status: String) {
        Counter(label: MetricsBootstrap.queryRuns, dimensions: [("status", status)]).increment()
    }
}
