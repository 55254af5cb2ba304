import Foundation
import MariaDB

/// Export jobs of the caller's tenant, through the `export_jobs` view.
struct ExportJobStore {
    let connection: MariaDBConnection
    let tenantID: Int64

    func find(_ id: Int64) throws -> ExportJob? {
        try connection.query("SELECT \(unsafeRaw: ExportJob.columns) FROM export_jobs WHERE id = \(id)").first.map(ExportJob.init)
    }

    func list(_ source: Source, _ page: Page) throws -> [ExportJob] {
        try connection.query("""
            SELECT \(unsafeRaw: ExportJob.columns) FROM export_jobs
            WHERE \(unsafeRaw: source.kind.column) = \(source.id) AND id > \(page.afterID ?? 0) ORDER BY id LIMIT \(page.limit + 1)
            """).map(ExportJob.init)
    }

    func create(_ source: Source, options: ExportOptions, createdBy: Int64) throws -> ExportJob {
        var stored = options
        stored.format = options.format
        let optionsJSON = try StoredJSON.encode(stored)
        let id: Int64
        do {
            id = Int64(try connection.execute("""
                INSERT INTO export_jobs (tenant_id, \(unsafeRaw: source.kind.column), format, compression, options, created_by)
                VALUES (\(tenantID), \(source.id), \(options.format.rawValue), \(options.compression.rawValue), \(optionsJSON), \(createdBy))
                """).lastInsertID)
        } catch let error as MariaDBError where error.isForeignKeyViolation {
            throw DomainError.notFound()
        }
        guard let job = try find(id) else { throw DomainError.bug("created export job vanished") }
        return job
    }

    /// Stops an export that has not ended (failed, `cancelled`); the worker drops its partial file.
    func cancel(_ id: Int64) throws -> ExportJob {
        try JobCancellation.cancel(id, kind: .exports, connection: connection, find: find, status: \.status)
    }
}
