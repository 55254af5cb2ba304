import MariaDB

/// The body of `PATCH …/rows`: one JSON object of new values. Its members are matched to columns
/// as a row of `POST …/rows` is (`RowObject`) and each goes through the same converter
/// (`JSONRows.value`), so a value is stored alike or refused for the same reason on every write
/// path; null is NULL, or the default in a NOT NULL column that has one, as in an insert. A
/// column the object leaves out keeps its value.
enum JSONRowChange {
    /// The new values in the table's column order, or every problem keyed by column name.
    static func convert(_ body: UnsafeBufferPointer<UInt8>, columns: [RowStore.Column]) throws
        -> (values: [RowStore.NewValue], problems: [FieldProblem]) {
        var scanner = JSONScanner(body)
        scanner.skipWhitespace()
        let object: RowObject
        switch RowObject.read(&scanner, columns: RowObject.Columns(columns.map(\.name))) {
        case .success(let read): object = read
        case .failure(.notJSON(let failure)):
            throw DomainError.invalid("The body is not valid JSON: it \(failure.reason) (at byte \(failure.offset + 1)).")
        case .failure:
            throw DomainError.invalid("The body must be a JSON object of the new values, such as {\"status\": \"paid\"}.")
        }
        scanner.skipWhitespace()
        guard scanner.isAtEnd else { throw DomainError.invalid("The body has more after its JSON object.") }
        var problems = object.problems.map { problem in
            let (column, message) = problem.reason
            return FieldProblem(field: column ?? "", message: message)
        }
        guard object.members.contains(where: { $0 != nil }) || !problems.isEmpty else {
            throw DomainError.invalid("The body sets no column; name at least one with its new value.")
        }
        var values: [RowStore.NewValue] = []
        var scratch: [UInt8] = []
        for (column, member) in zip(columns, object.members) {
            guard let member else { continue }
            switch JSONRows.value(of: member, for: column, in: scanner, scratch: &scratch) {
            case .success(let value): values.append((column.name, value))
            case .failure(let problem): problems.append(.init(field: column.name, message: problem.message))
            }
        }
        return (values, problems)
    }
}
