/// The registry of column types: adding one is a file in this folder and a line here. The
/// order is the order forms offer them in (the first is a form's default) and messages list
/// them in; `ColumnTypeRegistryTests` checks each entry is wired everywhere.
enum ColumnTypes {
    static let all: [any ColumnKind.Type] = [
        StringColumn.self,
        TextColumn.self,
        Int64Column.self,
        Float64Column.self,
        DecimalColumn.self,
        BoolColumn.self,
        DateColumn.self,
        TimestampColumn.self,
        JSONColumn.self,
    ]
}
