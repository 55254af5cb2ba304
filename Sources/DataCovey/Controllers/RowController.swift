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
    private func rows(_ request: Request, minimum: RequestContext.Role,
                      _ body: (RowStore) throws -> Response) throws -> Response {
        let id = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: minimum, target: VisibleTarget.table(id, databases: databases)) { caller, connection in
            let tables = TableStore(connection: connection, tenantID: caller.tenantID, databases: databases)
            guard let dataset = try tables.dataset(ofTable: id), let table = try tables.find(id, in: dataset) else {
                throw HTTPError.notFound()
            }
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

    func list(_ request: Request, _ context: RequestContext) throws -> Response {
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
            let items = fetched.prefix(limit).map { row in
                Dictionary(uniqueKeysWithValues: zip(store.columns, row.cells).map { column, cell in
                    (column.name, RowValueCodec.json(cell, for: column.type))
                })
            }
            var next: Any = NSNull()
            if fetched.count > limit {
                let last = fetched[limit - 1]
                let orderIndex = order.flatMap { order in store.columns.firstIndex { $0.name == order.column } }
                let cell = orderIndex.map { last.cells[$0] } ?? .null
                next = RowCursor(rowID: last.rowID, cell: cell, order: order).encoded(order: order)
            }
            let body = try JSONSerialization.data(withJSONObject: ["items": items, "next_cursor": next], options: [.sortedKeys])
            return Response(status: 200, headers: [("Content-Type", "application/json")], body: .bytes(Array(body)))
        }
    }

    /// `?col=eq.value|lt.value|gt.value|like.pattern|is.null`; `limit`, `cursor` and `order` are paging.
    static func filters(_ request: Request, columns: [RowStore.Column]) throws -> [RowStore.Filter] {
        try filters(request.raw.query.filter { !["limit", "cursor", "order"].contains($0.0) }, columns: columns)
    }

    /// Filters from (column, expression) pairs, as the rows list and exports take them; a bad one
    /// is a 400 naming the column.
    static func filters(_ pairs: [(String, String)], columns: [RowStore.Column]) throws -> [RowStore.Filter] {
        let byName = Dictionary(columns.map { ($0.name.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        var filters: [RowStore.Filter] = []
        for (name, expression) in pairs {
            guard let column = byName[name.lowercased()] else {
                throw HTTPError.badRequest("There is no column \(name) to filter on.", errors: [.init(field: name, message: "is not a column")])
            }
            if expression == "is.null" {
                filters.append(.isNull(column.name))
                continue
            }
            guard let dot = expression.firstIndex(of: ".") else {
                throw HTTPError.badRequest("Filter \(name) must look like eq.value, lt.value, gt.value, like.pattern or is.null.",
                                           errors: [.init(field: name, message: "is not a filter")])
            }
            let op = String(expression[..<dot])
            let text = String(expression[expression.index(after: dot)...])
            if op == "like" {
                guard column.type == .string || column.type == .text else {
                    throw HTTPError.badRequest("like works on string and text columns only.", errors: [.init(field: name, message: "cannot use like")])
                }
                filters.append(.like(column.name, .text(text)))
                continue
            }
            guard column.type != .json else {
                throw HTTPError.badRequest("json columns cannot be compared.", errors: [.init(field: name, message: "cannot be filtered")])
            }
            let value: MariaDBValue
            switch RowValueCodec.text(text, for: column.type) {
            case .success(let bound): value = bound
            case .failure(let problem): throw HTTPError.badRequest("Filter \(name) \(problem.message).", errors: [.init(field: name, message: problem.message)])
            }
            switch op {
            case "eq": filters.append(.equal(column.name, value))
            case "lt": filters.append(.less(column.name, value))
            case "gt": filters.append(.greater(column.name, value))
            default:
                throw HTTPError.badRequest("Filter operator \(op) is unknown; use eq, lt, gt, like or is.null.",
                                           errors: [.init(field: name, message: "has an unknown operator")])
            }
        }
        return filters
    }

    func insert(_ request: Request, _ context: RequestContext) throws -> Response {
        try rows(request, minimum: .user) { store in
            let given = try Self.decodeRows(request)
            var converted: [[MariaDBValue?]] = []
            var problems: [HTTPError.FieldError] = []
            for (index, row) in given.enumerated() {
                var values: [MariaDBValue?] = []
                for unknown in row.keys where !store.columns.contains(where: { $0.name == unknown }) {
                    problems.append(.init(field: "\(index).\(unknown)", message: "is not a column of this table"))
                }
                for column in store.columns {
                    guard let value = row[column.name] else {
                        if !column.isNullable && !column.hasDefault {
                            problems.append(.init(field: "\(index).\(column.name)", message: "is required"))
                        }
                        values.append(column.hasDefault ? nil : .null)
                        continue
                    }
                    if value == .null && !column.isNullable {
                        problems.append(.init(field: "\(index).\(column.name)", message: "may not be null"))
                        continue
                    }
                    switch RowValueCodec.bind(value, for: column.type) {
                    case .success(let bound): values.append(bound)
                    case .failure(let problem): problems.append(.init(field: "\(index).\(column.name)", message: problem.message))
                    }
                }
                converted.append(values)
                if problems.count >= Self.maximumReportedProblems { break }
            }
            guard problems.isEmpty else {
                throw HTTPError.unprocessable("\(problems.count == Self.maximumReportedProblems ? "At least " : "")\(problems.count) value\(problems.count == 1 ? "" : "s") do not fit the table; no row was inserted.",
                                              errors: problems)
            }
            let inserted: Int
            do {
                inserted = try store.insert(converted)
            } catch let error as MariaDBError where error.isDuplicateKey {
                throw HTTPError.conflict("A row repeats an existing primary key; no row was inserted.")
            } catch let error as MariaDBError where [1264, 1265, 1292, 1366, 1406, 3140].contains(error.code) {
                throw HTTPError.unprocessable("A value is out of range for its column; no row was inserted.")
            }
            return try .json(["inserted": inserted], status: 201)
        }
    }

    /// The body: a JSON array of row objects.
    private static func decodeRows(_ request: Request) throws -> [[String: JSONValue]] {
        let bytes = try request.jsonBodyBytes(limit: bodyLimit)
        guard let rows = try? JSONDecoder().decode([[String: JSONValue]].self, from: Data(bytes)) else {
            throw HTTPError.badRequest("The body must be a JSON array of row objects.")
        }
        guard !rows.isEmpty else { throw HTTPError.badRequest("The body holds no rows.") }
        guard rows.count <= maximumRowsPerRequest else {
            throw HTTPError.badRequest("At most \(maximumRowsPerRequest) rows per request; use an import job for more.")
        }
        return rows
    }
}
