import MariaDB

/// `timestamp`: a DATETIME(6) holding UTC. Accepts RFC 3339 (any offset, converted to UTC) or
/// `YYYY-MM-DD HH:MM:SS[.ffffff]` as UTC, at most microseconds, within 0001-01-01 and
/// 9999-12-31 in UTC, as text or a JSON string. Read back as RFC 3339 UTC with six digits.
struct TimestampColumn: ColumnKind {
    static let syntax = "timestamp"
    static func parse(_ name: String) -> TimestampColumn? { name == syntax ? TimestampColumn() : nil }
    static let offered = TimestampColumn()
    var name: String { Self.syntax }

    var sqlType: String { "DATETIME(6)" }

    func defaultLiteral(_ value: JSONScalar) -> Result<ColumnDefault.Literal, ColumnDefault.DefaultProblem> {
        guard case .string(let text) = value else { return ColumnDefault.mismatch(self) }
        guard let moment = Timestamp.parse(text) else { return .failure(.init("must be an RFC 3339 timestamp")) }
        let stored = Timestamp.format(moment)
        let local = String(stored.dropLast()).replacingOccurrences(of: "T", with: " ")
        return .success((ColumnDefault.hex(local), stored))
    }

    func convert<Sink: CellSink>(_ input: CellInput, into sink: inout Sink) -> RowValueProblem? {
        guard let bytes = input.text else { return RowValueProblem("must be a timestamp like 2026-11-26T08:00:00Z") }
        switch TimestampText.check(bytes) {
        case .success(let moment):
            sink.appendDateTime(moment)
            return nil
        case .failure(let problem):
            return problem
        }
    }

    static let detection: ColumnDetection? = ColumnDetection(rank: 4, type: ColumnType(offered)) { TimestampText.parse($0) != nil }

    var cellKind: QueryColumn.Kind { .timestamp }

    /// DATETIME and TIMESTAMP.
    static func resultType(of column: MariaDBColumn) -> TimestampColumn? {
        column.typeCode == 7 || column.typeCode == 12 ? TimestampColumn() : nil
    }
}

extension ColumnType {
    static let timestamp = ColumnType(TimestampColumn())
}
