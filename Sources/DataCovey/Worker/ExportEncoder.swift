import MariaDB

/// Writes exported rows as CSV (RFC 4180, a header of column names, CRLF) or NDJSON. A CSV NULL
/// is an empty field and an empty string a quoted one, so an import reads back exactly what was
/// exported; timestamps keep their microseconds, decimals their digits.
struct ExportEncoder {
    let columns: [RowStore.Column]
    let format: ExportOptions.Format

    func header(into out: inout [UInt8]) {
        guard format == .csv else { return }
        for (index, column) in columns.enumerated() {
            if index > 0 { out.append(0x2C) }
            csvText(Array(column.name.utf8), into: &out)
        }
        out.append(contentsOf: [0x0D, 0x0A])
    }

    func append(_ cells: [MariaDBCell], into out: inout [UInt8]) {
        switch format {
        case .csv:
            for (index, (column, cell)) in zip(columns, cells).enumerated() {
                if index > 0 { out.append(0x2C) }
                csv(cell, column.type, into: &out)
            }
            out.append(contentsOf: [0x0D, 0x0A])
        case .ndjson:
            out.append(0x7B)
            for (index, (column, cell)) in zip(columns, cells).enumerated() {
                if index > 0 { out.append(0x2C) }
                jsonString(Array(column.name.utf8), into: &out)
                out.append(0x3A)
                json(cell, column.type, into: &out)
            }
            out.append(contentsOf: [0x7D, 0x0A])
        }
    }

    private func csv(_ cell: MariaDBCell, _ type: ColumnType, into out: inout [UInt8]) {
        switch (cell, type) {
        case (.null, _): return
        case (.bytes(let bytes, _), _): csvText(bytes, into: &out, quoteEmpty: true)
        default: out.append(contentsOf: scalar(cell, type))
        }
    }

    private func json(_ cell: MariaDBCell, _ type: ColumnType, into out: inout [UInt8]) {
        switch (cell, type) {
        case (.null, _): out.append(contentsOf: "null".utf8)
        case (.bytes(let bytes, _), .json): out.append(contentsOf: bytes)
        case (.bytes(let bytes, _), _): jsonString(bytes, into: &out)
        case (.dateTime, _): jsonString(scalar(cell, type), into: &out)
        default: out.append(contentsOf: scalar(cell, type))
        }
    }

    /// Numbers, booleans and dates as text.
    private func scalar(_ cell: MariaDBCell, _ type: ColumnType) -> [UInt8] {
        switch cell {
        case .int(let number) where type == .bool: Array((number != 0 ? "true" : "false").utf8)
        case .int(let number): Array(String(number).utf8)
        case .uint(let number): Array(String(number).utf8)
        case .double(let number): Array("\(number)".utf8)
        case .dateTime(let t) where type == .date: Array("\(pad(t.year, 4))-\(pad(t.month, 2))-\(pad(t.day, 2))".utf8)
        case .dateTime(let t):
            Array("\(pad(t.year, 4))-\(pad(t.month, 2))-\(pad(t.day, 2))T\(pad(t.hour, 2)):\(pad(t.minute, 2)):\(pad(t.second, 2)).\(pad(t.microsecond, 6))Z".utf8)
        case .bytes(let bytes, _): bytes
        case .null: []
        }
    }

    private func csvText(_ bytes: [UInt8], into out: inout [UInt8], quoteEmpty: Bool = false) {
        let needsQuotes = (quoteEmpty && bytes.isEmpty) || bytes.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
        guard needsQuotes else {
            out.append(contentsOf: bytes)
            return
        }
        out.append(0x22)
        for byte in bytes {
            if byte == 0x22 { out.append(0x22) }
            out.append(byte)
        }
        out.append(0x22)
    }

    private func jsonString(_ bytes: [UInt8], into out: inout [UInt8]) {
        out.append(0x22)
        for byte in bytes {
            switch byte {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: out.append(contentsOf: [0x5C, 0x72])
            case 0x09: out.append(contentsOf: [0x5C, 0x74])
            case 0x00..<0x20: out.append(contentsOf: Array("\\u00\(byte < 0x10 ? "0" : "")\(String(byte, radix: 16))".utf8))
            default: out.append(byte)
            }
        }
        out.append(0x22)
    }

    private func pad(_ number: Int, _ width: Int) -> String {
        let digits = String(number)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
