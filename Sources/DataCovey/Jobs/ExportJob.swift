import Foundation
import MariaDB

/// An export job as the API shows it. `download_url` appears once the file is complete.
public struct ExportJob: JSONResource, Sendable, Equatable {
    public let id: Int64
    public let tableID: Int64?
    /// The saved query exported, when the source is a query rather than a table.
    public let queryID: Int64?
    public let status: JobStatus
    let options: ExportOptions
    public let bytesWritten: Int64
    public let rowsExported: Int64
    public let percent: Double
    public let error: String?
    public let attempts: Int64
    public let createdBy: Int64?
    public let startedAt: Date?
    public let finishedAt: Date?
    public let version: Int64
    public let createdAt: Date
    public let updatedAt: Date
    let filePath: String?


    var downloadURL: String? { status == .completed && filePath != nil ? "/api/v1/exports/\(id)/download" : nil }

    /// The JSON fields, in name order (see JSONResource).
    public static let jsonFields: [JSONField<ExportJob>] = [
        .field("attempts", \.attempts), .field("bytes_written", \.bytesWritten), .field("created_at", \.createdAt),
        .field("created_by", \.createdBy), .field("download_url", \.downloadURL), .field("error", \.error),
        .field("finished_at", \.finishedAt), .field("id", \.id), .field("options", \.options),
        .field("percent", \.percent), .field("query_id", \.queryID), .field("rows_exported", \.rowsExported),
        .field("started_at", \.startedAt), .field("status", \.status), .field("table_id", \.tableID),
        .field("updated_at", \.updatedAt), .field("version", \.version),
    ]

    static let columns = """
        id, table_id, query_id, status, format, compression, options, bytes_written, rows_exported, percent, error, attempts, \
        created_by, started_at, finished_at, version, created_at, updated_at, file_path
        """
}

extension ExportJob {
    init(_ row: MariaDBRow) throws {
        let (id, tableID, queryID, status, format, compression, optionsJSON, bytesWritten, rowsExported, percent, error, attempts,
             createdBy, startedAt, finishedAt, version, createdAt, updatedAt, filePath) = try row.decode(
            (Int64, Int64?, Int64?, String, String, String, String, Int64, Int64, String, String?, Int64,
             Int64?, Date?, Date?, Int64, Date, Date, String?).self)
        guard let status = JobStatus(rawValue: status),
              var options = try? StoredJSON.decode(ExportOptions.self, from: optionsJSON),
              let format = ExportOptions.Format(rawValue: format), let compression = ExportOptions.Compression(rawValue: compression) else {
            throw DomainError.bug("export job \(id) has an unreadable status or options")
        }
        options.format = format
        options.compression = compression
        self.init(id: id, tableID: tableID, queryID: queryID, status: status, options: options, bytesWritten: bytesWritten, rowsExported: rowsExported,
                  percent: Double(percent) ?? 0, error: error, attempts: attempts, createdBy: createdBy, startedAt: startedAt,
                  finishedAt: finishedAt, version: version, createdAt: createdAt, updatedAt: updatedAt, filePath: filePath)
    }
}
