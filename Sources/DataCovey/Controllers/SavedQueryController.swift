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
            guard let queries = try SavedQueryStore(connection: connection, tenantID: caller.tenantID).list(project: project, page) else {
                throw HTTPError.notFound()
            }
            return try .json(ListPage(fetched: queries, page: page, id: \.id))
        }
    }

    func create(_ request: Request) throws -> Response {
        let project = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .user, target: VisibleTarget.project(project)) { caller, connection in
            guard try ProjectStore(connection: connection, tenantID: caller.tenantID).find(project) != nil else {
                throw HTTPError.notFound()
            }
            let input = try request.decodeJSON(SavedQueryInput.self, allowedFields: SavedQueryInput.fields)
            try NameRules.validate(input.name)
            try NamedResourceInput.validate(description: input.description)
            try SavedQueryRules.validate(sql: input.sql, parameters: input.parameters ?? [])
            let query = try SavedQueryStore(connection: connection, tenantID: caller.tenantID).create(
                project: project, name: input.name, description: input.description, sql: input.sql,
                parameters: input.parameters ?? [], createdBy: caller.userID)
            return try Self.respond(query, status: 201)
        }
    }

    func show(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .viewer) { caller, connection in
            guard let query = try SavedQueryStore(connection: connection, tenantID: caller.tenantID).find(id) else {
                throw HTTPError.notFound()
            }
            return try Self.respond(query)
        }
    }

    func update(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        let expected = try Preconditions.expectedVersion(request)
        return try authenticator.withCaller(request, minimum: .user, target: VisibleTarget.savedQuery(id)) { caller, connection in
            let input = try request.decodeJSON(SavedQueryPatch.self, allowedFields: SavedQueryInput.fields)
            if let name = input.name { try NameRules.validate(name) }
            if let description = input.description { try NamedResourceInput.validate(description: description) }
            let store = SavedQueryStore(connection: connection, tenantID: caller.tenantID)
            if input.sql != nil || input.parameters != nil {
                guard let current = try store.find(id) else { throw HTTPError.notFound() }
                try SavedQueryRules.validate(sql: input.sql ?? current.sql, parameters: input.parameters ?? current.parameters)
            }
            let query = try store.update(id, name: input.name, description: input.description, sql: input.sql,
                                         parameters: input.parameters, expectedVersion: expected)
            return try Self.respond(query)
        }
    }

    /// Runs the saved SQL with the request's `params` (declared defaults fill the rest).
    func runQuery(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .viewer, replaysIdempotencyKeys: false) { caller, connection in
            guard let query = try SavedQueryStore(connection: connection, tenantID: caller.tenantID).find(id) else {
                throw HTTPError.notFound()
            }
            let input = request.hasBody
                ? try request.decodeJSON(QueryRunInput.self, allowedFields: QueryRunInput.runFields) : QueryRunInput.empty
            try input.validate(rowCap: service.executor.settings.rowCap)
            let outcome = try service.run(
                .init(project: query.projectID, savedQuery: query.id, sql: query.sql, params: input.params,
                      declared: query.parameters, limit: input.limit, dryRun: input.dryRun ?? false),
                caller: caller, connection: connection)
            return QueryController.answer(outcome, request: request, input: input)
        }
    }

    func runs(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        let page = try Page(request)
        var filter = try QueryController.filter(request)
        filter.query = id
        return try authenticator.withCaller(request, minimum: .viewer) { caller, connection in
            guard let query = try SavedQueryStore(connection: connection, tenantID: caller.tenantID).find(id) else {
                throw HTTPError.notFound()
            }
            let runs = try QueryRunStore(connection: connection, tenantID: caller.tenantID)
                .list(project: query.projectID, filter: filter, page)
            return try .json(ListPage(fetched: runs, page: page, id: \.id))
        }
    }
}
