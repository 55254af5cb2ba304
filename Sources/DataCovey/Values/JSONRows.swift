import MariaDB

/// The JSON rows write path (`POST /tables/{id}/rows`): a JSON array of row objects read
/// straight from the body's bytes, each member through the converter CSV and NDJSON imports
/// use, so the three write paths store the same value or refuse it with the same reason.
enum JSONRows {
    static let maximumRowsPerRequest = 10_000
    static let maximumReportedProblems = 100

    /// The body, a JSON array of row objects, as binds in column order (nil = absent: the
    /// default applies), through the converter imports use; or every problem, as `row.column`.
    static func convert(_ body: UnsafeBufferPointer<UInt8>, columns: [RowStore.Column]) throws
        -> (rows: [[MariaDBValue?]], problems: [FieldProblem]) {
        let names = RowObject.Columns(columns.map(\.name))
        var scanner = JSONScanner(body)
        var rows: [[MariaDBValue?]] = []
        var problems: [FieldProblem] = []
        var scratch: [UInt8] = []
        scanner.skipWhitespace()
        guard scanner.current == 0x5B else { throw DomainError.invalid("The body must be a JSON array of row objects.") }
        do {
            try scanner.elements { scanner in
                let index = rows.count
                guard rows.count < maximumRowsPerRequest else {
                    throw DomainError.invalid("At most \(maximumRowsPerRequest) rows per request; use an import job for more.")
                }
                let object: RowObject
                switch RowObject.read(&scanner, columns: names) {
                case .success(let read):
                    object = read
                case .failure(.notJSON(let failure)):
                    throw failure
                case .failure(.notAnObject):
                    throw DomainError.invalid("Element \(index) of the body is not a JSON object; send an array of row objects.",
                                               errors: [.init(field: "\(index)", message: "is not a JSON object")])
                case .failure(let problem):
                    throw DomainError.invalid("Element \(index) of the body \(problem.reason.message).")
                }
                for problem in object.problems {
                    let (column, message) = problem.reason
                    problems.append(.init(field: "\(index).\(column ?? "")", message: message))
                }
                var values: [MariaDBValue?] = []
                for (position, column) in columns.enumerated() {
                    guard let member = object.members[position] else {
                        let (value, problem) = column.whenLeftOut
                        if let problem { problems.append(.init(field: "\(index).\(column.name)", message: problem)) }
                        values.append(value)
                        continue
                    }
                    switch value(of: member, for: column, in: scanner, scratch: &scratch) {
                    case .success(let value): values.append(value)
                    case .failure(let problem): problems.append(.init(field: "\(index).\(column.name)", message: problem.message))
                    }
                }
                rows.append(values)
                if problems.count >= maximumReportedProblems { throw StopReading() }
            }
        } catch let failure as JSONScanner.Failure {
            throw DomainError.invalid("The body is not valid JSON: it \(failure.reason) (at byte \(failure.offset + 1)).")
        } catch is StopReading {
            return (rows, problems)
        }
        scanner.skipWhitespace()
        guard scanner.isAtEnd else { throw DomainError.invalid("The body has more after its JSON array.") }
        guard !rows.isEmpty else { throw DomainError.invalid("The body holds no rows.") }
        return (rows, problems)
    }

    /// A member's value for `column` (nil: the column's default) through the converter imports
    /// use; a row of `POST …/rows` and the object of `PATCH …/rows` read each member by it.
    static func value(of member: JSONScanner.Value, for column: RowStore.Column, in scanner: JSONScanner,
                      scratch: inout [UInt8]) -> Result<MariaDBValue?, RowValueProblem> {
        RowObject.withInput(member, in: scanner, scratch: &scratch) { input in
            guard let input else {
                // null in a NOT NULL column with a default means "use the default", as an absent member does.
                guard column.isNullable || column.hasDefault else { return .failure(RowValueProblem("may not be null")) }
                return .success(column.isNullable ? .null : nil)
            }
            var sink = BindSink()
            if let problem = CellConverter.convert(input, to: column.type, into: &sink) { return .failure(problem) }
            return .success(sink.value)
        }
    }

    /// Enough problems are reported; the rest of the body is not read.
    private struct StopReading: Error {}
}
