import Foundation
import MariaDB

/// An import job as the API shows it: status, progress and the options it was started with.
/// The upload's path and the worker's lease stay internal.
public struct ImportJob: JSONResource, Sendable, Equatable {
    public typealias Status = JobStatus

    public let id: Int64
    public let tableID: Int64
    public let status: Status
    let options: ImportOptions
    public let bytesTotal: Int64?
    public let bytesRead: Int64
    public let rowsLoaded: Int64
    public let rowsRejected: Int64
    public let percent: Double
    public let error: String?
    public let attempts: Int64
    public let createdBy: Int64?
    public let startedAt: Date?
    public let finishedAt: Date?
    public let version: Int64
    public let createdAt: Date
    public let updatedAt: Date
    /// Set when the import was undone (`POST /imports/{id}/revert`).
    public let revertedAt: Date?
    public let revertedBy: Int64?
    /// Headers or members this import matched to a column under another name.
    let headerMapping: [HeaderMapping]?
    let filePath: String?

    /// The JSON fields, in name order (see JSONResource).
    public static let jsonFields: [JSONField<ImportJob>] = [
        .field("attempts", \.attempts), .field("bytes_read", \.bytesRead), .field("bytes_total", \.bytesTotal),
        .field("created_at", \.createdAt), .field("created_by", \.createdBy), .field("error", \.error),
        .field("finished_at", \.finishedAt), .field("header_mapping", \.headerMapping), .field("id", \.id),
        .field("options", \.options), .field("percent", \.percent), .field("reverted_at", \.revertedAt),
        .field("reverted_by", \.revertedBy), .field("rows_loaded", \.rowsLoaded),
        .field("rows_rejected", \.rowsRejected), .field("started_at", \.startedAt), .field("status", \.status),
        .field("table_id", \.tableID), .field("updated_at", \.updatedAt), .field("version", \.version),
    ]

    static let columns = """
        id, table_id, status, options, bytes_total, bytes_read, rows_loaded, rows_rejected, percent, error, attempts, \
        created_by, started_at, finished_at, version, created_at, updated_at, file_path, reverted_at, reverted_by, \
        header_mapping
        """
}

extension ImportJob {
    init(_ row: MariaDBRow) throws {
        let (id, tableID, status, options, bytesTotal, bytesRead, rowsLoaded, rowsRejected, percent, error, attempts,
             createdBy, startedAt, finishedAt, version, createdAt, updatedAt, filePath, revertedAt, revertedBy,
             headerMapping) = try row.decode(
            (Int64, Int64, String, String, Int64?, Int64, Int64, Int64, String, String?, Int64,
             Int64?, Date?, Date?, Int64, Date, Date, String?, Date?, Int64?, String?).self)
        guard let status = Status(rawValue: status),
              let options = try? StoredJSON.decode(ImportOptions.self, from: options) else {
            throw DomainError.bug("import job \(id) has an unreadable status or options")
        }
        self.id = id
        self.tableID = tableID
        self.status = status
        self.options = options
        self.bytesTotal = bytesTotal
        self.bytesRead = bytesRead
        self.rowsLoaded = rowsLoaded
        self.rowsRejected = rowsRejected
        self.percent = Double(percent) ?? 0
        self.error = error
        self.attempts = attempts
        self.createdBy = createdBy
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.filePath = filePath
        self.revertedAt = revertedAt
        self.revertedBy = revertedBy
        self.headerMapping = headerMapping.flatMap { try? StoredJSON.decode([HeaderMapping].self, from: $0) }
    }
}

extension ImportJob {
    /// The table's columns as one text ("name type, …" in position order), recorded on a job
    /// when it completes and compared by a revert: a revert is refused once they changed.
    /// `columns` is the view (responder) or base table (worker) to read.
    static func columnSignature(table: Int64, columns: String) -> SQLQuery {
        """
        (SELECT GROUP_CONCAT(CONCAT(name, ' ', type) ORDER BY position SEPARATOR ', ')
           FROM \(unsafeRaw: columns) WHERE table_id = \(table))
        """
    }
}
