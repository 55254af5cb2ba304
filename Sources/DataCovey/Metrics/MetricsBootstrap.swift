import Metrics
import Prometheus

/// Names the metric families DataCovey records and bootstraps swift-metrics onto a Prometheus
/// registry. The code records through the swift-metrics API (`Counter`, `Timer`, `Gauge`); the
/// registry renders the text exposition. Each process (responder, worker) has its own registry
/// and exports it its own way (`/metrics`, the worker's textfile).
public enum MetricsBootstrap {
    static let requests = "datacovey_http_requests_total"
    static let requestDuration = "datacovey_http_request_duration_seconds"
    static let jobs = "datacovey_jobs_total"
    static let jobDuration = "datacovey_job_duration_seconds"
    static let jobsRunning = "datacovey_jobs_running"
    static let queryRuns = "datacovey_query_runs_total"
    static let buildInfo = "datacovey_build_info"

    /// Bootstraps the process-wide `MetricsSystem` once (swift-metrics allows one bootstrap per
    /// process) and answers the registry to export. Called by the executables before any work.
    public static func bootstrap() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Requests: a cached read takes about a millisecond, a query answer up to seconds.
        factory.durationHistogramBuckets[requestDuration] = [
            .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
            .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
            .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30),
        ]
        // Jobs: an import of a few rows takes well under a second, a big one an hour.
        factory.durationHistogramBuckets[jobDuration] = [
            .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5), .seconds(15), .seconds(60),
            .seconds(300), .seconds(900), .seconds(3600),
        ]
        MetricsSystem.bootstrap(factory)
        Gauge(label: buildInfo, dimensions: [("version", BuildInfo.version)]).record(1)
        return registry
    }
}
