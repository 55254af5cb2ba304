import Foundation
import MariaDB

/// Import jobs of the caller's tenant, through the `import_jobs` view.
struct ImportJobStore {
    let connection: MariaDBConnection
    let tenantID: Int64

    func find(_ id: Int64) throws -> ImportJob? {
        try connection.query("SELECT \(unsafeRaw: ImportJob.columns) FROM import_jobs WHERE id = \(id)").first.map(ImportJob.init)
    }

    func find(idempotencyKey key: String) throws -> ImportJob? {
        try connection.query("""
            SELECT \(unsafeRaw: ImportJob.columns) FROM import_jobs WHERE idempotency_key = \(key)
            """).first.map(ImportJob.init)
    }

    func list(table: Int64, _ page: Page) throws -> [ImportJob] {
        try connection.query("""
            SELECT \(unsafeRaw: ImportJob.columns) FROM import_jobs
            WHERE table_id = \(table) AND id > \(page.afterID ?? 0) ORDER BY id LIMIT \(page.limit + 1)
            """).map(ImportJob.init)
    }

    /// A pending job for an uploaded file. A repeated idempotency key answers nil (the caller
    /// then returns the job that holds it).
    func create(table: Int64, options: ImportOptions, filePath: String, bytes: Int64, createdBy: Int64,
                idempotencyKey: String?) throws -> ImportJob? {
        let optionsJSON = try StoredJSON.encode(options)
        let id: Int64
        do {
            id = Int64(try connection.execute("""
                INSERT INTO import_jobs (tenant_id, table_id, format, mode, options, file_path, bytes_total,
                                         idempotency_key, created_by)
                VALUES (\(tenantID), \(table), \(options.format.rawValue), \(options.mode.rawValue), \(optionsJSON),
                        \(filePath), \(bytes), \(idempotencyKey), \(createdBy))
                """).lastInsertID)
        } catch let error as MariaDBError where error.isDuplicateKey && idempotencyKey != nil {
            return nil
        } catch let error as MariaDBError where error.isForeignKeyViolation {
            throw DomainError.notFound()
        }
        guard let job = try find(id) else { throw DomainError.bug("created import job vanished") }
        return job
    }

    /// Stops a job that has not ended: `failed` with error `cancelled`. The worker notices on
    /// its next heartbeat and rolls back whatever it loaded; its commit checks the status, so a
    /// cancelled import never completes. Ended jobs are left as they are (409).
    func cancel(_ id: Int64) throws -> ImportJob {
        try JobCancellation.cancel(id, kind: .imports, connection: connection, find: find, status: \.status)
    }

    /// A page of the job's rejected rows, in file order.
    func rejects(job: Int64, _ page: Page) throws -> [ImportReject] {
        try connection.query("""
            SELECT id, line, column_name, value, reason FROM import_rejects
            WHERE job_id = \(job) AND id > \(page.afterID ?? 0) ORDER BY id LIMIT \(page.limit + 1)
            """).map(ImportReject.init)
    }
}

extension ImportReject {
    init(_ row: MariaDBRow) throws {
        let (id, line, column, value, reason) = try row.decode((Int64, Int64, String?, String?, String).self)
        self.init(id: id, line: line, column: column, value: value, reason: reason)
    }
}

/// One rejected row of an import: where, what and why.
struct ImportReject: JSONResource, Sendable {
    let id: Int64
    let line: Int64
    let column: String?
    let value: String?
    let reason: String

    /// The JSON fields, in name order (see JSONResource).
    static let jsonFields: [JSONField<ImportReject>] = [
        .field("column", \.column), .field("line", \.line), .field("reason", \.reason), .field("value", \.value),
    ]
}
