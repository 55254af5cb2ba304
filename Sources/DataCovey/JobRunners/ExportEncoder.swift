import MariaDB

/// Writes exported rows as CSV (RFC 4180, a header of column names, CRLF) or NDJSON. A CSV NULL
/// is an empty field and an empty string a quoted one, so an import reads back exactly what was
/// exported; timestamps keep their microseconds, decimals their digits.
struct ExportEncoder {
    let columns: [RowStore.Column]
    let format: ExportOptions.Format
    /// Text cells that start like a formula get a leading `'` (CSV only).
    let escapesFormulas: Bool
    /// Per column, decided once per export rather than per cell.
    private let kinds: [Kind]
    private let quotedNames: [[UInt8]]

    init(columns: [RowStore.Column], format: ExportOptions.Format, escapesFormulas: Bool = false) {
        self.columns = columns
        self.format = format
        self.escapesFormulas = escapesFormulas && format == .csv
        kinds = columns.map { Self.kind(of: $0.type) }
        quotedNames = Self.quotedNames(columns.map(\.name))
    }

    func header(into out: inout [UInt8]) {
        Self.header(columns.map(\.name), format: format, into: &out)
    }

    /// Each name as a JSON string, made once per export for the NDJSON keys.
    static func quotedNames(_ names: [String]) -> [[UInt8]] {
        names.map { name in
            var out: [UInt8] = []
            ByteText.jsonString(name.utf8, into: &out)
            return out
        }
    }

    /// The CSV header line of `names` (NDJSON has none).
    static func header(_ names: [String], format: ExportOptions.Format, into out: inout [UInt8]) {
        guard format == .csv else { return }
        for (index, name) in names.enumerated() {
            if index > 0 { out.append(0x2C) }
            Array(name.utf8).withUnsafeBufferPointer { csvField($0, into: &out) }
        }
        out.append(contentsOf: [0x0D, 0x0A])
    }

    /// A row as the server's text: numbers, decimals and dates go as they are; booleans become
    /// true/false, timestamps RFC 3339 (`2026-11-26 08:00:00.000000` → `…T08:00:00.000000Z`).
    /// (Generic over where the fields come from: the export's text rows, or a rows page's cells
    /// as `CellTextFields` writes them, so both are written by this one function.)
    func append<Row: ExportFields>(_ row: Row, into out: inout [UInt8]) {
        let ndjson = format == .ndjson
        if ndjson { out.append(0x7B) }
        for index in 0..<kinds.count {
            if index > 0 { out.append(0x2C) }
            if ndjson {
                out.append(contentsOf: quotedNames[index])
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
                    if ndjson {
                        ByteText.jsonString(bytes, into: &out)
                    } else {
                        Self.csvField(bytes, escapingFormulas: escapesFormulas, into: &out)
                    }
                }
            }
        }
        out.append(contentsOf: ndjson ? [0x7D, 0x0A] : [0x0D, 0x0A])
    }

    /// How a column's text is written.
    enum Kind { case bool, number, timestamp, json, quotedInJSON, text }

    static func kind(of type: ColumnType) -> Kind { kind(of: type.kind.cellKind) }

    /// By how the column's cells render: numbers bare, dates and decimals as JSON strings (exact
    /// digits), timestamps in RFC 3339, json as its value in NDJSON.
    static func kind(of cells: QueryColumn.Kind) -> Kind {
        switch cells {
        case .bool: .bool
        case .integer, .double: .number
        case .timestamp: .timestamp
        case .json: .json
        case .date, .decimal, .time: .quotedInJSON
        case .text, .binary, .null: .text
        }
    }

    /// RFC 4180: quoted when empty (an empty string, not NULL) or holding `,`, `"` or a line break.
    /// With `escapingFormulas`, a cell a spreadsheet would run as a formula (starting with `=`,
    /// `+`, `-`, `@`, tab or carriage return) gets a leading `'`, which spreadsheets show as text.
    static func csvField(_ bytes: UnsafeBufferPointer<UInt8>, escapingFormulas: Bool = false, into out: inout [UInt8]) {
        let escaped = escapingFormulas && bytes.first.map(startsFormula) == true
        var needsQuotes = bytes.isEmpty
        var quotes = false
        for byte in bytes where byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D {
            needsQuotes = true
            if byte == 0x22 { quotes = true }
        }
        guard needsQuotes else {
            if escaped { out.append(0x27) }
            return out.append(contentsOf: bytes)
        }
        out.append(0x22)
        if escaped { out.append(0x27) }
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

    /// `=`, `+`, `-`, `@`, tab, carriage return (OWASP, CSV injection).
    static func startsFormula(_ byte: UInt8) -> Bool {
        byte == 0x3D || byte == 0x2B || byte == 0x2D || byte == 0x40 || byte == 0x09 || byte == 0x0D
    }
}

/// A row's fields as the server's text protocol sends them.
protocol ExportFields {
    func isNull(_ index: Int) -> Bool
    func withField<Result>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result
}

extension MariaDBTextRow: ExportFields {}
