import Foundation
import MariaDB

/// `GET|POST /api/v1/tables/{id}/rows`: read pages of rows with filters, insert rows all or nothing.
struct RowController: Sendable {
    let authenticator: RequestAuthenticator
    let databases: DataDatabases

    static let bodyLimit = 8 << 20

    func register(in router: inout Router) {
        router.add("GET", "/api/v1/tables/{id:int}/rows", list)
        router.add("POST", "/api/v1/tables/{id:int}/rows", insert)
    }

    /// The caller's table with a physical table behind it, as a row store.
    /// With `asOf` (the `as_of` parameter), reads see the table as it was then (TimeTravelOperations).
    private func rows(_ request: Request, minimum: Role, asOf: String? = nil, _ body: (RowStore) throws -> Response) throws -> Response {
        let id = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: minimum, target: VisibleTarget.table(id, databases: databases)) { caller, connection in
            let travel = TimeTravelOperations(caller: caller, connection: connection, databases: databases)
            return try body(try travel.store(ofTable: id, asOf: try travel.asOf(asOf)))
        }
    }

    func list(_ request: Request) throws -> Response {
        let limit = try Page.limit(request)
        return try rows(request, minimum: .viewer, asOf: request.query("as_of")) { store in
            let page = try RowOperations.page(store, .init(
                filters: request.raw.query.filter { !["limit", "cursor", "order", "as_of"].contains($0.0) },
                order: request.query("order"), cursor: request.query("cursor"), limit: limit))
            // Written by hand through CellJSON: each value as stored (json as its text, every
            // timestamp digit), in the table's column order.
            let names = page.columns.map { column -> [UInt8] in
                var quoted: [UInt8] = []
                ByteText.jsonString(column.name.utf8, into: &quoted)
                quoted.append(0x3A)
                return quoted
            }
            // How each column's cells render, asked of its type once, not per cell.
            let kinds = page.columns.map { $0.type.kind.cellKind }
            var body = Array("{\"items\":[".utf8)
            for (index, row) in page.rows.enumerated() {
                body.append(contentsOf: index == 0 ? [0x7B] : [0x2C, 0x7B])
                for (position, cell) in row.cells.enumerated() {
                    if position > 0 { body.append(0x2C) }
                    body.append(contentsOf: names[position])
                    CellJSON.write(cell, kind: kinds[position], into: &body)
                }
                body.append(0x7D)
            }
            body.append(contentsOf: "],\"next_cursor\":".utf8)
            if let next = page.nextCursor {
                ByteText.jsonString(next.utf8, into: &body)
            } else {
                body.append(contentsOf: "null".utf8)
            }
            body.append(0x7D)
            return Response(status: 200, headers: [("Content-Type", "application/json")], body: .bytes(body))
        }
    }

    func insert(_ request: Request) throws -> Response {
        try rows(request, minimum: .user) { store in
            let inserted = try RowOperations.insert(json: try request.jsonBodyBytes(limit: Self.bodyLimit), into: store)
            return try .json(["inserted": inserted], status: 201)
        }
    }
}
