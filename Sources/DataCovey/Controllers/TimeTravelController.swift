import Foundation
import MariaDB

/// A row's history and restores (issue 15): `GET /api/v1/tables/{id}/rows/{key}/history`
/// (viewers), `POST …/rows/{key}/restore` (users) and `POST /api/v1/tables/{id}/rewind`
/// (admins), each `{"as_of": "<RFC 3339>"}`. `as_of` on `GET …/rows` is RowController's.
struct TimeTravelController: Sendable {
    let authenticator: RequestAuthenticator
    let databases: DataDatabases

    func register(in router: inout Router) {
        router.add("GET", "/api/v1/tables/{id:int}/rows/{key}/history", history)
        router.add("POST", "/api/v1/tables/{id:int}/rows/{key}/restore", restoreRow)
        router.add("POST", "/api/v1/tables/{id:int}/rewind", restoreTable)
    }

    struct RestoreInput: Decodable {
        let asOf: String
        static let fields: Set<String> = ["as_of"]
    }

    private func operations(_ request: Request, minimum: Role,
                            _ body: (TimeTravelOperations) throws -> Response) throws -> Response {
        let id = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: minimum, target: VisibleTarget.table(id, databases: databases)) { caller, connection in
            try body(TimeTravelOperations(caller: caller, connection: connection, databases: databases))
        }
    }

    func history(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        let key = try request.parameters.string("key")
        return try operations(request, minimum: .viewer) { operations in
            let history = try operations.history(ofTable: id, key: key)
            return Response(status: 200, headers: [("Content-Type", "application/json")], body: .bytes(Self.json(history)))
        }
    }

    /// `{"key": …, "items": [{"valid_from", "valid_to", "current", "row": {…}, "change": {…}|null}]}`,
    /// written by hand through CellJSON like a rows page: each value exactly as stored.
    static func json(_ history: TimeTravelOperations.History) -> [UInt8] {
        let kinds = history.store.columns.map { $0.type.kind.cellKind }
        var body = Array("{\"key\":".utf8)
        ByteText.jsonString(history.key.text.utf8, into: &body)
        body.append(contentsOf: ",\"items\":[".utf8)
        for (index, (version, change)) in history.versions.enumerated() {
            if index > 0 { body.append(0x2C) }
            body.append(contentsOf: "{\"valid_from\":".utf8)
            ByteText.jsonString(AsOf(instant: version.validFrom).text.utf8, into: &body)
            body.append(contentsOf: ",\"valid_to\":".utf8)
            if let to = version.validTo {
                ByteText.jsonString(AsOf(instant: to).text.utf8, into: &body)
            } else {
                body.append(contentsOf: "null".utf8)
            }
            body.append(contentsOf: ",\"current\":\(version.validTo == nil),\"row\":{".utf8)
            for (position, cell) in version.cells.enumerated() {
                if position > 0 { body.append(0x2C) }
                ByteText.jsonString(history.store.columns[position].name.utf8, into: &body)
                body.append(0x3A)
                CellJSON.write(cell, kind: kinds[position], into: &body)
            }
            body.append(contentsOf: "},\"change\":".utf8)
            if let change {
                body.append(contentsOf: "{\"operation\":".utf8)
                ByteText.jsonString(change.operation.utf8, into: &body)
                body.append(contentsOf: ",\"actor_user_id\":\(change.actorUserID.map(String.init) ?? "null")".utf8)
                body.append(contentsOf: ",\"import_id\":\(change.importID.map(String.init) ?? "null"),\"changed_at\":".utf8)
                ByteText.jsonString(AsOf(instant: change.changedAt).text.utf8, into: &body)
                body.append(0x7D)
            } else {
                body.append(contentsOf: "null".utf8)
            }
            body.append(0x7D)
        }
        body.append(contentsOf: "]}".utf8)
        return body
    }

    func restoreRow(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        let key = try request.parameters.string("key")
        return try operations(request, minimum: .user) { operations in
            let input = try request.decodeJSON(RestoreInput.self, allowedFields: RestoreInput.fields)
            let (asOf, restored) = try operations.restoreRow(ofTable: id, key: key, asOf: input.asOf)
            return try Self.restored(asOf, restored)
        }
    }

    func restoreTable(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try operations(request, minimum: .admin) { operations in
            let input = try request.decodeJSON(RestoreInput.self, allowedFields: RestoreInput.fields)
            let (asOf, restored) = try operations.restoreTable(id, asOf: input.asOf)
            return try Self.restored(asOf, restored)
        }
    }

    struct Restored: Encodable {
        let asOf: String
        let deleted: Int64
        let inserted: Int64
    }

    static func restored(_ asOf: AsOf, _ restored: RowVersions.Restored) throws -> Response {
        try .json(Restored(asOf: asOf.text, deleted: restored.deleted, inserted: restored.inserted))
    }
}
