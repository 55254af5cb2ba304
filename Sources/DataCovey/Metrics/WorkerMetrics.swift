import Foundation
import Logging
import MariaDB
import Prometheus

/// The worker's metrics: jobs by the state their run left them in, durations, running jobs and
/// its pool, written to `$RUN_DIR/metrics/worker.prom` every `Worker.metricsEvery` seconds and
/// as soon as a job ends (so a finished job shows without waiting for the next tick).
final class WorkerMetrics: @unchecked Sendable {
    private let file: MetricsTextFile?
    private let pools: PoolMetrics
    private let logger: Logger
    private let lock = NSLock()
    private var lastWrite = Date.distantPast
    private var jobEndedSinceWrite = false

    init(registry: PrometheusCollectorRegistry?, runDirectory: String, pool: MariaDBPool, kinds: [String], logger: Logger) {
        file = registry.map { MetricsTextFile(path: "\(runDirectory)/metrics/worker.prom", registry: $0) }
        pools = PoolMetrics([(name: "worker", pool: pool)])
        self.logger = logger
        for kind in kinds { JobMetrics.running(kind: kind, count: 0) }
    }

    /// Called on the job's thread after its run: records the state its row is in now.
    func jobEnded(_ queue: JobQueue, id: Int64, nanoseconds: Int64) {
        let state: String
        do {
            state = try queue.status(of: id) ?? "deleted"
        } catch {
            logger.warning("reading a job's state for metrics failed", metadata: ["job_id": "\(id)", "error": "\(error)"])
            state = "unknown"
        }
        JobMetrics.record(kind: queue.kind.noun, state: state, nanoseconds: nanoseconds)
        lock.withLock { jobEndedSinceWrite = true }
    }

    /// Rewrites the file when a job ended since the last write, when the interval has passed,
    /// or when `force`d (shutdown).
    func writeIfDue(running: [String: Int], force: Bool = false) {
        guard let file else { return }
        let due = lock.withLock {
            let due = force || jobEndedSinceWrite || Date().timeIntervalSince(lastWrite) >= Worker.metricsEvery
            if due {
                jobEndedSinceWrite = false
                lastWrite = Date()
            }
            return due
        }
        guard due else { return }
        for (kind, count) in running { JobMetrics.running(kind: kind, count: count) }
        pools.update()
        do {
            try file.write()
        } catch {
            logger.warning("writing the metrics file failed", metadata: ["path": "\(file.path)", "error": "\(error)"])
        }
    }
}
