import Foundation
import MariaDB

/// An export job as the API shows it. `download_url` appears once the file is complete.
public struct ExportJob: Encodable, Sendable, Equatable {
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

    enum CodingKeys: String, CodingKey {
        case id, status, options, percent, error, attempts, version
        case tableID = "table_id", queryID = "query_id", bytesWritten = "bytes_written", rowsExported = "rows_exported", createdBy = "created_by"
        case startedAt = "started_at", finishedAt = "finished_at", createdAt = "created_at", updatedAt = "updated_at"
        case downloadURL = "download_url"
    }

    var downloadURL: String? { status == .completed && filePath != nil ? "/api/v1/exports/\(id)/download" : nil }

    /// Spelled out so absent values are `null`, not missing fields.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(tableID, forKey: .tableID)
        try container.encode(queryID, forKey: .queryID)
        try container.encode(status, forKey: .status)
        try container.encode(options, forKey: .options)
        try container.encode(bytesWritten, forKey: .bytesWritten)
        try container.encode(rowsExported, forKey: .rowsExported)
        try container.encode(percent, forKey: .percent)
        try container.encode(error, forKey: .error)
        try container.encode(attempts, forKey: .attempts)
        try container.encode(createdBy, forKey: .createdBy)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(finishedAt, forKey: .finishedAt)
        try container.encode(version, forKey: .version)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encode(downloadURL, forKey: .downloadURL)
    }

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
              var options = try? JSONDecoder().decode(ExportOptions.self, from: Data(optionsJSON.utf8)),
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
