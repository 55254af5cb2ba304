import Foundation
import MariaDB

/// Writes a query result as the API's JSON object or as CSV, straight from the server's cells
/// (a 10,000-row answer would spend longer in JSONSerialization than in the database).
///
/// JSON types: integers and doubles as numbers, booleans as true/false, decimals as strings
/// (exact, as the rows API does), dates `YYYY-MM-DD`, timestamps RFC 3339 UTC with
/// microseconds, binary as base64, everything else as strings.
struct QueryResultEncoder {
    let result: QueryResult

    func json(runID: Int64?) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + result.rows.count * max(1, result.columns.count) * 12)
        out.append(contentsOf: "{\"run_id\":".utf8)
        if let runID { ByteText.integer(runID, into: &out) } else { out.append(contentsOf: "null".utf8) }
        out.append(contentsOf: ",\"columns\":[".utf8)
        for (index, column) in result.columns.enumerated() {
            if index > 0 { out.append(0x2C) }
            out.append(contentsOf: "{\"name\":".utf8)
            ByteText.jsonString(column.name.utf8, into: &out)
            out.append(contentsOf: ",\"type\":".utf8)
            ByteText.jsonString(column.type.utf8, into: &out)
            out.append(0x7D)
        }
        out.append(contentsOf: "],\"rows\":[".utf8)
        let kinds = result.columns.map(\.kind)
        for (rowIndex, row) in result.rows.enumerated() {
            if rowIndex > 0 { out.append(0x2C) }
            out.append(0x5B)
            for (index, cell) in row.enumerated() {
                if index > 0 { out.append(0x2C) }
                Self.jsonCell(cell, kind: index < kinds.count ? kinds[index] : .text, into: &out)
            }
            out.append(0x5D)
        }
        out.append(contentsOf: "],\"row_count\":".utf8)
        ByteText.integer(Int64(result.rows.count), into: &out)
        out.append(contentsOf: ",\"truncated\":".utf8)
        out.append(contentsOf: (result.truncated ? "true" : "false").utf8)
        out.append(contentsOf: ",\"elapsed_ms\":".utf8)
        ByteText.integer(result.elapsedMilliseconds, into: &out)
        out.append(0x7D)
        return out
    }

    /// RFC 4180 with a header of column names; NULL is an empty field, an empty string `""`.
    func csv() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128 + result.rows.count * max(1, result.columns.count) * 10)
        for (index, column) in result.columns.enumerated() {
            if index > 0 { out.append(0x2C) }
            Array(column.name.utf8).withUnsafeBufferPointer { ExportEncoder.csvField($0, into: &out) }
        }
        out.append(contentsOf: [0x0D, 0x0A])
        let kinds = result.columns.map(\.kind)
        for row in result.rows {
            for (index, cell) in row.enumerated() {
                if index > 0 { out.append(0x2C) }
                Self.csvCell(cell, kind: index < kinds.count ? kinds[index] : .text, into: &out)
            }
            out.append(contentsOf: [0x0D, 0x0A])
        }
        return out
    }

    static func jsonCell(_ cell: MariaDBCell, kind: QueryColumn.Kind, into out: inout [UInt8]) {
        switch cell {
        case .null:
            out.append(contentsOf: "null".utf8)
        case .int(let number) where kind == .bool:
            out.append(contentsOf: (number != 0 ? "true" : "false").utf8)
        case .int(let number):
            ByteText.integer(number, into: &out)
        case .uint(let number):
            out.append(contentsOf: String(number).utf8)
        case .double(let number):
            out.append(contentsOf: (number.isFinite ? "\(number)" : "null").utf8)
        case .dateTime(let value):
            out.append(0x22)
            dateTime(value, kind: kind, into: &out)
            out.append(0x22)
        case .bytes(let bytes, _) where kind == .binary:
            out.append(0x22)
            out.append(contentsOf: Data(bytes).base64EncodedString().utf8)
            out.append(0x22)
        case .bytes(let bytes, _):
            ByteText.jsonString(bytes, into: &out)
        }
    }

    static func csvCell(_ cell: MariaDBCell, kind: QueryColumn.Kind, into out: inout [UInt8]) {
        switch cell {
        case .null:
            return
        case .int(let number) where kind == .bool:
            out.append(contentsOf: (number != 0 ? "true" : "false").utf8)
        case .int(let number):
            ByteText.integer(number, into: &out)
        case .uint(let number):
            out.append(contentsOf: String(number).utf8)
        case .double(let number):
            out.append(contentsOf: "\(number)".utf8)
        case .dateTime(let value):
            dateTime(value, kind: kind, into: &out)
        case .bytes(let bytes, _) where kind == .binary:
            out.append(contentsOf: Data(bytes).base64EncodedString().utf8)
        case .bytes(let bytes, _):
            bytes.withUnsafeBufferPointer { ExportEncoder.csvField($0, into: &out) }
        }
    }

    private static func dateTime(_ value: MariaDBDateTime, kind: QueryColumn.Kind, into out: inout [UInt8]) {
        switch kind {
        case .date:
            ByteText.padded(value.year, width: 4, into: &out); out.append(0x2D)
            ByteText.padded(value.month, width: 2, into: &out); out.append(0x2D)
            ByteText.padded(value.day, width: 2, into: &out)
        case .time:
            ByteText.padded(value.hour, width: 2, into: &out); out.append(0x3A)
            ByteText.padded(value.minute, width: 2, into: &out); out.append(0x3A)
            ByteText.padded(value.second, width: 2, into: &out)
        default:
            ByteText.dateTime(value, separator: 0x54, fractionDigits: 6, into: &out)
            out.append(0x5A)
        }
    }
}
