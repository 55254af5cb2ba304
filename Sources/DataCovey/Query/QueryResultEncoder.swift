import Foundation
import MariaDB

/// Writes a query result as the API's JSON object or as CSV, straight from the server's text
/// (a 10,000-row answer would spend longer in JSONSerialization than in the database).
///
/// JSON types: integers and doubles as numbers, booleans as true/false, decimals as strings
/// (exact, as the rows API does), dates `YYYY-MM-DD`, timestamps RFC 3339 UTC with
/// microseconds, json columns as the JSON value, binary as base64, everything else as strings.
struct QueryResultEncoder {
    let result: QueryResult
    /// Prefix text cells that a spreadsheet would run as a formula with `'` (OWASP's CSV
    /// injection advice); CSV only.
    var escapesFormulas = false

    /// Bytes gathered before they are handed on: a large answer is written in pieces, never
    /// held a second time as one buffer.
    static let chunkBytes = 256 << 10

    init(result: QueryResult, escapesFormulas: Bool = false) {
        self.result = result
        self.escapesFormulas = escapesFormulas
    }

    func json(runID: Int64?) -> [UInt8] {
        var all: [UInt8] = []
        writeJSON(runID: runID, chunkBytes: .max) { all = $0 }
        return all
    }

    func csv() -> [UInt8] {
        var all: [UInt8] = []
        writeCSV(chunkBytes: .max) { all = $0 }
        return all
    }

    /// The API's JSON object, handed to `flush` in pieces of about `chunkBytes`.
    func writeJSON(runID: Int64?, chunkBytes: Int = chunkBytes, _ flush: ([UInt8]) throws -> Void) rethrows {
        let rows = result.rows
        var out: [UInt8] = []
        out.reserveCapacity(min(chunkBytes, 256 + rows.count * max(1, rows.width) * 14) + 1024)
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
        for row in 0..<rows.count {
            if row > 0 { out.append(0x2C) }
            out.append(0x5B)
            for column in 0..<rows.width {
                if column > 0 { out.append(0x2C) }
                rows.withField(row: row, column: column) { Self.jsonField($0, kind: kinds[column], into: &out) }
            }
            out.append(0x5D)
            if out.count >= chunkBytes {
                try flush(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        out.append(contentsOf: "],\"row_count\":".utf8)
        ByteText.integer(Int64(rows.count), into: &out)
        out.append(contentsOf: ",\"truncated\":".utf8)
        out.append(contentsOf: (result.truncated ? "true" : "false").utf8)
        out.append(contentsOf: ",\"truncated_by\":".utf8)
        out.append(contentsOf: (result.truncation.map { "\"\($0.rawValue)\"" } ?? "null").utf8)
        out.append(contentsOf: ",\"elapsed_ms\":".utf8)
        ByteText.integer(result.elapsedMilliseconds, into: &out)
        out.append(0x7D)
        try flush(out)
    }

    /// RFC 4180 with a header of column names; NULL is an empty field, an empty string `""`.
    func writeCSV(chunkBytes: Int = chunkBytes, _ flush: ([UInt8]) throws -> Void) rethrows {
        let rows = result.rows
        var out: [UInt8] = []
        out.reserveCapacity(min(chunkBytes, 128 + rows.count * max(1, rows.width) * 10) + 1024)
        for (index, column) in result.columns.enumerated() {
            if index > 0 { out.append(0x2C) }
            Array(column.name.utf8).withUnsafeBufferPointer {
                ExportEncoder.csvField($0, escapingFormulas: escapesFormulas, into: &out)
            }
        }
        out.append(contentsOf: [0x0D, 0x0A])
        let kinds = result.columns.map(\.kind)
        for row in 0..<rows.count {
            for column in 0..<rows.width {
                if column > 0 { out.append(0x2C) }
                rows.withField(row: row, column: column) {
                    Self.csvField($0, kind: kinds[column], escapingFormulas: escapesFormulas, into: &out)
                }
            }
            out.append(contentsOf: [0x0D, 0x0A])
            if out.count >= chunkBytes {
                try flush(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        try flush(out)
    }

    /// One cell of the server's text as JSON; nil is NULL.
    static func jsonField(_ field: UnsafeBufferPointer<UInt8>?, kind: QueryColumn.Kind, into out: inout [UInt8]) {
        guard let field else { return out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C]) }
        switch kind {
        case .bool:
            out.append(contentsOf: isFalse(field) ? [0x66, 0x61, 0x6C, 0x73, 0x65] : [0x74, 0x72, 0x75, 0x65])
        case .integer:
            out.append(contentsOf: field)
        case .double:
            // MariaDB never prints inf or nan for a DOUBLE; guard anyway, JSON has no such number.
            if let first = field.first, first == 0x69 || first == 0x6E || first == 0x2D && field.count > 1 && field[1] == 0x69 {
                out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
            } else {
                out.append(contentsOf: field)
            }
        case .decimal, .date, .time:
            out.append(0x22)
            out.append(contentsOf: field)
            out.append(0x22)
        case .timestamp:
            out.append(0x22)
            appendTimestamp(field, into: &out)
            out.append(0x22)
        case .binary:
            out.append(0x22)
            out.append(contentsOf: Data(field).base64EncodedString().utf8)
            out.append(0x22)
        case .json:
            // MariaDB holds the JSON text a writer gave (checked by JSON_VALID): the value itself.
            out.append(contentsOf: field)
        case .text, .null:
            ByteText.jsonString(field, into: &out)
        }
    }

    /// One cell of the server's text as a CSV field; nil (NULL) is an empty field.
    static func csvField(_ field: UnsafeBufferPointer<UInt8>?, kind: QueryColumn.Kind, escapingFormulas: Bool = false,
                         into out: inout [UInt8]) {
        guard let field else { return }
        switch kind {
        case .bool:
            out.append(contentsOf: isFalse(field) ? [0x66, 0x61, 0x6C, 0x73, 0x65] : [0x74, 0x72, 0x75, 0x65])
        case .integer, .double, .decimal, .date, .time:
            out.append(contentsOf: field)
        case .timestamp:
            appendTimestamp(field, into: &out)
        case .binary:
            out.append(contentsOf: Data(field).base64EncodedString().utf8)
        case .text, .json, .null:
            ExportEncoder.csvField(field, escapingFormulas: escapingFormulas, into: &out)
        }
    }

    private static func isFalse(_ field: UnsafeBufferPointer<UInt8>) -> Bool { field.count == 1 && field[0] == 0x30 }

    /// `2026-01-02 10:00:00[.f…]` → `2026-01-02T10:00:00.ffffffZ`: the date-time separator
    /// becomes `T` and the fraction is always six digits, whatever the column's precision.
    private static func appendTimestamp(_ field: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        let start = out.count
        out.append(contentsOf: field)
        guard field.count >= 19 else { return }
        out[start + 10] = 0x54
        let fraction = field.count > 20 ? field.count - 20 : 0
        if fraction == 0 { out.append(0x2E) }
        if fraction < 6 { out.append(contentsOf: repeatElement(0x30, count: 6 - fraction)) }
        out.append(0x5A)
    }
}
