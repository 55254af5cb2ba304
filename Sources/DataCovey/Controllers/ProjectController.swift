/// `/api/v1/projects` and `/api/v1/projects/{id}`.
struct ProjectController: Sendable {
    let authenticator: RequestAuthenticator

    static let descriptionLimit = 2000

    struct CreateProject: Decodable {
        let name: String
        let description: String?
    }

    /// A merge patch: an absent field stays, `"description": null` clears it.
    struct UpdateProject: Decodable {
        let name: String?
        let description: String??

        enum CodingKeys: String, CodingKey { case name, description }

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decodeIfPresent(String.self, forKey: .name)
            description = container.contains(.description)
                ? .some(try container.decodeIfPresent(String.self, forKey: .description)) : .none
        }
    }

    func register(in router: inout Router) {
        router.add("GET", "/api/v1/projects", list)
        router.add("POST", "/api/v1/projects", create)
        router.add("GET", "/api/v1/projects/{id:int}", show)
        router.add("PATCH", "/api/v1/projects/{id:int}", update)
        router.add("DELETE", "/api/v1/projects/{id:int}", delete)
    }

    private static func validate(description: String?) throws {
        if let description, description.count > descriptionLimit {
            throw HTTPError.badRequest("Field description must be at most \(descriptionLimit) characters.",
                                       errors: [.init(field: "description", message: "is too long")])
        }
    }

    private static func respond(_ project: Project, status: Int = 200) throws -> Response {
        var headers: [(name: String, value: String)] = [("ETag", Preconditions.etag(version: project.version))]
        if status == 201 { headers.append(("Location", "/api/v1/projects/\(project.id)")) }
        return try .json(project, status: status, headers: headers)
    }

    func list(_ request: Request, _ context: RequestContext) throws -> Response {
        let page = try Page(request)
        return try authenticator.withCaller(request, minimum: .viewer) { caller, connection in
            let fetched = try ProjectStore(connection: connection, tenantID: caller.tenantID).list(page)
            return try .json(ListPage(fetched: fetched, page: page, id: \.id))
        }
    }

    func show(_ request: Request, _ context: RequestContext) throws -> Response {
        let id = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .viewer) { caller, connection in
            guard let project = try ProjectStore(connection: connection, tenantID: caller.tenantID).find(id) else {
                throw HTTPError.notFound()
            }
            return try Self.respond(project)
        }
    }

    func create(_ request: Request, _ context: RequestContext) throws -> Response {
        try authenticator.withCaller(request, minimum: .user) { caller, connection in
            let input = try request.decodeJSON(CreateProject.self, allowedFields: ["name", "description"])
            try NameRules.validate(input.name)
            try Self.validate(description: input.description)
            let project = try ProjectStore(connection: connection, tenantID: caller.tenantID)
                .create(name: input.name, description: input.description, createdBy: caller.userID)
            return try Self.respond(project, status: 201)
        }
    }

    func update(_ request: Request, _ context: RequestContext) throws -> Response {
        let id = try request.parameters.int("id")
        let expected = try Preconditions.expectedVersion(request)
        return try authenticator.withCaller(request, minimum: .user) { caller, connection in
            let input = try request.decodeJSON(UpdateProject.self, allowedFields: ["name", "description"])
            if let name = input.name { try NameRules.validate(name) }
            if let description = input.description { try Self.validate(description: description) }
            let project = try ProjectStore(connection: connection, tenantID: caller.tenantID)
                .update(id, name: input.name, description: input.description, expectedVersion: expected)
            return try Self.respond(project)
        }
    }

    func delete(_ request: Request, _ context: RequestContext) throws -> Response {
        let id = try request.parameters.int("id")
        let expected = try Preconditions.expectedVersion(request)
        return try authenticator.withCaller(request, minimum: .user) { caller, connection in
            try ProjectStore(connection: connection, tenantID: caller.tenantID).delete(id, expectedVersion: expected)
            return Response(status: 204)
        }
    }
}
