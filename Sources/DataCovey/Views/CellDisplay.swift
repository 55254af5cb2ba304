import MariaDB

/// One rendering of a value on every page, the API's: a cell is first written as the API writes
/// it (CellJSON for table rows, QueryResultEncoder for query results), then shown — strings
/// without their quotes, numbers, booleans and JSON as written. So a boolean reads `true` on
/// the table page, in the query editor and in the API alike, a timestamp keeps its microseconds
/// (`2026-12-02T19:41:17.703711Z`), and NULL and empty text look different from each other.
enum CellDisplay {
    enum Shown: Equatable {
        case null
        case emptyText
        case text(String)
    }

    /// A table cell, as `GET /tables/{id}/rows` writes it; `kind` is its column type's
    /// `cellKind`, asked once per column.
    static func tableCell(_ cell: MariaDBCell, kind: QueryColumn.Kind) -> Shown {
        var json: [UInt8] = []
        CellJSON.write(cell, kind: kind, into: &json)
        return shown(json)
    }

    /// A query result's cell (the server's text, nil for NULL), as the query API writes it.
    static func queryCell(_ text: String?, kind: QueryColumn.Kind) -> Shown {
        guard var text else { return .null }
        var json: [UInt8] = []
        text.withUTF8 { QueryResultEncoder.jsonField($0, kind: kind, into: &json) }
        return shown(json)
    }

    /// One JSON value as a page shows it. A page shows hundreds of cells: a string without
    /// escapes is the bytes between its quotes, and only one with a backslash goes through a
    /// JSON decoder.
    static func shown(_ json: [UInt8]) -> Shown {
        if json.count == 4, json == nullBytes { return .null }
        guard json.count >= 2, json.first == 0x22, json.last == 0x22 else { return .text(String(decoding: json, as: UTF8.self)) }
        if json.count == 2 { return .emptyText }
        let inner = json[1..<(json.count - 1)]
        if !inner.contains(0x5C) { return .text(String(decoding: inner, as: UTF8.self)) }
        guard let string = try? JSON.Literal.decode(String.self, from: json) else { return .text(String(decoding: json, as: UTF8.self)) }
        return string.isEmpty ? .emptyText : .text(string)
    }

    private static let nullBytes = Array("null".utf8)

    /// The template context of a shown value (table.mustache and query.mustache): `cell_null`,
    /// `cell_empty` or `cell_text` — names no enclosing context has, since Mustache looks a
    /// missing name up in the enclosing ones.
    static func context(_ shown: Shown) -> [String: Any] {
        switch shown {
        case .null: ["cell_null": true, "cell_empty": false, "cell_text": ""]
        case .emptyText: ["cell_null": false, "cell_empty": true, "cell_text": ""]
        case .text(let text): ["cell_null": false, "cell_empty": false, "cell_text": text]
        }
    }
}
