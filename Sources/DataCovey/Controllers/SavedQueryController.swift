/// Saved queries (`/api/v1/projects/{id}/queries`, `/api/v1/queries/{id}`) and their runs.
/// Saving, editing and deleting needs `user`; running and reading, `viewer`.
struct SavedQueryController: Sendable {
    let authenticator: RequestAuthenticator
    let service: QueryService

    func register(in router: inout Router) {
        router.add("GET", "/api/v1/projects/{id:int}/queries", list)
        router.add("POST", "/api/v1/projects/{id:int}/queries", create)
        router.add("GET", "/api/v1/queries/{id:int}", show)
        router.add("PATCH", "/api/v1/queries/{id:int}", update)
        router.add("POST", "/api/v1/queries/{id:int}/runs", runQuery)
        router.add("GET", "/api/v1/queries/{id:int}/runs", runs)
    }

    private static func respond(_ query: SavedQuery, status: Int = 200) throws -> Response {
        try .resource(query, version: query.version, location: "/api/v1/queries/\(query.id)", status: status)
    }

    func list(_ request: Request) throws -> Response {
        let project = try request.parameters.int("id")
        let page = try Page(request)
        return try authenticator.withCaller(request, minimum: .viewer) { caller, connection in
            let queries = try SavedQueryOperations(caller: caller, connection: connection).list(inProject: project, page)
            return try .json(ListPage(fetched: queries, page: page, id: \.id))
        }
    }

    func create(_ request: Request) throws -> Response {
        let project = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .user, target: VisibleTarget.project(project)) { caller, connection in
            let input = try request.decodeJSON(SavedQueryInput.self, allowedFields: SavedQueryInput.fields)
            let query = try SavedQueryOperations(caller: caller, connection: connection).create(
                inProject: project, name: input.name, description: input.description, sql: input.sql,
                parameters: input.parameters ?? [])
            return try Self.respond(query, status: 201)
        }
    }

    func show(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .viewer) { caller, connection in
            try Self.respond(try SavedQueryOperations(caller: caller, connection: connection).query(id))
        }
    }

    func update(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .user, target: VisibleTarget.savedQuery(id)) { caller, connection in
            // After authentication: a caller without credentials hears 401, not about the header.
            let expected = try Preconditions.expectedVersion(request)
            let input = try request.decodeJSON(SavedQueryPatch.self, allowedFields: SavedQueryInput.fields)
            let query = try SavedQueryOperations(caller: caller, connection: connection).update(
                id, name: input.name, description: input.description, sql: input.sql, parameters: input.parameters,
                expectedVersion: expected)
            return try Self.respond(query)
        }
    }

    /// Runs the saved SQL with the request's `params` (declared defaults fill the rest).
    func runQuery(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .viewer, replaysIdempotencyKeys: false) { caller, connection in
            let operations = QueryOperations(caller: caller, connection: connection, service: service)
            let query = try SavedQueryOperations(caller: caller, connection: connection).query(id)
            let input = request.hasBody
                ? try request.decodeJSON(QueryRunInput.self, allowedFields: QueryRunInput.runFields) : QueryRunInput.empty
            return QueryController.answer(try operations.runSaved(query, input.options), request: request, input: input)
        }
    }

    func runs(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        let page = try Page(request)
        let filter = try QueryRunHistory.filter(request.query)
        return try authenticator.withCaller(request, minimum: .viewer) { caller, connection in
            let runs = try QueryRunHistory(caller: caller, connection: connection).runs(ofQuery: id, filter, page)
            return try .json(ListPage(fetched: runs, page: page, id: \.id))
        }
    }
}
