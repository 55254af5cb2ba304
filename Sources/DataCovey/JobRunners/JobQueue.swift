import Foundation
import MariaDB

/// The job rows of one kind as the worker's queue (dc_worker, base tables, every tenant). A job
/// is claimed with `FOR UPDATE SKIP LOCKED`, so workers never wait on each other, and held by a
/// lease: `lease_owner` names this worker, `lease_expires_at` is pushed forward by heartbeats.
/// A job whose lease ran out (its worker was killed) is claimed again from scratch, at most
/// `maxAttempts` times. Every change of state checks the lease, so a worker that lost its job
/// (cancelled, or taken over after a stall) can never complete it.
///
/// On a Galera cluster row locks are local to a node: two workers on two nodes can both claim
/// the same job with `FOR UPDATE SKIP LOCKED` and both UPDATE it; the first COMMIT wins, the
/// other fails certification with ER_LOCK_DEADLOCK 1213 and is rolled back whole. A claim
/// that gets 1213 (at any statement: an applier from another node can also abort it) has
/// therefore claimed nothing: it answers no jobs, counts no attempt, and the next poll tries
/// again; the job runs once. Every later change of state is one statement conditioned on the
/// lease (`lease_owner = this worker AND status = 'running'`), so the same rule makes a race
/// between two nodes safe: of a completion and a cancel, or a completion and another worker's
/// takeover, one commits and the other fails certification (1213) or changes no row; the
/// failed completion's transaction rolled back its rows with it. A job is never completed twice,
/// and one whose completion failed is failed by its worker or, if that fails too, taken over
/// when its lease runs out.
struct JobQueue: Sendable {
    /// A claimed job: its id, tenant and attempt number, and the kind's own columns.
    struct Claim {
        let id: Int64
        let tenantID: Int64
        let attempt: Int64
        let row: MariaDBRow
    }

    let kind: JobKind
    let pool: MariaDBPool
    let owner: String
    let leaseSeconds: Int
    let maxAttempts: Int
    /// Runs inside the claim's transaction just before its COMMIT (tests: a certification
    /// failure there, as Galera reports it).
    var beforeClaimCommit: (@Sendable (MariaDBConnection) throws -> Void)?

    init(kind: JobKind, pool: MariaDBPool, owner: String, leaseSeconds: Int, maxAttempts: Int,
         beforeClaimCommit: (@Sendable (MariaDBConnection) throws -> Void)? = nil) {
        self.kind = kind
        self.pool = pool
        self.owner = owner
        self.leaseSeconds = leaseSeconds
        self.maxAttempts = maxAttempts
        self.beforeClaimCommit = beforeClaimCommit
    }

    private var table: String { kind.table }

    /// Claims up to `limit` runnable jobs, selecting the kind's claim columns after
    /// `id, tenant_id, attempts`; jobs out of attempts are failed on the way. None when the
    /// claim lost a race with another node (1213, see above).
    func claim(limit: Int) throws -> [Claim] {
        guard limit > 0 else { return [] }
        do {
            return try claimOnce(limit: limit)
        } catch let error as MariaDBError where error.isDeadlock {
            return []
        }
    }

    private func claimOnce(limit: Int) throws -> [Claim] {
        try pool.withConnection { connection in
            try connection.withTransaction { connection in
                let rows = try connection.query("""
                    SELECT id, tenant_id, attempts, \(unsafeRaw: kind.claimColumns) FROM \(unsafeRaw: table)
                    WHERE status = 'pending' OR (status = 'running' AND lease_expires_at < UTC_TIMESTAMP(6))
                    ORDER BY id LIMIT \(limit) FOR UPDATE SKIP LOCKED
                    """)
                var claimed: [Claim] = []
                for row in rows {
                    let (id, tenantID, attempts) = try row.decode((Int64, Int64, Int64).self)
                    guard attempts < maxAttempts else {
                        try connection.execute("""
                            UPDATE \(unsafeRaw: table) SET status = 'failed', finished_at = UTC_TIMESTAMP(6), lease_owner = NULL,
                                   lease_expires_at = NULL,
                                   error = \("The worker running this \(kind.noun) stopped \(attempts) times; it was not retried again.")
                            WHERE id = \(id)
                            """)
                        continue
                    }
                    try connection.execute("""
                        UPDATE \(unsafeRaw: table) SET status = 'running', lease_owner = \(owner),
                               lease_expires_at = UTC_TIMESTAMP(6) + INTERVAL \(leaseSeconds) SECOND,
                               attempts = attempts + 1, started_at = UTC_TIMESTAMP(6), finished_at = NULL, error = NULL,
                               \(unsafeRaw: kind.resetProgress)
                        WHERE id = \(id)
                        """)
                    claimed.append(Claim(id: id, tenantID: tenantID, attempt: attempts + 1, row: row))
                }
                try beforeClaimCommit?(connection)
                return claimed
            }
        }
    }

    /// Pushes the leases of `ids` forward and records progress; answers the ids this worker no
    /// longer holds (cancelled, or claimed by another worker), whose runs must stop.
    func heartbeat(_ progress: [Int64: JobProgress.Snapshot]) throws -> Set<Int64> {
        guard !progress.isEmpty else { return [] }
        return try pool.withConnection { connection in
            var lost: Set<Int64> = []
            for (id, snapshot) in progress {
                var update = SQLQuery(unsafeSQL: "UPDATE \(table) SET lease_expires_at = UTC_TIMESTAMP(6) + INTERVAL ? SECOND, ",
                                      binds: [.int(Int64(leaseSeconds))])
                update.append(kind.progressAssignments(snapshot))
                update.append(" WHERE id = \(id) AND lease_owner = \(owner) AND status = 'running'")
                // A certification failure (1213: the row was written on another node at the same
                // time, e.g. cancelled) renews nothing this round; whether the job is still held
                // is read again below, and the next heartbeat renews it.
                let renewed: Bool
                do {
                    renewed = try connection.execute(update).affectedRows > 0
                } catch let error as MariaDBError where error.isDeadlock {
                    renewed = false
                }
                if !renewed {
                    let held = try connection.query("""
                        SELECT 1 FROM \(unsafeRaw: table) WHERE id = \(id) AND lease_owner = \(owner) AND status = 'running'
                        """)
                    if held.isEmpty { lost.insert(id) }
                }
            }
            return lost
        }
    }

