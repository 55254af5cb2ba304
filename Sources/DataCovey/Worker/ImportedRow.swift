import MariaDB

/// What a reader makes of one record of an upload: a row of values in the target's column order
/// (nil = absent, so the column's default applies), or the reason it was rejected.
enum ImportedRow {
    case row([MariaDBValue?])
    case rejected(ImportRejection)
}

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
    func next() throws -> ImportedRow?
    var bytesRead: Int64 { get }
    /// Encodes the next row straight into the LOAD DATA stream (nil at the end), or rejects it
    /// leaving the stream as it was. A reader may do this without building values first.
    func encodeNext(into encoder: inout LoadDataEncoder, target: ImportTarget) throws -> ImportRejection??
}

extension ImportRowSource {
    func encodeNext(into encoder: inout LoadDataEncoder, target: ImportTarget) throws -> ImportRejection?? {
        switch try next() {
        case nil: return nil
        case .rejected(let rejection): return .some(rejection)
        case .row(let values):
            encoder.append(row: values, target: target)
            return .some(nil)
        }
    }
}

/// Converts one field's text to the value its column stores, the same way for CSV and
/// NDJSON strings: `RowValueCodec` decides what fits, with CSV's looser booleans on top.
enum ImportValues {
    static func value(_ text: String, for column: ImportTarget.Column) -> Result<MariaDBValue, RowValueProblem> {
        if column.type == .timestamp {
            guard let value = TimestampText.parse(text) else {
                return .failure(.init("must be a timestamp like 2026-11-26T08:00:00Z"))
            }
            return .success(.dateTime(value))
        }
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
