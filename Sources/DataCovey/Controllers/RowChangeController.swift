import Foundation
import MariaDB

/// `PATCH|DELETE /api/v1/tables/{id}/rows?<filters>` and `GET|PATCH|DELETE …/rows/{key}`
/// (PostgREST's conventions): change or delete the rows filters select, or the one row a
/// single-column primary key names. `Prefer: return=representation` answers the rows (200),
/// else 204; `count=exact` adds `Content-Range: */N`; `max-affected=N` (or `?max_affected=N`)
/// refuses a change of more rows (409, nothing changed).
struct RowChangeController: Sendable {
    let authenticator: RequestAuthenticator
    let databases: DataDatabases

    /// Query parameters that say how to change, not which rows.
    static let controlParameters: Set<String> = ["all", "max_affected"]

    func register(in router: inout Router) {
        router.add("PATCH", "/api/v1/tables/{id:int}/rows", update)
        router.add("DELETE", "/api/v1/tables/{id:int}/rows", delete)
        router.add("GET", "/api/v1/tables/{id:int}/rows/{key}", show)
        router.add("PATCH", "/api/v1/tables/{id:int}/rows/{key}", updateKeyed)
        router.add("DELETE", "/api/v1/tables/{id:int}/rows/{key}", deleteKeyed)
    }

    private func located(_ request: Request, minimum: Role, _ body: (DataTable, RowStore) throws -> Response) throws -> Response {
        let id = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: minimum, target: VisibleTarget.table(id, databases: databases)) { caller, connection in
            let (table, _, store) = try RowOperations(caller: caller, connection: connection, databases: databases).located(id)
            return try body(table, store)
        }
    }

    private func selection(_ request: Request, _ preferences: RowChangePreferences) throws -> RowChangeOperations.Selection {
        var selection = RowChangeOperations.Selection(returnsRows: preferences.returnsRows)
        selection.filters = request.raw.query.filter { !Self.controlParameters.contains($0.0) }.map { ($0.0, $0.1) }
        switch request.query("all") {
        case nil, "false": break
        case "true": selection.all = true
        default: throw DomainError.invalid("all must be true or false.", errors: [.init(field: "all", message: "must be true or false")])
        }
        selection.maximum = preferences.maximum
        if let text = request.query("max_affected") {
            guard let maximum = Int64(text), maximum >= 0 else {
                throw DomainError.invalid("max_affected must be a whole number, 0 or more.",
                                          errors: [.init(field: "max_affected", message: "must be a whole number, 0 or more")])
            }
            selection.maximum = min(maximum, selection.maximum ?? maximum)
        }
        return selection
    }

    func update(_ request: Request) throws -> Response {
        try located(request, minimum: .user) { _, store in
            let preferences = try RowChangePreferences(request)
            let scope = try RowChangeOperations.scope(try selection(request, preferences), in: store)
            let body = try request.jsonBodyBytes(limit: RowController.bodyLimit)
            return preferences.answer(try RowChangeOperations.update(json: body, scope, in: store), columns: store.columns)
        }
    }

    func delete(_ request: Request) throws -> Response {
        try located(request, minimum: .user) { _, store in
            let preferences = try RowChangePreferences(request)
            let scope = try RowChangeOperations.scope(try selection(request, preferences), in: store)
            return preferences.answer(try RowChangeOperations.delete(scope, in: store), columns: store.columns)
        }
    }

    func show(_ request: Request) throws -> Response {
        try located(request, minimum: .viewer) { table, store in
            let row = try RowChangeOperations.row(try RowKey(try request.parameters.string("key"), table: table), in: store)
            return Self.object(row, columns: store.columns)
        }
    }

    /// The changed row (200), or 404 when no row has the key.
    func updateKeyed(_ request: Request) throws -> Response {
        try located(request, minimum: .user) { table, store in
            let key = try RowKey(try request.parameters.string("key"), table: table)
            let body = try request.jsonBodyBytes(limit: RowController.bodyLimit)
            let outcome = try RowChangeOperations.update(json: body, RowChangeOperations.scope(key, returnsRows: true), in: store)
            guard let row = outcome.rows.first else { throw DomainError.notFound(detail: "No row has the key \(key.text).") }
            return Self.object(row, columns: store.columns)
        }
    }

    /// 204, or the deleted row with `Prefer: return=representation`; 404 when no row has the key.
    func deleteKeyed(_ request: Request) throws -> Response {
        try located(request, minimum: .user) { table, store in
            let preferences = try RowChangePreferences(request)
            let key = try RowKey(try request.parameters.string("key"), table: table)
            let outcome = try RowChangeOperations.delete(RowChangeOperations.scope(key, returnsRows: preferences.returnsRows), in: store)
            guard outcome.count > 0 else { throw DomainError.notFound(detail: "No row has the key \(key.text).") }
            guard let row = outcome.rows.first else { return Response(status: 204) }
            return Self.object(row, columns: store.columns)
        }
    }

    private static func object(_ row: [MariaDBCell], columns: [RowStore.Column]) -> Response {
        var body: [UInt8] = []
        RowJSON(columns: columns).object(row, into: &body)
        return Response(status: 200, headers: [("Content-Type", "application/json")], body: .bytes(body))
    }
}

/// The `Prefer` header of a row change (RFC 7240; PostgREST's names). Preferences it does not
/// know are ignored, as the RFC asks; a malformed `max-affected` is refused.
struct RowChangePreferences {
    var returnsRows = false
    var countsExactly = false
    var maximum: Int64?

    init(_ request: Request) throws {
        for token in (request.header("prefer") ?? "").split(separator: ",") {
            let preference = token.trimmingCharacters(in: .whitespaces).lowercased()
            switch preference {
            case "return=representation": returnsRows = true
            case "return=minimal": returnsRows = false
            case "count=exact": countsExactly = true
            default:
                guard preference.hasPrefix("max-affected=") else { continue }
                guard let maximum = Int64(preference.dropFirst("max-affected=".count)), maximum >= 0 else {
                    throw DomainError.invalid("Prefer: max-affected must be a whole number, 0 or more.",
                                              errors: [.init(field: "Prefer", message: "has an invalid max-affected")])
                }
                self.maximum = maximum
            }
        }
    }

    /// 200 with the rows, or 204; the count in `Content-Range` when asked for, on either.
    func answer(_ outcome: RowStore.ChangeOutcome, columns: [RowStore.Column]) -> Response {
        var headers: [(name: String, value: String)] = []
        var applied: [String] = []
        if returnsRows { applied.append("return=representation") }
        if countsExactly {
            applied.append("count=exact")
            headers.append(("Content-Range", "*/\(outcome.count)"))
        }
        if let maximum { applied.append("max-affected=\(maximum)") }
        if !applied.isEmpty { headers.append(("Preference-Applied", applied.joined(separator: ", "))) }
        guard returnsRows else { return Response(status: 204, headers: headers) }
        headers.append(("Content-Type", "application/json"))
        return Response(status: 200, headers: headers, body: .bytes(RowJSON(columns: columns).items(outcome.rows)))
    }
}
