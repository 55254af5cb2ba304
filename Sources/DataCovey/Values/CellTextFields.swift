import MariaDB

/// A rows page's cells (the binary protocol's values) as the text the server's text protocol
/// sends for them, so `ExportEncoder` writes a page of the rows API (`Accept: text/csv`,
/// `application/x-ndjson`) exactly as an export writes the same rows: integers and decimals
/// with their digits, dates `YYYY-MM-DD`, timestamps with all six fractional digits, booleans
/// as 0/1 (the encoder writes true/false). A double is its shortest text that reads back as the
/// same double, as the rows API's JSON writes it.
struct CellTextFields: ExportFields {
    private var texts: [[UInt8]?] = []

    init(_ cells: [MariaDBCell], kinds: [QueryColumn.Kind]) {
        texts = zip(cells, kinds).map { cell, kind in
            var out: [UInt8] = []
            switch cell {
            case .null: return nil
            case .int(let number): ByteText.integer(number, into: &out)
            case .uint(let number): out.append(contentsOf: String(number).utf8)
            case .double(let number): out.append(contentsOf: "\(number)".utf8)
            case .bytes(let bytes, _): out.append(contentsOf: bytes)
            case .dateTime(let value):
                if kind == .date {
                    ByteText.padded(value.year, width: 4, into: &out); out.append(0x2D)
                    ByteText.padded(value.month, width: 2, into: &out); out.append(0x2D)
                    ByteText.padded(value.day, width: 2, into: &out)
                } else {
                    ByteText.dateTime(value, separator: 0x20, fractionDigits: 6, into: &out)
                }
            }
            return out
        }
    }

    func isNull(_ index: Int) -> Bool { texts[index] == nil }

    func withField<Result>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try (texts[index] ?? []).withUnsafeBufferPointer(body)
    }
}
