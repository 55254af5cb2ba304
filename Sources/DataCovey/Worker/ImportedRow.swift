import MariaDB

/// A rejected record: where it is in the file, which column, the offending value, and why.
struct ImportRejection: Error, Equatable {
    let line: Int64
    let column: String?
    let value: String?
    let reason: String
}

/// A file-level problem that fails the whole import (an unterminated quote, a header naming no
/// column): the message says what and where.
struct ImportFailure: Error, CustomStringConvertible {
    let description: String
}

/// The rows of an upload, one at a time, with how far into the file the reader is.
protocol ImportRowSource: AnyObject {
    var bytesRead: Int64 { get }
    /// Encodes the next row straight into the LOAD DATA stream (`.some(nil)`), rejects it
    /// leaving the stream as it was (`.some(rejection)`), or answers nil at the end.
    func encodeNext(into encoder: inout LoadDataEncoder, target: ImportTarget) throws -> ImportRejection??
}

/// Converts one field's text to the value its column stores, the same way for CSV and
/// NDJSON strings: `RowValueCodec` decides what fits, with files' looser booleans on top.
enum ImportValues {
    static func value(_ text: String, for column: ImportTarget.Column) -> Result<MariaDBValue, RowValueProblem> {
        if column.type == .bool {
            switch text.lowercased() {
            case "true", "t", "1", "yes", "y": return .success(.int(1))
            case "false", "f", "0", "no", "n": return .success(.int(0))
            default: return .failure(.init("must be true or false"))
            }
        }
        return RowValueCodec.text(text, for: column.type)
    }
}
