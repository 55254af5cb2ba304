import MariaDB

/// Writes a query's rows as CSV (a header of column names, CRLF) or NDJSON, from the server's
/// typed cells, with the same value forms as a query answer (QueryResultEncoder).
struct QueryExportEncoder {
    let columns: [QueryColumn]
    let format: ExportOptions.Format
    /// Text cells that start like a formula get a leading `'` (CSV only).
    let escapesFormulas: Bool
    private let quotedNames: [[UInt8]]

    init(columns: [QueryColumn], format: ExportOptions.Format, escapesFormulas: Bool = false) {
        self.columns = columns
        self.format = format
        self.escapesFormulas = escapesFormulas && format == .csv
        quotedNames = ExportEncoder.quotedNames(columns.map(\.name))
    }

    func header(into out: inout [UInt8]) {
        ExportEncoder.header(columns.map(\.name), format: format, into: &out)
    }

    /// `scratch` holds one cell's text at a time (kept by the caller, so no allocation per cell).
    func append(_ cells: [MariaDBCell], into out: inout [UInt8], scratch: inout [UInt8]) {
        if format == .ndjson { out.append(0x7B) }
        for (index, cell) in cells.enumerated() where index < columns.count {
            if index > 0 { out.append(0x2C) }
            if format == .ndjson {
                out.append(contentsOf: quotedNames[index])
                out.append(0x3A)
            }
            scratch.removeAll(keepingCapacity: true)
            let kind = columns[index].kind
            let isValue = QueryRows.render(cell, kind: kind, into: &scratch)
            scratch.withUnsafeBufferPointer { text in
                let field = isValue ? text : nil
                if format == .ndjson {
                    QueryResultEncoder.jsonField(field, kind: kind, into: &out)
                } else {
                    QueryResultEncoder.csvField(field, kind: kind, escapingFormulas: escapesFormulas, into: &out)
                }
            }
        }
        out.append(contentsOf: format == .ndjson ? [0x7D, 0x0A] : [0x0D, 0x0A])
    }
}