    /// Ends a job this worker holds as failed with `reason`; false when it no longer holds it.
    @discardableResult
    func fail(_ id: Int64, reason: String, _ snapshot: JobProgress.Snapshot) throws -> Bool {
        var failed = snapshot
        failed.rows = 0
        var update: SQLQuery = """
            UPDATE \(unsafeRaw: table) SET status = 'failed', error = \(String(reason.prefix(2000))), finished_at = UTC_TIMESTAMP(6),
                   lease_owner = NULL, lease_expires_at = NULL,\u{20}
            """
        update.append(kind.progressAssignments(failed))
        update.append(" WHERE id = \(id) AND lease_owner = \(owner) AND status = 'running'")
        return try pool.withConnection { try $0.execute(update).affectedRows == 1 }
    }

    /// Gives a job back untouched (worker shutting down): pending again, the attempt not counted.
    func handBack(_ id: Int64) throws {
        try pool.withConnection { connection in
            _ = try connection.execute("""
                UPDATE \(unsafeRaw: table) SET status = 'pending', lease_owner = NULL, lease_expires_at = NULL,
                       attempts = GREATEST(attempts - 1, 0), started_at = NULL, \(unsafeRaw: kind.resetProgress)
                WHERE id = \(id) AND lease_owner = \(owner) AND status = 'running'
                """)
        }
    }

    /// Puts a job this worker holds back to pending with its attempt counted, for the next
    /// claim (of any worker) to run it again from scratch: its transaction lost a race on the
    /// cluster (1213), which running again can win. The claim fails it once out of attempts.
    @discardableResult
    func requeue(_ id: Int64) throws -> Bool {
        try pool.withConnection { connection in
            try connection.execute("""
                UPDATE \(unsafeRaw: table) SET status = 'pending', lease_owner = NULL, lease_expires_at = NULL,
                       started_at = NULL, \(unsafeRaw: kind.resetProgress)
                WHERE id = \(id) AND lease_owner = \(owner) AND status = 'running'
                """).affectedRows == 1
        }
    }

    /// The statement that completes a job, run inside the transaction that holds its result:
    /// when it changes no row the job is no longer this worker's and all is rolled back.
    func completion(_ id: Int64, _ snapshot: JobProgress.Snapshot, extra: SQLQuery? = nil) -> SQLQuery {
        var done = snapshot
        done.percent = 100
        var update: SQLQuery = """
            UPDATE \(unsafeRaw: table) SET status = 'completed', finished_at = UTC_TIMESTAMP(6), lease_owner = NULL,
                   lease_expires_at = NULL,\u{20}
            """
        update.append(kind.progressAssignments(done))
        if let extra {
            update.append(", ")
            update.append(extra)
        }
        update.append(" WHERE id = \(id) AND lease_owner = \(owner) AND status = 'running'")
        return update
    }

    /// The state a job's row is in now (after a run: what the run left it in, for metrics).
    func status(of id: Int64) throws -> String? {
        try pool.withConnection { connection in
            try connection.query("SELECT status FROM \(unsafeRaw: table) WHERE id = \(id)").first?.decode(String.self, at: 0)
        }
    }

    /// Whether this worker still holds the job (checked before an irreversible step).
    func holds(_ id: Int64, on connection: MariaDBConnection) throws -> Bool {
        try !connection.query("""
            SELECT 1 FROM \(unsafeRaw: table) WHERE id = \(id) AND lease_owner = \(owner) AND status = 'running'
            """).isEmpty
    }
}

/// Progress of one running job, shared by its thread and the heartbeat: bytes read or written,
/// rows loaded or exported, rows rejected.
final class JobProgress: @unchecked Sendable {
    struct Snapshot: Sendable {
        var bytes: Int64 = 0
        var rows: Int64 = 0
        var rejected: Int64 = 0
        var percent: Double = 0
    }

    private let lock = NSLock()
    private var current = Snapshot()
    private var stopReason: JobStopReason?
    let bytesTotal: Int64

    init(bytesTotal: Int64) { self.bytesTotal = bytesTotal }

    var snapshot: Snapshot { lock.withLock { current } }

    /// `done` of `total` (default: bytes of `bytesTotal`) sets the percent, below 100 until
    /// completed; an export passes rows of its row estimate.
    func update(bytes: Int64, rows: Int64, rejected: Int64 = 0, done: Int64? = nil, of total: Int64? = nil) {
        let numerator = Double(done ?? bytes)
        let denominator = Double(total ?? bytesTotal)
        let percent = denominator > 0 ? min(99.99, (numerator * 10_000 / denominator).rounded(.down) / 100) : 0
        lock.withLock { current = Snapshot(bytes: bytes, rows: rows, rejected: rejected, percent: percent) }
    }

    /// Asks the run to stop at its next chunk (cancelled, lease lost, worker stopping).
    func stop(_ reason: JobStopReason) { lock.withLock { if stopReason == nil { stopReason = reason } } }
    var stopRequested: JobStopReason? { lock.withLock { stopReason } }
}
