import MariaDB

/// A row addressed by its primary key in a URL (`/api/v1/tables/{id}/rows/{key}` and what
/// hangs below it: history, restore). Only a table whose primary key is one column has such
/// addresses; the key's text is read by that column's type exactly as a filter's value is.
struct RowKey {
    let column: RowStore.Column
    let value: MariaDBValue
    /// The key as it was given, for messages and the audit log.
    let text: String

    /// The one condition that selects the row.
    var filter: RowStore.Filter { .compare(column, .eq, value) }

    /// The key of `table` that `text` names; a conflict when the table has no single-column
    /// key, a 400 naming `key` when the text cannot be a value of the key's column.
    init(_ text: String, table: DataTable) throws {
        let keys = table.columns.filter(\.primaryKey)
        guard keys.count == 1, let key = keys.first,
              let column = RowOperations.columns(of: table).first(where: { $0.name == key.name }) else {
            throw DomainError.conflict(keys.isEmpty
                ? "The table has no primary key, so its rows have no address; select them with filters."
                : "The table's primary key has \(keys.count) columns, so its rows have no single address; select them with filters.")
        }
        switch RowValueCodec.text(text, for: column.type) {
        case .success(let bound):
            self.column = column
            self.value = bound
            self.text = text
        case .failure(let problem):
            throw DomainError.invalid("The key \(problem.message).", errors: [.init(field: "key", message: problem.message)])
        }
    }
}
