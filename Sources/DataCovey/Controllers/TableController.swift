import MariaDB

/// `/api/v1/datasets/{id}/tables` and `/api/v1/tables/{id}`.
struct TableController: Sendable {
    let authenticator: RequestAuthenticator
    let databases: DataDatabases

    func register(in router: inout Router) {
        router.add("GET", "/api/v1/datasets/{id:int}/tables", list)
        router.add("POST", "/api/v1/datasets/{id:int}/tables", create)
        router.add("GET", "/api/v1/tables/{id:int}", show)
        router.add("DELETE", "/api/v1/tables/{id:int}", delete)
    }

    private static func respond(_ table: DataTable, status: Int = 200) throws -> Response {
        var headers: [(name: String, value: String)] = [("ETag", Preconditions.etag(version: table.version))]
        if status == 201 { headers.append(("Location", "/api/v1/tables/\(table.id)")) }
        return try .json(table, status: status, headers: headers)
    }

    private func dataset(_ id: Int64, _ caller: Identity, _ connection: MariaDBConnection) throws -> Dataset {
        guard let dataset = try DatasetStore(connection: connection, tenantID: caller.tenantID).find(id) else { throw HTTPError.notFound() }
        return dataset
    }

    func list(_ request: Request, _ context: RequestContext) throws -> Response {
        let datasetID = try request.parameters.int("id")
        let page = try Page(request)
        return try authenticator.withCaller(request, minimum: .viewer) { caller, connection in
            let dataset = try dataset(datasetID, caller, connection)
            let fetched = try TableStore(connection: connection, tenantID: caller.tenantID, databases: databases).list(dataset: dataset, page)
            return try .json(ListPage(fetched: fetched, page: page, id: \.id))
        }
    }

    func show(_ request: Request, _ context: RequestContext) throws -> Response {
        let id = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .viewer) { caller, connection in
            let store = TableStore(connection: connection, tenantID: caller.tenantID, databases: databases)
            guard let dataset = try store.dataset(ofTable: id), let table = try store.find(id, in: dataset) else { throw HTTPError.notFound() }
            return try Self.respond(table)
        }
    }

    func create(_ request: Request, _ context: RequestContext) throws -> Response {
        let datasetID = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .user) { caller, connection in
            let dataset = try dataset(datasetID, caller, connection)
            let definition = try TableDefinition(try request.decodeJSON(TableDefinition.Input.self, allowedFields: TableDefinition.Input.fields))
            let table = try TableStore(connection: connection, tenantID: caller.tenantID, databases: databases)
                .create(definition, in: dataset, createdBy: caller.userID)
            return try Self.respond(table, status: 201)
        }
    }

    func delete(_ request: Request, _ context: RequestContext) throws -> Response {
        let id = try request.parameters.int("id")
        let expected = try Preconditions.expectedVersion(request)
        return try authenticator.withCaller(request, minimum: .user) { caller, connection in
            let store = TableStore(connection: connection, tenantID: caller.tenantID, databases: databases)
            guard let dataset = try store.dataset(ofTable: id), let table = try store.find(id, in: dataset) else { throw HTTPError.notFound() }
            try store.delete(table, in: dataset, expectedVersion: expected)
            return Response(status: 204)
        }
    }
}
