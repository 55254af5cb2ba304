import MariaDB

/// Rows as the rows API writes them: an object per row, each value as stored (CellJSON: json
/// as its text, every timestamp digit), members in the table's column order. The answers of
/// `PATCH|DELETE …/rows` (`Prefer: return=representation`) and of `GET …/rows/{key}`.
struct RowJSON {
    /// Each column's quoted name and colon, and how its cells render, asked once per column.
    private let names: [[UInt8]]
    private let kinds: [QueryColumn.Kind]

    init(columns: [RowStore.Column]) {
        names = columns.map { column in
            var quoted: [UInt8] = []
            ByteText.jsonString(column.name.utf8, into: &quoted)
            quoted.append(0x3A)
            return quoted
        }
        kinds = columns.map { $0.type.kind.cellKind }
    }

    /// One row's object.
    func object(_ cells: [MariaDBCell], into body: inout [UInt8]) {
        body.append(0x7B)
        for (position, cell) in cells.enumerated() {
            if position > 0 { body.append(0x2C) }
            body.append(contentsOf: names[position])
            CellJSON.write(cell, kind: kinds[position], into: &body)
        }
        body.append(0x7D)
    }

    /// `{"items":[…]}`: the rows list's shape, without a next page.
    func items(_ rows: [[MariaDBCell]]) -> [UInt8] {
        var body = Array("{\"items\":[".utf8)
        for (index, row) in rows.enumerated() {
            if index > 0 { body.append(0x2C) }
            object(row, into: &body)
        }
        body.append(contentsOf: "]}".utf8)
        return body
    }
}
