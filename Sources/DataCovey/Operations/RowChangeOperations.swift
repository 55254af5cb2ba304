import MariaDB

/// Changing and deleting a table's rows, for the API (by filters, by key) and the table page
/// (by row id): which rows, the new values through the one converter per type every write path
/// uses, and a repeated key or a refused value said in the domain's words. Nothing is changed
/// unless all of it can be.
enum RowChangeOperations {
    /// Which rows a change takes, as a request says it.
    struct Selection {
        /// `column` → `op.value`, as the rows list takes them.
        var filters: [(String, String)] = []
        /// Every row, when there is no filter (`?all=true`): never by accident.
        var all = false
        /// At most this many rows (`max_affected`), or nothing changes.
        var maximum: Int64?
        var returnsRows = false
    }

    /// The scope of `selection` in `store`: its filters parsed against the columns (a bad one
    /// refused naming it), and at least one unless every row was asked for.
    static func scope(_ selection: Selection, in store: RowStore) throws -> RowStore.ChangeScope {
        // A reader's parameter on a change would be silently ignored (`limit=1` would not stop
        // it changing every matching row), so it is refused.
        if let reading = selection.filters.first(where: { readingParameters.contains($0.0) }) {
            throw DomainError.invalid("\(reading.0) reads rows; a change takes filters, all and max_affected only.",
                                      errors: [.init(field: reading.0, message: "does not apply to a change")])
        }
        let filters = try RowFilters.parse(selection.filters, columns: store.columns)
        guard !filters.isEmpty || selection.all else {
            throw DomainError.invalid("Say which rows to change with a filter such as ?id=eq.7; to change every row, add ?all=true.",
                                      errors: [.init(field: "filter", message: "is required")])
        }
        // The audit log keeps the filter as the caller wrote it.
        let text = selection.filters.isEmpty ? "all=true" : selection.filters.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        return .init(filters: filters, maximum: selection.maximum, returnsRows: selection.returnsRows, details: [("filter", text)])
    }

    /// The rows query's parameters that only reading takes.
    private static let readingParameters: Set<String> = ["limit", "cursor", "order", "select", "as_of", "_facet"]

    /// The scope of the one row `key` names.
    static func scope(_ key: RowKey, returnsRows: Bool) -> RowStore.ChangeScope {
        .init(filters: [key.filter], returnsRows: returnsRows, details: [("key", key.text)])
    }

    /// The scope of the one row the table page names by its hidden row id (a table without a
    /// primary key has no other address).
    static func scope(rowID: Int64) -> RowStore.ChangeScope {
        .init(filters: [.compare(hiddenRowID, .eq, .int(rowID))], details: [("filter", "\(RowStore.rowID)=eq.\(rowID)")])
    }

    /// The hidden row id as a column a filter can compare (never one a caller can name).
    private static let hiddenRowID: RowStore.Column = {
        guard let type = ColumnType("int64") else { preconditionFailure("int64 is a column type") }
        return RowStore.Column(name: RowStore.rowID, type: type, isNullable: false, hasDefault: true)
    }()

    /// The row `key` names; 404 when there is none.
    static func row(_ key: RowKey, in store: RowStore) throws -> [MariaDBCell] {
        guard let row = try store.row(where: [key.filter]) else { throw DomainError.notFound(detail: "No row has the key \(key.text).") }
        return row
    }

    /// The row the table page names by its row id; 404 when it is gone.
    static func row(id rowID: Int64, in store: RowStore) throws -> [MariaDBCell] {
        guard let row = try store.row(where: scope(rowID: rowID).filters) else { throw DomainError.notFound(detail: "The row is gone.") }
        return row
    }

    /// Sets the values of a JSON object body (`PATCH`) on the rows of `scope`; every value that
    /// does not fit is named, and refuses the change.
    static func update(json body: [UInt8], _ scope: RowStore.ChangeScope, in store: RowStore) throws -> RowStore.ChangeOutcome {
        let (values, problems) = try body.withUnsafeBufferPointer { try JSONRowChange.convert($0, columns: store.columns) }
        try refuse(problems)
        return try update(values, scope, in: store)
    }

    /// Sets what the table page's edit form says (a value, NULL or the default, per column it
    /// has fields for), read as the add-a-row form is (`FormRow`).
    static func update(form: [String: String], _ scope: RowStore.ChangeScope, in store: RowStore) throws -> RowStore.ChangeOutcome {
        let present = store.columns.filter { form[FormRow.choiceField($0.name)] != nil || form[FormRow.valueField($0.name)] != nil }
        guard !present.isEmpty else { throw DomainError.invalid("The form sets no column.") }
        let (row, problems) = FormRow.convert(form, columns: present)
        try refuse(problems)
        return try update(zip(present, row).map { ($0.name, $1) }, scope, in: store)
    }

    static func delete(_ scope: RowStore.ChangeScope, in store: RowStore) throws -> RowStore.ChangeOutcome {
        try retryingDeadlocks { try store.delete(scope) }
    }

    /// Two changes of the same rows may deadlock; MariaDB rolls one of them back whole, so it
    /// runs again (up to three times in all), then is answered as busy (503, Retry-After).
    private static func retryingDeadlocks<T>(_ body: () throws -> T) throws -> T {
        var attempt = 1
        while true {
            do {
                return try body()
            } catch let error as MariaDBError where error.isDeadlock && attempt < 3 {
                attempt += 1
            } catch let error as MariaDBError where error.isDeadlock || error.isLockWaitTimeout {
                throw DomainError.unavailable("Other changes hold these rows; try again.")
            }
        }
    }

    private static func refuse(_ problems: [FieldProblem]) throws {
        guard !problems.isEmpty else { return }
        throw DomainError.unprocessable("\(problems.count) value\(problems.count == 1 ? " does" : "s do") not fit the table; no row was changed.",
                                        errors: problems)
    }

    private static func update(_ values: [RowStore.NewValue], _ scope: RowStore.ChangeScope, in store: RowStore) throws -> RowStore.ChangeOutcome {
        do {
            return try retryingDeadlocks { try store.update(values, scope) }
        } catch let error as MariaDBError where error.isDuplicateKey {
            throw DomainError.conflict("The change would give two rows the same primary key; no row was changed.")
        } catch let error as MariaDBError where error.isValueRejected {
            // The converter checks what MariaDB checks; this is the net under it.
            throw DomainError.unprocessable("A value does not fit its column; no row was changed.")
        }
    }
}
