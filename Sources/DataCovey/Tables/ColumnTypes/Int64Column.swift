import MariaDB

/// `int64`: a BIGINT. Accepts `[+-]digits` within Int64 (`007` is 7), as text, a JSON string or
/// a JSON number; no decimal point or exponent, even `1.0`.
struct Int64Column: ColumnKind {
    static let syntax = "int64"
    static func parse(_ name: String) -> Int64Column? { name == syntax ? Int64Column() : nil }
    static let offered = Int64Column()
    var name: String { Self.syntax }

    var sqlType: String { "BIGINT" }

    func defaultLiteral(_ value: JSONScalar) -> Result<ColumnDefault.Literal, ColumnDefault.DefaultProblem> {
        guard case .number(let number, let text) = value else { return ColumnDefault.mismatch(self) }
        guard number.rounded() == number, abs(number) <= 9.007e15 else { return .failure(.init("must be a whole number")) }
        return .success((text, text))
    }

    func convert<Sink: CellSink>(_ input: CellInput, into sink: inout Sink) -> RowValueProblem? {
        CellConverter.number(input, NumberText.integer, into: &sink)
    }

    /// The narrowest rung. Only what the converter stores as written: `08123` (a zip code) or
    /// `+5` stays a string.
    static let detection: ColumnDetection? = ColumnDetection(rank: 0, type: ColumnType(offered)) {
        NumberText.storedAsWritten($0, NumberText.integer)
    }

    var cellKind: QueryColumn.Kind { .integer }

    /// Every integer type the server reports (a TINYINT(1) is a bool).
    static func resultType(of column: MariaDBColumn) -> Int64Column? {
        switch column.typeCode {
        case 1 where column.length == 1: nil
        case 1, 2, 3, 8, 9, 13: Int64Column()
        default: nil
        }
    }

    func formValue(_ text: String) -> JSONValue { Int64(text).map(JSONValue.integer) ?? .string(text) }
}

extension ColumnType {
    static let int64 = ColumnType(Int64Column())
}
