import MariaDB

/// `decimal(p,s)`: a DECIMAL(p,s), 1 ≤ p ≤ 65, 0 ≤ s ≤ 30, s ≤ p. Accepts the float64 grammar
/// (exponent allowed), exactly: at most p-s integer digits and no non-zero digit past s
/// decimals. Read back as strings so no digit is lost on the way to a client.
struct DecimalColumn: ColumnKind {
    let precision: Int
    let scale: Int

    static let syntax = "decimal(p,s)"

    /// `decimal(10,2)`, spaces allowed around the numbers.
    static func parse(_ name: String) -> DecimalColumn? {
        let lowered = name.replacingOccurrences(of: " ", with: "")
        guard lowered.hasPrefix("decimal("), lowered.hasSuffix(")") else { return nil }
        let numbers = lowered.dropFirst(8).dropLast().split(separator: ",", omittingEmptySubsequences: false)
        guard numbers.count == 2, let precision = Int(numbers[0]), let scale = Int(numbers[1]),
              (1...65).contains(precision), (0...30).contains(scale), scale <= precision else { return nil }
        return DecimalColumn(precision: precision, scale: scale)
    }

    /// Money's usual precision.
    static let offered = DecimalColumn(precision: 18, scale: 2)
    var name: String { "decimal(\(precision),\(scale))" }

    var sqlType: String { "DECIMAL(\(precision),\(scale))" }

    func defaultLiteral(_ value: JSONScalar) -> Result<ColumnDefault.Literal, ColumnDefault.DefaultProblem> {
        switch value {
        case .number(_, let text), .string(let text): ColumnDefault.decimal(text, precision: precision, scale: scale)
        case .bool: ColumnDefault.mismatch(self)
        }
    }

    func convert<Sink: CellSink>(_ input: CellInput, into sink: inout Sink) -> RowValueProblem? {
        CellConverter.number(input, { NumberText.decimal($0, precision: precision, scale: scale) }, into: &sink)
    }

    var cellKind: QueryColumn.Kind { .decimal }

    /// The display length counts the sign and the point, which the precision does not.
    static func resultType(of column: MariaDBColumn) -> DecimalColumn? {
        guard column.typeCode == 0 || column.typeCode == 246 else { return nil }
        let scale = Int(column.decimals)
        let precision = max(1, Int(column.length) - (scale > 0 ? 1 : 0) - (column.isUnsigned ? 0 : 1))
        return DecimalColumn(precision: precision, scale: scale)
    }

    var castsComparedBinds: Bool { true }
}

extension ColumnType {
    static func decimal(precision: Int, scale: Int) -> ColumnType {
        ColumnType(DecimalColumn(precision: precision, scale: scale))
    }
}
