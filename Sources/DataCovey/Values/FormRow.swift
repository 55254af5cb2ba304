import MariaDB

/// The table page's "add a row" form as a write path. Each field is text, as a CSV field is,
/// and goes through the same converter per type; a column may instead be set to NULL or left to
/// its default, which a text box alone cannot say (empty text is not NULL).
enum FormRow {
    /// What the form sets a column to.
    enum Choice: String, CaseIterable {
        case value, null, `default`
    }

    /// The form's field names for a column.
    static func valueField(_ column: String) -> String { "value." + column }
    static func choiceField(_ column: String) -> String { "set." + column }

    /// The choices a column offers: NULL only when it may be NULL, default only when it has one.
    static func choices(for column: RowStore.Column) -> [Choice] {
        Choice.allCases.filter { choice in
            switch choice {
            case .value: true
            case .null: column.isNullable
            case .default: column.hasDefault
            }
        }
    }

    /// The choice a fresh form starts with: the default where there is one.
    static func initialChoice(for column: RowStore.Column) -> Choice { column.hasDefault ? .default : .value }

    /// The row as binds in column order (nil = the default), or the problem of each column that
    /// does not fit, keyed by column name.
    static func convert(_ form: [String: String], columns: [RowStore.Column]) -> (row: [MariaDBValue?], problems: [FieldProblem]) {
        var row: [MariaDBValue?] = []
        var problems: [FieldProblem] = []
        for column in columns {
            // A form that leaves a column out entirely (a page always sends every field) is
            // read as a JSON row that leaves the member out: the default, else NULL.
            guard form[choiceField(column.name)] != nil || form[valueField(column.name)] != nil else {
                let (value, problem) = column.whenLeftOut
                if let problem { problems.append(.init(field: column.name, message: problem)) }
                row.append(value)
                continue
            }
            let choice = form[choiceField(column.name)].flatMap(Choice.init(rawValue:)) ?? .value
            guard choices(for: column).contains(choice) else {
                problems.append(.init(field: column.name, message: choice == .null ? "may not be null" : "has no default"))
                row.append(.null)
                continue
            }
            switch choice {
            case .null: row.append(.null)
            case .default: row.append(nil)
            case .value:
                var bytes = Array((form[valueField(column.name)] ?? "").utf8)
                let outcome: Result<MariaDBValue, RowValueProblem> = bytes.withUnsafeMutableBufferPointer { buffer in
                    let text = UnsafeBufferPointer(buffer)
                    // As in a CSV field: the literal null in a json column is SQL NULL.
                    if CellConverter.isJSONNull(text, for: column.type) {
                        return column.isNullable ? .success(.null) : .failure(RowValueProblem("may not be null"))
                    }
                    var sink = BindSink()
                    if let problem = CellConverter.convert(.text(text), to: column.type, into: &sink) { return .failure(problem) }
                    return .success(sink.value)
                }
                switch outcome {
                case .success(let value): row.append(value)
                case .failure(let problem):
                    problems.append(.init(field: column.name, message: problem.message))
                    row.append(.null)
                }
            }
        }
        return (row, problems)
    }
}
