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

    /// A table cell, as `GET /tables/{id}/rows` writes it.
    static func tableCell(_ cell: MariaDBCell, type: ColumnType) -> Shown {
        var json: [UInt8] = []
        CellJSON.write(cell, for: type, into: &json)
        return shown(json)
    }

    /// A query result's cell (the server's text, nil for NULL), as the query API writes it.
    static func queryCell(_ text: String?, kind: QueryColumn.Kind) -> Shown {
        guard var text else { return .null }
        var json: [UInt8] = []
        text.withUTF8 { QueryResultEncoder.jsonField($0, kind: kind, into: &json) }
        return shown(json)
    }

    /// One JSON value as a page shows it.
    static func shown(_ json: [UInt8]) -> Shown {
        if json == Array("null".utf8) { return .null }
        guard json.first == 0x22, let string = try? JSON.Literal.decode(String.self, from: json) else {
            return .text(String(decoding: json, as: UTF8.self))
        }
        return string.isEmpty ? .emptyText : .text(string)
    }

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
