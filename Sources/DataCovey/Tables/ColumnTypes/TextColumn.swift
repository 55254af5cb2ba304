import MariaDB

/// `text`: a MEDIUMTEXT. Accepts valid UTF-8 of at most 16,777,215 bytes, as text or a JSON string.
struct TextColumn: ColumnKind {
    static let syntax = "text"
    static func parse(_ name: String) -> TextColumn? { name == syntax ? TextColumn() : nil }
    static let offered = TextColumn()
    var name: String { Self.syntax }

    var sqlType: String { "MEDIUMTEXT" }
    /// MariaDB indexes a TEXT only by a prefix.
    var canBePrimaryKey: Bool { false }

    func defaultLiteral(_ value: JSONScalar) -> Result<ColumnDefault.Literal, ColumnDefault.DefaultProblem> {
        ColumnDefault.notSettable(self)
    }

    func convert<Sink: CellSink>(_ input: CellInput, into sink: inout Sink) -> RowValueProblem? {
        guard let bytes = input.text else { return RowValueProblem("must be a string, not \(input.jsonKind)") }
        guard CellConverter.utf8(bytes).valid else { return RowValueProblem("is not valid UTF-8") }
        if bytes.count > CellConverter.maximumTextBytes {
            return RowValueProblem("has \(bytes.count) bytes; a text holds at most \(CellConverter.maximumTextBytes)")
        }
        sink.appendText(bytes)
        return nil
    }

    /// The widest rung: anything fits.
    static let detection: ColumnDetection? = ColumnDetection(rank: 6, type: ColumnType(offered)) { _ in true }

    var cellKind: QueryColumn.Kind { .text }

    /// The TEXT and BLOB codes (250 is MEDIUMTEXT) when not binary and not json.
    static func resultType(of column: MariaDBColumn) -> TextColumn? {
        (249...252).contains(column.typeCode) && !column.isBinary && column.formatName != "json" ? TextColumn() : nil
    }

    var matchesPatterns: Bool { true }
}

extension ColumnType {
    static let text = ColumnType(TextColumn())
}
