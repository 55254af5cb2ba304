/// The new-table form's column rows, `col_name_N`, `col_type_N`, `col_nullable_N`, `col_key_N`,
/// `col_default_N` and `col_description_N` (N from 1): what the API's `columns` member takes, one row per column. A
/// row with no name is not a column.
struct NewTableForm {
    struct Row {
        var name = ""
        var type = "string"
        var nullable = true
        var primaryKey = false
        var defaultText = ""
        var description = ""
    }

    let rows: [Row]

    init(fields: [String: String]) {
        var rows: [Row] = []
        var index = 1
        while let name = fields["col_name_\(index)"] {
            rows.append(Row(name: name.trimmingCharacters(in: .whitespaces), type: fields["col_type_\(index)"] ?? "string",
                            nullable: fields["col_nullable_\(index)"] == "true", primaryKey: fields["col_key_\(index)"] == "true",
                            defaultText: fields["col_default_\(index)"] ?? "", description: fields["col_description_\(index)"] ?? ""))
            index += 1
        }
        self.rows = rows
    }

    private var named: [Row] { rows.filter { !$0.name.isEmpty } }
    var isEmpty: Bool { named.isEmpty }
    var count: Int { rows.count }

    /// The columns, checked as the API checks them (`columns.N.field` in a refusal counts from
    /// 0 over the named rows).
    func columns() throws -> [TableDefinition.Column] {
        try TableDefinition.columns(named.map { row in
            TableDefinition.ColumnInput(name: row.name, type: row.type, nullable: row.primaryKey ? false : row.nullable,
                                        default: row.defaultText.isEmpty ? nil : ColumnForm.scalar(row.defaultText, type: row.type),
                                        primaryKey: row.primaryKey, description: row.description.isEmpty ? nil : row.description)
        }, field: "columns")
    }

    /// A refusal in the words of the form: `columns.2.default` becomes "Column active: …".
    func message(for error: DomainError) -> String {
        guard let problem = error.fields.first, problem.field.hasPrefix("columns."),
              let index = Int(problem.field.split(separator: ".").dropFirst().first ?? ""), index < named.count else { return error.detail }
        let part = problem.field.split(separator: ".").dropFirst(2).first.map { " \($0.replacingOccurrences(of: "_", with: " "))" } ?? ""
        return "Column \(named[index].name)\(part.isEmpty ? "" : ",\(part)"): \(problem.message)."
    }

    /// `count` rows for the template: the ones sent, then empty ones.
    func context(count: Int) -> [[String: Any]] {
        (0..<max(count, rows.count)).map { index in
            let row = index < rows.count ? rows[index] : Row()
            return ["n": index + 1, "name": row.name, "nullable": row.nullable, "key": row.primaryKey, "default": row.defaultText,
                    "description": row.description,
                    "types": ColumnType.offered.map { ["value": $0.name, "selected": $0.name == row.type] as [String: Any] }]
        }
    }
}
