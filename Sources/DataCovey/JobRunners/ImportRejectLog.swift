import MariaDB

/// Writes an import's rejects to `import_rejects` in batches, on its own autocommit connection:
/// they must outlive the load's transaction, since they explain why a job failed. Keeps at most
/// `ImportRejectLimits.storedPerJob`; the job's count goes on beyond.
final class ImportRejectLog {
    private let pool: MariaDBPool
    private let tenant: Int64
    private let job: Int64
    private var pending: [ImportRejection] = []
    private var stored = 0
    private(set) var firstLine: Int64?
    private(set) var firstReason: String?

    init(pool: MariaDBPool, tenant: Int64, job: Int64) {
        self.pool = pool
        self.tenant = tenant
        self.job = job
    }

    /// Removes the rejects of an earlier attempt: a retry starts from scratch.
    func clear() throws {
        try pool.withConnection { _ = try $0.execute("DELETE FROM import_rejects WHERE tenant_id = \(tenant) AND job_id = \(job)") }
    }

    func add(_ rejection: ImportRejection) throws {
        if firstLine == nil {
            firstLine = rejection.line
            firstReason = (rejection.column.map { "column \($0) " } ?? "") + rejection.reason
        }
        guard stored + pending.count < ImportRejectLimits.storedPerJob else { return }
        pending.append(rejection)
        if pending.count >= 500 { try flush() }
    }

    func flush() throws {
        guard !pending.isEmpty else { return }
        var query = SQLQuery(unsafeSQL: "INSERT INTO import_rejects (tenant_id, job_id, line, column_name, value, reason) VALUES ")
        for (index, rejection) in pending.enumerated() {
            if index > 0 { query.append(", ") }
            let value = rejection.value.map { String($0.prefix(1000)) }
            query.append("(\(tenant), \(job), \(rejection.line), \(rejection.column), \(value), \(String(rejection.reason.prefix(500))))")
        }
        try pool.withConnection { _ = try $0.execute(query) }
        stored += pending.count
        pending.removeAll(keepingCapacity: true)
    }
}
