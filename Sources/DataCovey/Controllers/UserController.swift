import MariaDB

/// `/api/v1/users` and `/api/v1/users/{id}`: tenant admins manage their tenant's members.
///
/// A user added here is an invitation by e-mail: the identity subject (`sub`) is bound when the
/// person first signs in through the identity provider, which vouches for the e-mail, or set
/// by an operator (`datacovey-admin user add --sub`). Tenant admins never choose subjects:
/// subjects are unique across tenants, so one chosen here could claim a person before their
/// own tenant does, and a refusal would tell whether that person exists elsewhere.
struct UserController: Sendable {
    let authenticator: RequestAuthenticator

    /// `sub` is read only to be refused with its own answer (it was a field once).
    static let fields: Set<String> = ["email", "name", "role", "disabled", "sub"]

    struct CreateUser: Decodable {
        let email: String
        let name: String
        let role: String
        let disabled: Bool?
        let sub: JSONValue?
    }

    struct UpdateUser: Decodable {
        let email: String?
        let name: String?
        let role: String?
        let disabled: Bool?
        let sub: JSONValue?
    }

    /// The same answer whatever the subject: whether anyone has it is none of this tenant's business.
    static func refuseSubject(_ sub: JSONValue?) throws {
        guard sub != nil else { return }
        throw HTTPError.badRequest(
            "sub cannot be set here: it is bound when the user first signs in with this e-mail through the identity provider, or set by an operator.",
            errors: [.init(field: "sub", message: "is set at first sign-in, not by tenant admins")])
    }

    func register(in router: inout Router) {
        router.add("GET", "/api/v1/users", list)
        router.add("POST", "/api/v1/users", create)
        router.add("GET", "/api/v1/users/{id:int}", show)
        router.add("PATCH", "/api/v1/users/{id:int}", update)
        router.add("DELETE", "/api/v1/users/{id:int}", delete)
    }

    private static func respond(_ user: TenantUser, status: Int = 200) throws -> Response {
        try .resource(user, version: user.version, location: "/api/v1/users/\(user.id)", status: status)
    }

    private func operations(_ caller: Identity, _ connection: MariaDBConnection) -> UserOperations {
        UserOperations(caller: caller, connection: connection)
    }

    func list(_ request: Request) throws -> Response {
        let page = try Page(request)
        return try authenticator.withCaller(request, minimum: .admin) { caller, connection in
            try .json(ListPage(fetched: try operations(caller, connection).list(page), page: page, id: \.id))
        }
    }

    func show(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .admin, target: VisibleTarget.user(id)) { caller, connection in
            try Self.respond(try operations(caller, connection).user(id))
        }
    }

    func create(_ request: Request) throws -> Response {
        try authenticator.withCaller(request, minimum: .admin) { caller, connection in
            let input = try request.decodeJSON(CreateUser.self, allowedFields: Self.fields)
            try Self.refuseSubject(input.sub)
            let user = try operations(caller, connection)
                .invite(email: input.email, name: input.name, role: input.role, disabled: input.disabled == true)
            return try Self.respond(user, status: 201)
        }
    }

    func update(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .admin, target: VisibleTarget.user(id)) { caller, connection in
            // After authentication: a caller without credentials hears 401, not about the header.
            let expected = try Preconditions.expectedVersion(request)
            let input = try request.decodeJSON(UpdateUser.self, allowedFields: Self.fields)
            try Self.refuseSubject(input.sub)
            let change = UserOperations.Change(email: input.email, name: input.name, role: input.role, disabled: input.disabled)
            return try Self.respond(try operations(caller, connection).change(id, change, expectedVersion: expected))
        }
    }

    func delete(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .admin, target: VisibleTarget.user(id)) { caller, connection in
            // After authentication: a caller without credentials hears 401, not about the header.
            let expected = try Preconditions.expectedVersion(request)
            try operations(caller, connection).remove(id, expectedVersion: expected)
            return Response(status: 204)
        }
    }
}
