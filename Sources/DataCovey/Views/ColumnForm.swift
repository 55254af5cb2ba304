/// Form text as the API's JSON for a column's type: what a typed default would have been sent
/// as (the type says, through its `formValue`).
enum ColumnForm {
    static func scalar(_ text: String, type: String) -> JSONScalar {
        switch ColumnType(type)?.kind.formValue(text) ?? .string(text) {
        case .integer(let number): .number(Double(number), text: text)
        case .number(let number): .number(number, text: text)
        case .bool(let flag): .bool(flag)
        default: .string(text)
        }
    }
}
