import Foundation
import Logging
import MariaDB
import Prometheus

/// `datacovey-worker`: claims the jobs of every kind (`JobKinds.all`) and runs each on its own
/// thread, up to `jobs.slots` at once. A heartbeat every third of the lease renews the leases
/// and records progress; a job this worker no longer holds (cancelled, taken over) is stopped.
/// SIGTERM stops claiming, lets running jobs finish for `jobs.graceSeconds`, then stops and
/// hands back the rest, so nothing is left `running` for the lease to expire.
public enum Worker {
    /// Seconds between rewrites of the metrics file while no job ends.
    static let metricsEvery: TimeInterval = 5

    /// Runs the worker; `registry` (from `MetricsBootstrap`) is written to
    /// `$RUN_DIR/metrics/worker.prom` every few seconds and whenever a job ends.
    public static func run(configuration: Configuration, pollSeconds: Double = 0.1,
                           registry: PrometheusCollectorRegistry? = nil) throws {
        let logger = configuration.logger(label: "datacovey.worker")
        let settings = configuration.jobs
        // No lease here opts in to MariaDBPool.Retry: a job writes files and commits progress as
        // it goes, so running a lease again is never provably safe. A claim or heartbeat that
        // fails on a dead node is logged and simply asked again at the next poll (a fresh
        // connection, to a usable node); a running job whose connection died ends as its runner
        // and JobQueue decide for any database failure.
        let pool = MariaDBPool(configuration: configuration.workerDatabase, maxConnections: settings.slots * 2 + 2,
                               leaseTimeout: .seconds(30))
        let owner = "\(ProcessInfo.processInfo.hostName.prefix(64)):\(getpid()):\(UUID().uuidString.prefix(8))"
        let files = JobFiles(dataDirectory: configuration.dataDirectory)
        let runners = Self.runners(pool: pool, files: files, logger: logger, configuration: configuration, owner: owner)
        // A gzip child that dies must fail its export, not kill the worker with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        let running = RunningJobs()
        let metrics = WorkerMetrics(registry: registry, runDirectory: configuration.runDirectory, pool: pool,
                                    kinds: runners.map { $0.queue.kind.noun }, logger: logger)
        let stopping = DispatchSemaphore(value: 0)
        let trap = SignalTrap { _ in stopping.signal() }
        let heartbeatEvery = Double(settings.leaseSeconds) / 3
        var lastHeartbeat = Date.distantPast
        var lastSweep = Date.distantPast
        let presence = WorkerPresence(pool: pool, owner: owner, slots: settings.slots, leaseSeconds: settings.leaseSeconds,
                                      startedAt: Date(), logger: logger)
        presence.arrive()
        logger.info("worker started", metadata: ["owner": "\(owner)", "slots": "\(settings.slots)"])

        func heartbeat() {
            for runner in runners {
                do {
                    for id in try runner.queue.heartbeat(running.snapshots(runner.queue.kind.table)) {
                        running.stop(JobKey(kind: runner.queue.kind.table, id: id), reason: .notThisWorkers)
                    }
                } catch {
                    logger.warning("heartbeat failed", metadata: ["error": "\(error)"])
                }
            }
            presence.beat(running: running.count)
            lastHeartbeat = Date()
        }

        while stopping.wait(timeout: .now() + pollSeconds) == .timedOut {
            if Date().timeIntervalSince(lastHeartbeat) >= heartbeatEvery { heartbeat() }
            metrics.writeIfDue(running: running.countsByKind(runners))
            if Date().timeIntervalSince(lastSweep) >= 600 {
                JobFileRetention(files: files, pool: pool, hours: settings.retentionHours, logger: logger).sweep()
                lastSweep = Date()
            }
            for runner in runners {
                do {
                    for claim in try runner.queue.claim(limit: settings.slots - running.count) {
                        guard let job = runner.prepare(claim) else { continue }
                        let key = JobKey(kind: runner.queue.kind.table, id: claim.id)
                        running.add(key, job.progress)
                        let queue = runner.queue
                        Thread.detachNewThread {
                            let started = DispatchTime.now().uptimeNanoseconds
                            job.run()
                            metrics.jobEnded(queue, id: claim.id,
                                             nanoseconds: Int64(DispatchTime.now().uptimeNanoseconds - started))
                            running.remove(key)
                        }
                    }
                } catch {
                    logger.warning("claiming jobs failed", metadata: ["error": "\(error)"])
                }
            }
        }

        logger.info("worker stopping", metadata: ["running": "\(running.count)"])
        let deadline = Date().addingTimeInterval(Double(settings.graceSeconds))
        while running.count > 0 && Date() < deadline {
            if Date().timeIntervalSince(lastHeartbeat) >= heartbeatEvery { heartbeat() }
            Thread.sleep(forTimeInterval: 0.1)
        }
        running.stopAll(reason: .shuttingDown)
        while running.count > 0 { Thread.sleep(forTimeInterval: 0.05) }
        presence.leave()
        withExtendedLifetime(trap) {}
        metrics.writeIfDue(running: running.countsByKind(runners), force: true)
        pool.shutDown()
        logger.info("worker stopped")
    }

    /// One runner per registered kind, each on its own queue with this worker's lease settings.
    static func runners(pool: MariaDBPool, files: JobFiles, logger: Logger, configuration: Configuration,
                        owner: String) -> [any JobRunner] {
        let context = JobRunnerContext(pool: pool, files: files, logger: logger, configuration: configuration)
        let settings = configuration.jobs
        return JobKinds.all.map { kind in
            kind.makeRunner(JobQueue(kind: kind, pool: pool, owner: owner, leaseSeconds: settings.leaseSeconds,
                                     maxAttempts: settings.maxAttempts), context)
        }
    }
}

/// A running job: ids are unique per kind (named by its table) only.
struct JobKey: Hashable, Sendable {
    let kind: String
    let id: Int64
}

/// The jobs this worker is running and their progress, shared by the job threads and the loop.
final class RunningJobs: @unchecked Sendable {
    private let lock = NSLock()
    private var jobs: [JobKey: JobProgress] = [:]

    var count: Int { lock.withLock { jobs.count } }
    /// Running jobs per kind noun, every runner's kind listed (0 when none runs).
    func countsByKind(_ runners: [any JobRunner]) -> [String: Int] {
        lock.withLock {
            var counts: [String: Int] = [:]
            for runner in runners {
                counts[runner.queue.kind.noun] = jobs.keys.filter { $0.kind == runner.queue.kind.table }.count
            }
            return counts
        }
    }
    func add(_ key: JobKey, _ progress: JobProgress) { lock.withLock { jobs[key] = progress } }
    func remove(_ key: JobKey) { lock.withLock { _ = jobs.removeValue(forKey: key) } }
    func snapshots(_ kind: String) -> [Int64: JobProgress.Snapshot] {
        lock.withLock { Dictionary(uniqueKeysWithValues: jobs.filter { $0.key.kind == kind }.map { ($0.key.id, $0.value.snapshot) }) }
    }
    func stop(_ key: JobKey, reason: JobStopReason) { lock.withLock { jobs[key]?.stop(reason) } }
    func stopAll(reason: JobStopReason) { lock.withLock { for progress in jobs.values { progress.stop(reason) } } }
}
