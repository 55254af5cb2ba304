import MariaDB

/// `date`: a DATE. Accepts `YYYY-MM-DD` naming a day of the calendar, 0001-01-01 to 9999-12-31,
/// as text or a JSON string.
struct DateColumn: ColumnKind {
    static let syntax = "date"
    static func parse(_ name: String) -> DateColumn? { name == syntax ? DateColumn() : nil }
    static let offered = DateColumn()
    var name: String { Self.syntax }

    var sqlType: String { "DATE" }

    func defaultLiteral(_ value: JSONScalar) -> Result<ColumnDefault.Literal, ColumnDefault.DefaultProblem> {
        guard case .string(let text) = value else { return ColumnDefault.mismatch(self) }
        guard ColumnDefault.isDate(text) else { return .failure(.init("must be a date like 2026-11-25")) }
        return .success((ColumnDefault.hex(text), text))
    }

    func convert<Sink: CellSink>(_ input: CellInput, into sink: inout Sink) -> RowValueProblem? {
        guard let bytes = input.text else { return RowValueProblem("must be a date like 2026-11-25") }
        guard TimestampText.date(bytes) == true else {
            return RowValueProblem(TimestampText.date(bytes) == nil ? "must be a date like 2026-11-25"
                                                                    : "is not a day of the calendar between 0001-01-01 and 9999-12-31")
        }
        sink.appendPlain(bytes)
        return nil
    }

    static let detection: ColumnDetection? = ColumnDetection(rank: 3, type: ColumnType(offered)) { ColumnDefault.isDate($0) }

    var cellKind: QueryColumn.Kind { .date }

    /// DATE and the old NEWDATE.
    static func resultType(of column: MariaDBColumn) -> DateColumn? {
        column.typeCode == 10 || column.typeCode == 14 ? DateColumn() : nil
    }
}

extension ColumnType {
    static let date = ColumnType(DateColumn())
}
