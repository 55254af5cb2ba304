import Foundation
import MariaDB

/// `GET|POST /api/v1/tables/{id}/rows`: read pages of rows with filters, insert rows all or nothing.
struct RowController: Sendable {
    let authenticator: RequestAuthenticator
    let databases: DataDatabases

    static let bodyLimit = 8 << 20
    static let maximumRowsPerRequest = 10_000
    static let maximumReportedProblems = 100

    func register(in router: inout Router) {
        router.add("GET", "/api/v1/tables/{id:int}/rows", list)
        router.add("POST", "/api/v1/tables/{id:int}/rows", insert)
    }

    /// The caller's table with a physical table behind it, as a row store.
    private func rows(_ request: Request, minimum: Role,
                      _ body: (RowStore) throws -> Response) throws -> Response {
        let id = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: minimum, target: VisibleTarget.table(id, databases: databases)) { caller, connection in
            let (table, dataset) = try TableOperations(caller: caller, connection: connection, databases: databases).find(id)
            guard let physical = table.physicalName, let database = dataset.dataDatabase else {
                throw HTTPError.conflict("The table has no columns yet: its first import defines them.")
            }
            let columns = table.columns.compactMap { column in
                ColumnType(column.type).map {
                    RowStore.Column(name: column.name, type: $0, isNullable: column.nullable, hasDefault: column.default != nil)
                }
            }
            return try body(RowStore(databases: databases, database: database, table: physical, columns: columns))
        }
    }

    func list(_ request: Request) throws -> Response {
        let limit = try Page.limit(request)
        return try rows(request, minimum: .viewer) { store in
            let filters = try Self.filters(request, columns: store.columns)
            let order = try RowOrder(request, columns: store.columns)
            var cursor: RowCursor?
            if let text = request.query("cursor") {
                guard let decoded = RowCursor(text, order: order) else {
                    throw HTTPError.badRequest("The cursor is not one this API issued for this order.",
                                               errors: [.init(field: "cursor", message: "is invalid")])
                }
                cursor = decoded
            }
            let fetched = try store.select(filters, order: order, after: cursor, limit: limit)
            // Written by hand through CellJSON: each value as stored (json as its text, every
            // timestamp digit), in the table's column order.
            let names = store.columns.map { column -> [UInt8] in
                var quoted: [UInt8] = []
                ByteText.jsonString(column.name.utf8, into: &quoted)
                quoted.append(0x3A)
                return quoted
            }
            var body = Array("{\"items\":[".utf8)
            for (index, row) in fetched.prefix(limit).enumerated() {
                body.append(contentsOf: index == 0 ? [0x7B] : [0x2C, 0x7B])
                for (position, (column, cell)) in zip(store.columns, row.cells).enumerated() {
                    if position > 0 { body.append(0x2C) }
                    body.append(contentsOf: names[position])
                    CellJSON.write(cell, for: column.type, into: &body)
                }
                body.append(0x7D)
            }
            body.append(contentsOf: "],\"next_cursor\":".utf8)
            if fetched.count > limit {
                let last = fetched[limit - 1]
                let orderIndex = order.flatMap { order in store.columns.firstIndex { $0.name == order.column } }
                let cell = orderIndex.map { last.cells[$0] } ?? .null
                ByteText.jsonString(RowCursor(rowID: last.rowID, cell: cell, order: order).encoded(order: order).utf8, into: &body)
            } else {
                body.append(contentsOf: "null".utf8)
            }
            body.append(0x7D)
            return Response(status: 200, headers: [("Content-Type", "application/json")], body: .bytes(body))
        }
    }

    /// `?col=eq.value|lt.value|gt.value|like.pattern|is.null`; `limit`, `cursor` and `order` are paging.
    static func filters(_ request: Request, columns: [RowStore.Column]) throws -> [RowStore.Filter] {
        try RowFilters.parse(request.raw.query.filter { !["limit", "cursor", "order"].contains($0.0) }, columns: columns)
    }

    func insert(_ request: Request) throws -> Response {
        try rows(request, minimum: .user) { store in
            let body = try request.jsonBodyBytes(limit: Self.bodyLimit)
            let (converted, problems) = try body.withUnsafeBufferPointer { try Self.convertRows($0, columns: store.columns) }
            guard problems.isEmpty else {
                let count = problems.count >= Self.maximumReportedProblems ? "At least \(problems.count)" : "\(problems.count)"
                throw HTTPError.unprocessable("\(count) value\(problems.count == 1 ? " does" : "s do") not fit the table; no row was inserted.",
                                              errors: problems)
            }
            let inserted: Int
            do {
                inserted = try store.insert(converted)
            } catch let error as MariaDBError where error.isDuplicateKey {
                throw HTTPError.conflict("A row repeats an existing primary key; no row was inserted.")
            } catch let error as MariaDBError where error.isValueRejected {
                // The converter checks what MariaDB checks; this is the net under it.
                throw HTTPError.unprocessable("A value does not fit its column; no row was inserted.")
            }
            return try .json(["inserted": inserted], status: 201)
        }
    }

    /// The body, a JSON array of row objects, as binds in column order (nil = absent: the
    /// default applies), through the converter imports use; or every problem, as `row.column`.
    static func convertRows(_ body: UnsafeBufferPointer<UInt8>, columns: [RowStore.Column]) throws
        -> (rows: [[MariaDBValue?]], problems: [HTTPError.FieldError]) {
        let names = RowObject.Columns(columns.map(\.name))
        var scanner = JSONScanner(body)
        var rows: [[MariaDBValue?]] = []
        var problems: [HTTPError.FieldError] = []
        var scratch: [UInt8] = []
        scanner.skipWhitespace()
        guard scanner.current == 0x5B else { throw HTTPError.badRequest("The body must be a JSON array of row objects.") }
        do {
            try scanner.elements { scanner in
                let index = rows.count
                guard rows.count < maximumRowsPerRequest else {
                    throw HTTPError.badRequest("At most \(maximumRowsPerRequest) rows per request; use an import job for more.")
                }
                let object: RowObject
                switch RowObject.read(&scanner, columns: names) {
                case .success(let read):
                    object = read
                case .failure(.notJSON(let failure)):
                    throw failure
                case .failure(.notAnObject):
                    throw HTTPError.badRequest("Element \(index) of the body is not a JSON object; send an array of row objects.",
                                               errors: [.init(field: "\(index)", message: "is not a JSON object")])
                case .failure(let problem):
                    throw HTTPError.badRequest("Element \(index) of the body \(problem.reason.message).")
                }
                for problem in object.problems {
                    let (column, message) = problem.reason
                    problems.append(.init(field: "\(index).\(column ?? "")", message: message))
                }
                var values: [MariaDBValue?] = []
                for (position, column) in columns.enumerated() {
                    guard let member = object.members[position] else {
                        if !column.isNullable && !column.hasDefault {
                            problems.append(.init(field: "\(index).\(column.name)", message: "is required"))
                        }
                        values.append(column.hasDefault ? nil : .null)
                        continue
                    }
                    let outcome: Result<MariaDBValue?, RowValueProblem> = RowObject.withInput(member, in: scanner, scratch: &scratch) { input in
                        guard let input else {
                            // null in a NOT NULL column with a default means "use the default", as an absent member does.
                            guard column.isNullable || column.hasDefault else { return .failure(RowValueProblem("may not be null")) }
                            return .success(column.isNullable ? .null : nil)
                        }
                        var sink = BindSink()
                        if let problem = CellConverter.convert(input, to: column.type, into: &sink) { return .failure(problem) }
                        return .success(sink.value)
                    }
                    switch outcome {
                    case .success(let value): values.append(value)
                    case .failure(let problem): problems.append(.init(field: "\(index).\(column.name)", message: problem.message))
                    }
                }
                rows.append(values)
                if problems.count >= maximumReportedProblems { throw StopReading() }
            }
        } catch let failure as JSONScanner.Failure {
            throw HTTPError.badRequest("The body is not valid JSON: it \(failure.reason) (at byte \(failure.offset + 1)).")
        } catch is StopReading {
            return (rows, problems)
        }
        scanner.skipWhitespace()
        guard scanner.isAtEnd else { throw HTTPError.badRequest("The body has more after its JSON array.") }
        guard !rows.isEmpty else { throw HTTPError.badRequest("The body holds no rows.") }
        return (rows, problems)
    }

    /// Enough problems are reported; the rest of the body is not read.
    private struct StopReading: Error {}
}
