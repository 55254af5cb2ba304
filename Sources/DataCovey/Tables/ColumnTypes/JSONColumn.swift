import MariaDB

/// `json`: MariaDB's JSON (a LONGTEXT checked by JSON_VALID). Keeps any JSON text as written,
/// nested at most 31 levels (MariaDB's limit): a CSV field or JSON string's text must be JSON
/// itself; a JSON member is stored as its literal. JSON `null` (the CSV field `null` too) is SQL NULL.
struct JSONColumn: ColumnKind {
    static let syntax = "json"
    static func parse(_ name: String) -> JSONColumn? { name == syntax ? JSONColumn() : nil }
    static let offered = JSONColumn()
    var name: String { Self.syntax }

    var sqlType: String { "JSON" }
    /// A LONGTEXT underneath, which MariaDB indexes only by a prefix.
    var canBePrimaryKey: Bool { false }

    func defaultLiteral(_ value: JSONScalar) -> Result<ColumnDefault.Literal, ColumnDefault.DefaultProblem> {
        ColumnDefault.notSettable(self)
    }

    func convert<Sink: CellSink>(_ input: CellInput, into sink: inout Sink) -> RowValueProblem? {
        let literal: UnsafeBufferPointer<UInt8>
        let depth: Int
        switch input {
        case .text(let bytes):
            do {
                depth = try JSONScanner.document(bytes).depth
            } catch {
                return RowValueProblem("must be JSON: it \(error.reason) (at byte \(error.offset + 1))")
            }
            literal = bytes
        case .jsonString(_, let written), .jsonNumber(let written):
            literal = written
            depth = 0
        case .jsonBool(let flag):
            Array((flag ? "true" : "false").utf8).withUnsafeBufferPointer { sink.appendText($0) }
            return nil
        case .jsonComposite(let written, let nesting):
            literal = written
            depth = nesting
        }
        guard depth <= CellConverter.maximumJSONDepth else {
            return RowValueProblem("is nested \(depth) levels deep; JSON in MariaDB may nest at most \(CellConverter.maximumJSONDepth)")
        }
        guard literal.count <= Int(UInt32.max) else { return RowValueProblem("is too long") }
        sink.appendText(literal)
        return nil
    }

    var readsNullLiteralAsNull: Bool { true }

    /// Only an NDJSON array or object makes a json column; past text (which any value fits) no
    /// sample value leads here, and after one, json takes every value.
    static let detection: ColumnDetection? = ColumnDetection(rank: 7, type: ColumnType(offered), fits: { _ in true },
                                                             takesJSONComposites: true)

    var cellKind: QueryColumn.Kind { .json }

    /// MariaDB 10.11 sends JSON as LONGTEXT and names it `json` only in the extended metadata.
    static func resultType(of column: MariaDBColumn) -> JSONColumn? {
        column.formatName == "json" ? JSONColumn() : nil
    }

    /// JSON values have no order MariaDB could use, nor a comparison that means much.
    var canBeCompared: Bool { false }
    var canBeOrderedBy: Bool { false }
}

extension ColumnType {
    static let json = ColumnType(JSONColumn())
}
