import MariaDB

/// The `LOAD DATA LOCAL INFILE` stream of one import: pulls rows from the reader, encodes the
/// good ones, hands rejects to the reject log, and stops the statement (by throwing) when the
/// job must stop: too many rejects, a cancel, a lost lease, a shutdown. The server then rolls
/// back what it loaded, so a stopped import adds nothing.
final class ImportLoadStream: LocalInfileSource {
    private let rows: ImportRowSource
    private let target: ImportTarget
    private let options: ImportOptions
    private let progress: JobProgress
    private let rejects: ImportRejectLog
    private var encoder = LoadDataEncoder()
    private(set) var rowsLoaded: Int64 = 0
    private(set) var rowsRejected: Int64 = 0
    var headerMappings: [HeaderMapping] { rows.headerMappings }
    private var finished = false

    /// Bytes per chunk handed to the server: large enough to amortize the calls.
    private static let chunkBytes = 1 << 20

    init(rows: ImportRowSource, target: ImportTarget, options: ImportOptions, progress: JobProgress, rejects: ImportRejectLog) {
        self.rows = rows
        self.target = target
        self.options = options
        self.progress = progress
        self.rejects = rejects
    }

    /// The `LOAD DATA` statement for this stream into `table` (the target or its staging copy):
    /// a column with a default is loaded through a variable and an "absent" flag, so a value
    /// missing from a record gets `DEFAULT(column)` rather than NULL.
    static func statement(into table: String, target: ImportTarget) -> String {
        var fields: [String] = []
        var assignments: [String] = []
        for (index, column) in target.columns.enumerated() {
            if column.hasDefault {
                fields += ["@v\(index)", "@a\(index)"]
                assignments.append("`\(column.name)` = IF(@a\(index) = '1', DEFAULT(`\(column.name)`), @v\(index))")
            } else {
                fields.append("`\(column.name)`")
            }
        }
        var sql = "LOAD DATA LOCAL INFILE 'import.tsv' INTO TABLE \(table) \(LoadDataEncoder.clause) (\(fields.joined(separator: ", ")))"
        if !assignments.isEmpty { sql += " SET " + assignments.joined(separator: ", ") }
        return sql
    }

    func nextChunk() throws -> [UInt8] {
        guard !finished else { return [] }
        while encoder.bytes.count < Self.chunkBytes {
            if let reason = progress.stopRequested { throw JobStopped(reason: reason) }
            guard let outcome = try rows.encodeNext(into: &encoder, target: target) else {
                finished = true
                break
            }
            if let rejection = outcome {
                rowsRejected += 1
                try rejects.add(rejection)
                if rowsRejected > options.maxBadRecords {
                    progress.update(bytes: rows.bytesRead, rows: rowsLoaded, rejected: rowsRejected)
                    throw JobFailure(description: "\(rowsRejected) row\(rowsRejected == 1 ? " was" : "s were") rejected, more than max_bad_records (\(options.maxBadRecords)); the first is on line \(rejects.firstLine ?? rejection.line): \(rejects.firstReason ?? rejection.reason).")
                }
            } else {
                rowsLoaded += 1
            }
            if (rowsLoaded + rowsRejected) % 4096 == 0 {
                progress.update(bytes: rows.bytesRead, rows: rowsLoaded, rejected: rowsRejected)
            }
        }
        progress.update(bytes: rows.bytesRead, rows: rowsLoaded, rejected: rowsRejected)
        return encoder.takeBytes()
    }

    /// Reads every row without loading (a dry run), with the same checks.
    func drain() throws {
        while try !nextChunk().isEmpty {}
    }
}

