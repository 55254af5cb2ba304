import Foundation
import MariaDB
import Metrics

/// Copies the pools' statistics into metrics when they are exported (a scrape, the worker's
/// file): the pool keeps plain counts under the lock it takes anyway, and nothing is recorded
/// per lease. Waits and timeouts only grow, so they are counters advanced by what the pool
/// counted since the last export.
public final class PoolMetrics: @unchecked Sendable {
    private struct Watched {
        let name: String
        let pool: MariaDBPool
        var exported: MariaDBPoolStatistics?
    }

    private let lock = NSLock()
    private var watched: [Watched]

    /// `pools` by the label they are exported under (`app`, `data`, `worker`).
    public init(_ pools: [(name: String, pool: MariaDBPool)]) {
        watched = pools.map { Watched(name: $0.name, pool: $0.pool, exported: nil) }
    }

    /// Records each pool's current statistics.
    public func update() {
        lock.withLock {
            for index in watched.indices {
                let now = watched[index].pool.statistics
                let dimensions = [("pool", watched[index].name)]
                Gauge(label: "datacovey_db_pool_size", dimensions: dimensions).record(now.capacity)
                Gauge(label: "datacovey_db_pool_in_use", dimensions: dimensions).record(now.inUse)
                Gauge(label: "datacovey_db_pool_idle", dimensions: dimensions).record(now.idle)
                let before = watched[index].exported
                Counter(label: "datacovey_db_pool_waits_total", dimensions: dimensions)
                    .increment(by: now.waits - (before?.waits ?? 0))
                Counter(label: "datacovey_db_pool_timeouts_total", dimensions: dimensions)
                    .increment(by: now.timeouts - (before?.timeouts ?? 0))
                Counter(label: "datacovey_db_pool_retries_total", dimensions: dimensions)
                    .increment(by: now.retries - (before?.retries ?? 0))
                // What the shared node health knows (no probe): nodes not skipped after a failure.
                let nodes = watched[index].pool.configuration.nodes
                Gauge(label: "datacovey_db_nodes_usable", dimensions: dimensions)
                    .record(MariaDBNodeHealth.shared.usableCount(nodes))
                watched[index].exported = now
            }
        }
    }
}
