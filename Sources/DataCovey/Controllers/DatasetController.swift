import MariaDB

/// `/api/v1/projects/{id}/datasets` and `/api/v1/datasets/{id}`: parse, call
/// `ProjectOperations`, answer.
struct DatasetController: Sendable {
    let authenticator: RequestAuthenticator
    let databases: DataDatabases
    /// The project's query account gains SELECT on each new dataset and loses it on delete.
    let accounts: QueryAccounts

    func register(in router: inout Router) {
        router.add("GET", "/api/v1/projects/{id:int}/datasets", list)
        router.add("POST", "/api/v1/projects/{id:int}/datasets", create)
        router.add("GET", "/api/v1/datasets/{id:int}", show)
        router.add("PATCH", "/api/v1/datasets/{id:int}", update)
    }

    private static func respond(_ dataset: Dataset, status: Int = 200) throws -> Response {
        try .resource(dataset, version: dataset.version, location: "/api/v1/datasets/\(dataset.id)", status: status)
    }

    private func operations(_ caller: Identity, _ connection: MariaDBConnection) -> ProjectOperations {
        ProjectOperations(caller: caller, connection: connection, databases: databases, accounts: accounts)
    }

    func list(_ request: Request) throws -> Response {
        let project = try request.parameters.int("id")
        let page = try Page(request)
        return try authenticator.withCaller(request, minimum: .viewer) { caller, connection in
            try .json(ListPage(fetched: try operations(caller, connection).datasets(inProject: project, page), page: page, id: \.id))
        }
    }

    func show(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .viewer) { caller, connection in
            try Self.respond(try operations(caller, connection).dataset(id))
        }
    }

    func create(_ request: Request) throws -> Response {
        let project = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .user, target: VisibleTarget.project(project)) { caller, connection in
            let operations = operations(caller, connection)
            _ = try operations.project(project)
            let input = try request.decodeJSON(NamedResourceInput.self, allowedFields: NamedResourceInput.fields)
            return try Self.respond(try operations.createDataset(inProject: project, name: input.name, description: input.description),
                                    status: 201)
        }
    }

    func update(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .user, target: VisibleTarget.dataset(id)) { caller, connection in
            // After authentication: a caller without credentials hears 401, not about the header.
            let expected = try Preconditions.expectedVersion(request)
            let input = try request.decodeJSON(NamedResourcePatch.self, allowedFields: NamedResourceInput.fields)
            return try Self.respond(try operations(caller, connection)
                .updateDataset(id, name: input.name, description: input.description, expectedVersion: expected))
        }
    }
}
