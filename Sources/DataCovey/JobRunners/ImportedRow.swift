import MariaDB

/// A rejected record: where it is in the file, which column, the offending value, and why.
struct ImportRejection: Error, Equatable {
    let line: Int64
    let column: String?
    let value: String?
    let reason: String
}

/// The rows of an upload, one at a time, with how far into the file the reader is.
protocol ImportRowSource: AnyObject {
    var bytesRead: Int64 { get }
    /// Encodes the next row straight into the LOAD DATA stream (`.some(nil)`), rejects it
    /// leaving the stream as it was (`.some(rejection)`), or answers nil at the end.
    func encodeNext(into encoder: inout LoadDataEncoder, target: ImportTarget) throws -> ImportRejection??
    /// Headers or members matched to a column under another name so far.
    var headerMappings: [HeaderMapping] { get }
}
