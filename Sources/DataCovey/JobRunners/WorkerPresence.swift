import Foundation
import Logging
import MariaDB

/// This worker's row in `worker_heartbeats` (0021): written on every heartbeat with an expiry
/// one lease ahead, removed when the worker stops, so /readyz and operators can tell whether
/// any worker is alive. A failure to write it is logged, never fatal: jobs matter more.
struct WorkerPresence {
    let pool: MariaDBPool
    let owner: String
    let slots: Int
    let leaseSeconds: Int
    let startedAt: Date
    let logger: Logger

    /// Once, as the worker starts: rows of workers that died more than a day ago go (not on
    /// every heartbeat: that would repeat the same delete every few seconds on every worker).
    func arrive() {
        do {
            try pool.withConnection { connection in
                try connection.execute("DELETE FROM worker_heartbeats WHERE expires_at < UTC_TIMESTAMP(6) - INTERVAL 1 DAY")
            }
        } catch {
            logger.warning("could not clear old worker heartbeats", metadata: ["error": "\(error)"])
        }
    }

    /// Records that this worker is alive and how many jobs it runs.
    func beat(running: Int) {
        do {
            try pool.withConnection { connection in
                try connection.execute("""
                    INSERT INTO worker_heartbeats (owner, version, slots, running, started_at, seen_at, expires_at)
                    VALUES (\(owner), \(BuildInfo.version), \(slots), \(running), \(startedAt),
                            UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) + INTERVAL \(leaseSeconds) SECOND)
                    ON DUPLICATE KEY UPDATE running = VALUES(running), seen_at = VALUES(seen_at), expires_at = VALUES(expires_at)
                    """)
            }
        } catch {
            logger.warning("could not record the worker's heartbeat", metadata: ["error": "\(error)"])
        }
    }

    /// This worker stopped: it is no longer counted.
    func leave() {
        do {
            try pool.withConnection { connection in
                try connection.execute("DELETE FROM worker_heartbeats WHERE owner = \(owner)")
            }
        } catch {
            logger.warning("could not remove the worker's heartbeat", metadata: ["error": "\(error)"])
        }
    }
}
