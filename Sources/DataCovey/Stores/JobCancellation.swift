import MariaDB

/// Cancelling an import or an export: a job that has not ended becomes `failed` with error
/// `cancelled` and loses its lease. The worker notices on its next heartbeat and stops, and its
/// completion checks the lease, so a cancelled job never completes.
enum JobCancellation {
    /// Whether the job was still pending or running (false: it had already ended, or is not
    /// the caller's — the view decides).
    static func cancel(_ id: Int64, view: String, connection: MariaDBConnection) throws -> Bool {
        precondition(view == "import_jobs" || view == "export_jobs", "not a job view")
        return try connection.execute("""
            UPDATE \(unsafeRaw: view) SET status = 'failed', error = 'cancelled', finished_at = UTC_TIMESTAMP(6),
                   lease_owner = NULL, lease_expires_at = NULL
            WHERE id = \(id) AND status IN ('pending', 'running')
            """).affectedRows == 1
    }

    /// Cancels and returns the job as it now is: 404 when the view shows no such job, 409 when
    /// it had already ended (`noun` names it in the message).
    static func cancel<Job>(_ id: Int64, view: String, noun: String, connection: MariaDBConnection,
                            find: (Int64) throws -> Job?, status: (Job) -> JobStatus) throws -> Job {
        let changed = try cancel(id, view: view, connection: connection)
        guard let job = try find(id) else { throw DomainError.notFound() }
        guard changed else { throw DomainError.conflict("The \(noun) has already \(status(job).rawValue); it cannot be cancelled.") }
        return job
    }
}
