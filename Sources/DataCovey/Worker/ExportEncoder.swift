import MariaDB

/// Writes exported rows as CSV (RFC 4180, a header of column names, CRLF) or NDJSON. A CSV NULL
/// is an empty field and an empty string a quoted one, so an import reads back exactly what was
/// exported; timestamps keep their microseconds, decimals their digits.
struct ExportEncoder {
    let columns: [RowStore.Column]
    let format: ExportOptions.Format
    private let kindsCache: [Kind]
    private let namesCache: [[UInt8]]

    init(columns: [RowStore.Column], format: ExportOptions.Format) {
        self.columns = columns
        self.format = format
        kindsCache = Self.kinds(columns)
        namesCache = columns.map { column in
            var out: [UInt8] = []
            Self.writeJSONString(Array(column.name.utf8), into: &out)
            return out
        }
    }

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

    /// A row as the server's text: numbers, decimals and dates go as they are; booleans become
    /// true/false, timestamps RFC 3339 (`2026-11-26 08:00:00.000000` → `…T08:00:00.000000Z`).
    func append(_ row: MariaDBTextRow, into out: inout [UInt8]) {
        let ndjson = format == .ndjson
        if ndjson { out.append(0x7B) }
        let kinds = kindsCache
        for index in 0..<kinds.count {
            if index > 0 { out.append(0x2C) }
            if ndjson {
                out.append(contentsOf: namesCache[index])
                out.append(0x3A)
            }
            guard !row.isNull(index) else {
                if ndjson { out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C]) }
                continue
            }
            let kind = kinds[index]
            row.withField(index) { bytes in
                switch kind {
                case .bool:
                    let isTrue = !(bytes.count == 1 && bytes[0] == 0x30)
                    out.append(contentsOf: isTrue ? [0x74, 0x72, 0x75, 0x65] : [0x66, 0x61, 0x6C, 0x73, 0x65])
                case .number:
                    out.append(contentsOf: bytes)
                case .timestamp:
                    if ndjson { out.append(0x22) }
                    out.append(contentsOf: bytes)
                    if bytes.count > 10 { out[out.count - bytes.count + 10] = 0x54 }
                    out.append(0x5A)
                    if ndjson { out.append(0x22) }
                case .json where ndjson:
                    out.append(contentsOf: bytes)
                case .quotedInJSON:
                    if ndjson { out.append(0x22) }
                    out.append(contentsOf: bytes)
                    if ndjson { out.append(0x22) }
                default:
                    if ndjson { jsonString(bytes, into: &out) } else { Self.csvField(bytes, into: &out) }
                }
            }
        }
        out.append(contentsOf: ndjson ? [0x7D, 0x0A] : [0x0D, 0x0A])
    }

    /// How a column's text is written, decided once per export rather than per cell.
    enum Kind { case bool, number, timestamp, json, quotedInJSON, text }

    static func kinds(_ columns: [RowStore.Column]) -> [Kind] {
        columns.map { column in
            switch column.type {
            case .bool: .bool
            case .int64, .float64: .number
            case .timestamp: .timestamp
            case .json: .json
            case .date, .decimal: .quotedInJSON
            case .string, .text: .text
            }
        }
    }


    /// RFC 4180: quoted when empty (an empty string, not NULL) or holding `,`, `"` or a line break.
    static func csvField(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        var needsQuotes = bytes.isEmpty
        var quotes = false
        for byte in bytes where byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D {
            needsQuotes = true
            if byte == 0x22 { quotes = true }
        }
        guard needsQuotes else { return out.append(contentsOf: bytes) }
        out.append(0x22)
        if quotes {
            for byte in bytes {
                if byte == 0x22 { out.append(0x22) }
                out.append(byte)
            }
        } else {
            out.append(contentsOf: bytes)
        }
        out.append(0x22)
    }

    private func csv(_ cell: MariaDBCell, _ type: ColumnType, into out: inout [UInt8]) {
        switch cell {
        case .null: return
        case .bytes(let bytes, _): csvText(bytes, into: &out, quoteEmpty: true)
        default: scalar(cell, type, into: &out)
        }
    }

    private func json(_ cell: MariaDBCell, _ type: ColumnType, into out: inout [UInt8]) {
        switch (cell, type) {
        case (.null, _): out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
        case (.bytes(let bytes, _), .json): out.append(contentsOf: bytes)
        case (.bytes(let bytes, _), _): jsonString(bytes, into: &out)
        case (.dateTime, _):
            out.append(0x22)
            scalar(cell, type, into: &out)
            out.append(0x22)
        default: scalar(cell, type, into: &out)
        }
    }

    /// Numbers, booleans and dates as text, written digit by digit (no String per cell).
    private func scalar(_ cell: MariaDBCell, _ type: ColumnType, into out: inout [UInt8]) {
        switch cell {
        case .int(let number) where type == .bool:
            out.append(contentsOf: number != 0 ? [0x74, 0x72, 0x75, 0x65] : [0x66, 0x61, 0x6C, 0x73, 0x65])
        case .int(let number): Self.digits(number, into: &out)
        case .uint(let number): out.append(contentsOf: String(number).utf8)
        case .double(let number): out.append(contentsOf: "\(number)".utf8)
        case .dateTime(let t):
            Self.padded(t.year, 4, into: &out); out.append(0x2D); Self.padded(t.month, 2, into: &out); out.append(0x2D)
            Self.padded(t.day, 2, into: &out)
            guard type != .date else { return }
            out.append(0x54)
            Self.padded(t.hour, 2, into: &out); out.append(0x3A); Self.padded(t.minute, 2, into: &out); out.append(0x3A)
            Self.padded(t.second, 2, into: &out); out.append(0x2E); Self.padded(t.microsecond, 6, into: &out); out.append(0x5A)
        case .bytes(let bytes, _): out.append(contentsOf: bytes)
        case .null: return
        }
    }

    static func digits(_ number: Int64, into out: inout [UInt8]) {
        if number < 0 {
            guard number != .min else { return out.append(contentsOf: String(number).utf8) }
            out.append(0x2D)
            return digits(-number, into: &out)
        }
        if number >= 10 { digits(number / 10, into: &out) }
        out.append(0x30 + UInt8(number % 10))
    }

    static func padded(_ number: Int, _ width: Int, into out: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = number
        while divisor > 0 {
            out.append(0x30 + UInt8((rest / divisor) % 10))
            rest %= divisor
            divisor /= 10
        }
    }

    private func csvText(_ bytes: some Collection<UInt8>, into out: inout [UInt8], quoteEmpty: Bool = false) {
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

    private func jsonString(_ bytes: some Collection<UInt8>, into out: inout [UInt8]) {
        Self.writeJSONString(bytes, into: &out)
    }

    static func writeJSONString(_ bytes: some Collection<UInt8>, into out: inout [UInt8]) {
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
}
