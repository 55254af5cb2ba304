/// `/api/v1/projects/{id}/datasets` and `/api/v1/datasets/{id}`.
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

    func list(_ request: Request) throws -> Response {
        let project = try request.parameters.int("id")
        let page = try Page(request)
        return try authenticator.withCaller(request, minimum: .viewer) { caller, connection in
            // An empty list would not tell "no datasets" from "not your project": nil is the latter.
            guard let fetched = try DatasetStore(connection: connection, tenantID: caller.tenantID).list(project: project, page) else {
                throw HTTPError.notFound()
            }
            return try .json(ListPage(fetched: fetched, page: page, id: \.id))
        }
    }

    func show(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .viewer) { caller, connection in
            guard let dataset = try DatasetStore(connection: connection, tenantID: caller.tenantID).find(id) else {
                throw HTTPError.notFound()
            }
            return try Self.respond(dataset)
        }
    }

    func create(_ request: Request) throws -> Response {
        let project = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .user, target: VisibleTarget.project(project)) { caller, connection in
            guard try ProjectStore(connection: connection, tenantID: caller.tenantID).find(project) != nil else {
                throw HTTPError.notFound()
            }
            let input = try request.decodeJSON(NamedResourceInput.self, allowedFields: NamedResourceInput.fields)
            try input.validate()
            let dataset = try DatasetStore(connection: connection, tenantID: caller.tenantID).create(
                project: project, name: input.name, description: input.description, createdBy: caller.userID, databases: databases)
            // After the commit (account statements commit implicitly); a failure here is
            // repaired by the first query, whose login the missing grant does not stop.
            try? accounts.sync(project: project, on: connection)
            return try Self.respond(dataset, status: 201)
        }
    }

    func update(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        let expected = try Preconditions.expectedVersion(request)
        return try authenticator.withCaller(request, minimum: .user, target: VisibleTarget.dataset(id)) { caller, connection in
            let input = try request.decodeJSON(NamedResourcePatch.self, allowedFields: NamedResourceInput.fields)
            try input.validate()
            let dataset = try DatasetStore(connection: connection, tenantID: caller.tenantID)
                .update(id, name: input.name, description: input.description, expectedVersion: expected)
            return try Self.respond(dataset)
        }
    }
}
