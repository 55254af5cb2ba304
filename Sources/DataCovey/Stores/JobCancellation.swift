import MariaDB

/// Cancelling a job of any kind: a job that has not ended becomes `failed` with error
/// `cancelled` and loses its lease. The worker notices on its next heartbeat and stops, and its
/// completion checks the lease, so a cancelled job never completes.
enum JobCancellation {
    /// Whether the job was still pending or running (false: it had already ended, or is not
    /// the caller's — the kind's tenant view decides).
    static func cancel(_ id: Int64, kind: JobKind, connection: MariaDBConnection) throws -> Bool {
        try connection.execute("""
            UPDATE \(unsafeRaw: kind.table) SET status = 'failed', error = 'cancelled', finished_at = UTC_TIMESTAMP(6),
                   lease_owner = NULL, lease_expires_at = NULL
            WHERE id = \(id) AND status IN ('pending', 'running')
            """).affectedRows == 1
    }

    /// Cancels and returns the job as it now is: 404 when the view shows no such job, 409 when
    /// it had already ended (the kind's noun names it in the message).
    static func cancel<Job>(_ id: Int64, kind: JobKind, connection: MariaDBConnection,
                            find: (Int64) throws -> Job?, status: (Job) -> JobStatus) throws -> Job {
        let changed = try cancel(id, kind: kind, connection: connection)
        guard let job = try find(id) else { throw DomainError.notFound() }
        guard changed else { throw DomainError.conflict("The \(kind.noun) has already \(status(job).rawValue); it cannot be cancelled.") }
        return job
    }

    /// The same by the kind's view name, for callers written before the kinds were registered.
    static func cancel(_ id: Int64, view: String, connection: MariaDBConnection) throws -> Bool {
        try cancel(id, kind: registered(view), connection: connection)
    }

    /// The same by the kind's view name; `noun` names the job in the message.
    static func cancel<Job>(_ id: Int64, view: String, noun: String, connection: MariaDBConnection,
                            find: (Int64) throws -> Job?, status: (Job) -> JobStatus) throws -> Job {
        let changed = try cancel(id, view: view, connection: connection)
        guard let job = try find(id) else { throw DomainError.notFound() }
        guard changed else { throw DomainError.conflict("The \(noun) has already \(status(job).rawValue); it cannot be cancelled.") }
        return job
    }

    private static func registered(_ view: String) -> JobKind {
        guard let kind = JobKinds.kind(table: view) else { preconditionFailure("not a job view: \(view)") }
        return kind
    }
}
