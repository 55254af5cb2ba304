import MariaDB

/// Starting an import, for the API and the table page: which tables take one (columns defined,
/// or autodetect waiting for its first file), and the job made for an upload already on disk.
/// The upload itself streams at the edge, with no pooled connection held.
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
}
