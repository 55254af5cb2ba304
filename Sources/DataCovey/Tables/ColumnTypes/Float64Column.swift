import MariaDB

/// `float64`: a DOUBLE. Accepts `[+-](digits[.digits]|.digits)[e[+-]digits]`, finite and not so
/// small it would be 0, as text, a JSON string or a JSON number.
struct Float64Column: ColumnKind {
    static let syntax = "float64"
    static func parse(_ name: String) -> Float64Column? { name == syntax ? Float64Column() : nil }
    static let offered = Float64Column()
    var name: String { Self.syntax }

    var sqlType: String { "DOUBLE" }

    func defaultLiteral(_ value: JSONScalar) -> Result<ColumnDefault.Literal, ColumnDefault.DefaultProblem> {
        guard case .number(let number, _) = value else { return ColumnDefault.mismatch(self) }
        guard number.isFinite else { return .failure(.init("must be a finite number")) }
        return .success((String(number), String(number)))
    }

    func convert<Sink: CellSink>(_ input: CellInput, into sink: inout Sink) -> RowValueProblem? {
        CellConverter.number(input, NumberText.float, into: &sink)
    }

    /// After int64; `nan`, which Double() would take, stays a string.
    static let detection: ColumnDetection? = ColumnDetection(rank: 1, type: ColumnType(offered)) {
        NumberText.storedAsWritten($0, NumberText.float)
    }

    var cellKind: QueryColumn.Kind { .double }

    static func resultType(of column: MariaDBColumn) -> Float64Column? {
        column.typeCode == 4 || column.typeCode == 5 ? Float64Column() : nil
    }

    func formValue(_ text: String) -> JSONValue { Double(text).map(JSONValue.number) ?? .string(text) }
}

extension ColumnType {
    static let float64 = ColumnType(Float64Column())
}
