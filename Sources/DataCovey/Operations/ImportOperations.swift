import MariaDB

/// The use cases of imports, for the API and the pages: which tables take one (columns defined,
/// or autodetect waiting for its first file), the job made for an upload already on disk,
/// reading jobs and their rejects, cancelling and reverting. The upload itself streams at the
/// edge, with no pooled connection held.
struct ImportOperations {
    let caller: Identity
    let connection: MariaDBConnection
    let databases: DataDatabases

    private var jobs: ImportJobStore { ImportJobStore(connection: connection, tenantID: caller.tenantID) }

    /// The table, when it can take an import now.
    @discardableResult
    func importableTable(_ tableID: Int64) throws -> DataTable {
        let (table, _) = try TableOperations(caller: caller, connection: connection, databases: databases).find(tableID)
        try Self.requireImportable(table)
        return table
    }

    /// Refuses a table that cannot take an import now (no columns, and not autodetect).
    static func requireImportable(_ table: DataTable) throws {
        guard table.physicalName != nil || table.autodetect else {
            throw DomainError.conflict("The table has no columns yet; define them before importing.")
        }
    }

    /// The job an `Idempotency-Key` already made, when this is a retry; a key used for another
    /// table is refused.
    func earlierJob(idempotencyKey key: String, table tableID: Int64) throws -> ImportJob? {
        guard let job = try jobs.find(idempotencyKey: key) else { return nil }
        guard job.tableID == tableID else {
            throw DomainError.unprocessable("The Idempotency-Key was used for an import into another table.")
        }
        return job
    }

    /// The pending job for an upload at `filePath`. With a key, a concurrent retry that made its
    /// job first wins, and its job is the answer (`isNew` false: the upload is not needed).
    func start(table tableID: Int64, options: ImportOptions, filePath: String, bytes: Int64,
               idempotencyKey key: String?) throws -> (job: ImportJob, isNew: Bool) {
        if let job = try jobs.create(table: tableID, options: options, filePath: filePath, bytes: bytes,
                                     createdBy: caller.userID, idempotencyKey: key) {
            return (job, true)
        }
        guard let key else { throw DomainError.bug("import job not created") }
        guard let job = try jobs.find(idempotencyKey: key) else { throw DomainError.notFound() }
        return (job, false)
    }

    /// A table's imports, newest first; not found when the table is not the caller's.
    func jobs(ofTable tableID: Int64, _ page: Page) throws -> [ImportJob] {
        _ = try TableOperations(caller: caller, connection: connection, databases: databases).find(tableID)
        return try jobs.list(table: tableID, page)
    }

    /// Whether the caller's tenant has the job (for 403 against 404).
    func isVisible(_ id: Int64) throws -> Bool { try jobs.find(id) != nil }

    func job(_ id: Int64) throws -> ImportJob {
        guard let job = try jobs.find(id) else { throw DomainError.notFound() }
        return job
    }

    /// A pending job ends at once; a running one is told to stop (its worker rolls it back).
    func cancel(_ id: Int64) throws -> ImportJob { try jobs.cancel(id) }

    /// Undoes a completed import: the rows it added go (or the table it replaced comes back).
    func revert(_ id: Int64, expectedVersion: Int64?) throws -> ImportJob {
        try ImportRevert(connection: connection, tenantID: caller.tenantID, databases: databases)
            .revert(id, by: caller.userID, expectedVersion: expectedVersion)
        return try job(id)
    }

    /// A page of the job's rejected records, in line order.
    func rejects(ofJob id: Int64, _ page: Page) throws -> [ImportReject] {
        _ = try job(id)
        return try jobs.rejects(job: id, page)
    }
}
