import MariaDB

/// `/api/v1/projects` and `/api/v1/projects/{id}`: parse, call `ProjectOperations`, answer.
struct ProjectController: Sendable {
    let authenticator: RequestAuthenticator
    let databases: DataDatabases
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

    private func operations(_ caller: Identity, _ connection: MariaDBConnection) -> ProjectOperations {
        ProjectOperations(caller: caller, connection: connection, databases: databases, accounts: accounts)
    }

    func list(_ request: Request) throws -> Response {
        let page = try Page(request)
        return try authenticator.withCaller(request, minimum: .viewer) { caller, connection in
            try .json(ListPage(fetched: try operations(caller, connection).list(page), page: page, id: \.id))
        }
    }

    func show(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .viewer) { caller, connection in
            try Self.respond(try operations(caller, connection).project(id))
        }
    }

    func create(_ request: Request) throws -> Response {
        try authenticator.withCaller(request, minimum: .user) { caller, connection in
            let input = try request.decodeJSON(NamedResourceInput.self, allowedFields: NamedResourceInput.fields)
            return try Self.respond(try operations(caller, connection).create(name: input.name, description: input.description), status: 201)
        }
    }

    func update(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .user, target: VisibleTarget.project(id)) { caller, connection in
            // After authentication: a caller without credentials hears 401, not about the header.
            let expected = try Preconditions.expectedVersion(request)
            let input = try request.decodeJSON(NamedResourcePatch.self, allowedFields: NamedResourceInput.fields)
            return try Self.respond(try operations(caller, connection)
                .update(id, name: input.name, description: input.description, expectedVersion: expected))
        }
    }
}
