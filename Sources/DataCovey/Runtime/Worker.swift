import Foundation
import Logging
import MariaDB

/// `datacovey-worker`: the job worker. For now it connects, proves the database answers on a
/// heartbeat, and stops cleanly on SIGTERM; claiming import/export jobs comes with the jobs issue.
public enum Worker {
    public static func run(configuration: Configuration, heartbeatSeconds: Double = 10) throws {
        let logger = configuration.logger(label: "datacovey.worker")
        let pool = MariaDBPool(configuration: configuration.dataDatabase, maxConnections: 2,
                               leaseTimeout: .milliseconds(configuration.leaseTimeoutMilliseconds))
        let stopped = DispatchSemaphore(value: 0)
        let trap = SignalTrap { _ in stopped.signal() }
        try pool.withConnection { try $0.ping() }
        logger.info("worker connected; idle until jobs exist")
        while stopped.wait(timeout: .now() + heartbeatSeconds) == .timedOut {
            do {
                try pool.withConnection { try $0.ping() }
            } catch {
                logger.warning("database heartbeat failed", metadata: ["error": .string("\(error)")])
            }
        }
        withExtendedLifetime(trap) {}
        pool.shutDown()
        logger.info("worker stopped")
    }
}
