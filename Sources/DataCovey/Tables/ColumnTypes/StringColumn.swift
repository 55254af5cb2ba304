import MariaDB

/// `string`: a VARCHAR(255). Accepts valid UTF-8 of at most 255 characters as MariaDB counts
/// them (code points), as text or a JSON string.
struct StringColumn: ColumnKind {
    static let syntax = "string"
    static func parse(_ name: String) -> StringColumn? { name == syntax ? StringColumn() : nil }
    static let offered = StringColumn()
    var name: String { Self.syntax }

    var sqlType: String { "VARCHAR(255)" }

    func defaultLiteral(_ value: JSONScalar) -> Result<ColumnDefault.Literal, ColumnDefault.DefaultProblem> {
        guard case .string(let text) = value else { return ColumnDefault.mismatch(self) }
        guard text.count <= 255 else { return .failure(.init("must be at most 255 characters")) }
        return .success((ColumnDefault.hex(text), text))
    }

    func convert<Sink: CellSink>(_ input: CellInput, into sink: inout Sink) -> RowValueProblem? {
        guard let bytes = input.text else { return RowValueProblem("must be a string, not \(input.jsonKind)") }
        let (valid, ascii) = CellConverter.utf8(bytes)
        guard valid else { return RowValueProblem("is not valid UTF-8") }
        // VARCHAR(255) counts code points: every byte that does not continue a sequence
        // (each byte of ASCII text).
        var characters = ascii ? bytes.count : 0
        if !ascii { for byte in bytes where byte & 0xC0 != 0x80 { characters += 1 } }
        if characters > CellConverter.maximumStringCharacters {
            return RowValueProblem("has \(characters) characters; a string holds at most \(CellConverter.maximumStringCharacters) (use text)")
        }
        sink.appendText(bytes)
        return nil
    }

    /// After every narrower reading failed; also the type of a column with no sample value and
    /// of one holding an empty string (which only the text types can).
    static let detection: ColumnDetection? = ColumnDetection(rank: 5, type: ColumnType(offered)) {
        $0.unicodeScalars.count <= CellConverter.maximumStringCharacters
    }

    var cellKind: QueryColumn.Kind { .text }

    static func resultType(of column: MariaDBColumn) -> StringColumn? {
        [15, 253, 254].contains(column.typeCode) && !column.isBinary && column.formatName != "json" ? StringColumn() : nil
    }

    var matchesPatterns: Bool { true }
}

extension ColumnType {
    static let string = ColumnType(StringColumn())
}
