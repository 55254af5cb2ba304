import Metrics

/// The worker's record of the jobs it ran: how many ended in each state and how long each
/// took, by kind (`import_jobs`, `export_jobs` tables name the kinds).
enum JobMetrics {
    /// Records a run of a job of `kind` that left its row in `state` (`completed`, `failed`,
    /// `cancelled`, or `pending` when handed back at shutdown) after `nanoseconds`.
    static func record(kind: String, state: String, nanoseconds: Int64) {
        let dimensions = [("kind", kind), ("state", state)]
        Counter(label: MetricsBootstrap.jobs, dimensions: dimensions).increment()
        Metrics.Timer(label: MetricsBootstrap.jobDuration, dimensions: dimensions).recordNanoseconds(nanoseconds)
    }

    /// The jobs of `kind` this worker runs right now.
    static func running(kind: String, count: Int) {
        Gauge(label: MetricsBootstrap.jobsRunning, dimensions: [("kind", kind)]).record(count)
    }
}
