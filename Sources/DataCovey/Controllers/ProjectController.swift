/// `/api/v1/projects` and `/api/v1/projects/{id}`.
struct ProjectController: Sendable {
    let authenticator: RequestAuthenticator
    /// The project's query account is created with it and dropped with it.
    let accounts: QueryAccounts

    func register(in router: inout Router) {
        router.add("GET", "/api/v1/projects", list)
        router.add("POST", "/api/v1/projects", create)
        router.add("GET", "/api/v1/projects/{id:int}", show)
        router.add("PATCH", "/api/v1/projects/{id:int}", update)
    }

    private static func respond(_ project: Project, status: Int = 200) throws -> Response {
        try .resource(project, version: project.version, location: "/api/v1/projects/\(project.id)", status: status)
    }

    func list(_ request: Request) throws -> Response {
        let page = try Page(request)
        return try authenticator.withCaller(request, minimum: .viewer) { caller, connection in
            let fetched = try ProjectStore(connection: connection, tenantID: caller.tenantID).list(page)
            return try .json(ListPage(fetched: fetched, page: page, id: \.id))
        }
    }

    func show(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .viewer) { caller, connection in
            guard let project = try ProjectStore(connection: connection, tenantID: caller.tenantID).find(id) else {
                throw HTTPError.notFound()
            }
            return try Self.respond(project)
        }
    }

    func create(_ request: Request) throws -> Response {
        try authenticator.withCaller(request, minimum: .user) { caller, connection in
            let input = try request.decodeJSON(NamedResourceInput.self, allowedFields: NamedResourceInput.fields)
            try input.validate()
            let project = try ProjectStore(connection: connection, tenantID: caller.tenantID)
                .create(name: input.name, description: input.description, createdBy: caller.userID)
            // The row is committed; should this fail, the first query repairs the account.
            try? accounts.sync(project: project.id, on: connection)
            return try Self.respond(project, status: 201)
        }
    }

    func update(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        let expected = try Preconditions.expectedVersion(request)
        return try authenticator.withCaller(request, minimum: .user, target: VisibleTarget.project(id)) { caller, connection in
            let input = try request.decodeJSON(NamedResourcePatch.self, allowedFields: NamedResourceInput.fields)
            try input.validate()
            let project = try ProjectStore(connection: connection, tenantID: caller.tenantID)
                .update(id, name: input.name, description: input.description, expectedVersion: expected)
            return try Self.respond(project)
        }
    }
}
