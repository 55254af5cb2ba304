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

    /// A page of rows: filters, `select`, `order`, `cursor`, `limit`; `Prefer: count=…`;
    /// JSON, CSV or NDJSON by `Accept` (`RowPageResponse`).
    func list(_ request: Request) throws -> Response {
        let limit = try Page.limit(request)
        return try rows(request, minimum: .viewer, asOf: request.query("as_of")) { store in
            guard let format = RowPageResponse.format(accept: request.header("accept")) else {
                throw HTTPError(status: 406, title: "Not Acceptable",
                                detail: "Rows come as application/json, text/csv or application/x-ndjson.", slug: "not-acceptable")
            }
            let count = RowPageResponse.count(prefer: request.header("prefer"))
            let query = request.raw.query.map { ($0.name, $0.value) }
            let page = try RowOperations.page(store, .init(
                filters: query, order: request.query("order"), cursor: request.query("cursor"), limit: limit,
                select: request.query("select"), count: count))
            return RowPageResponse.response(page, format: format, count: count) { next in
                request.path + "?" + FormEncoding.encode(query.filter { $0.0 != "cursor" } + [("cursor", next)])
            }
        }
    }

    func insert(_ request: Request) throws -> Response {
        try rows(request, minimum: .user) { store in
            let inserted = try RowOperations.insert(json: try request.jsonBodyBytes(limit: Self.bodyLimit), into: store)
            return try .json(["inserted": inserted], status: 201)
        }
    }
}
