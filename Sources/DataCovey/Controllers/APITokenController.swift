import MariaDB

/// `/api/v1/tokens` and `/api/v1/tokens/{id}` (issue 18): tenant admins make, list and revoke
/// API tokens for programs. The secret is in the 201 of the POST and nowhere else.
struct APITokenController: Sendable {
    let authenticator: RequestAuthenticator

    static let fields: Set<String> = ["name", "role", "expires_at"]

    struct CreateToken: Decodable {
        let name: String
        let role: String
        /// `expires_at` (the decoder converts snake_case).
        let expiresAt: String
    }

    func register(in router: inout Router) {
        router.add("GET", "/api/v1/tokens", list)
        router.add("POST", "/api/v1/tokens", create)
        router.add("GET", "/api/v1/tokens/{id:int}", show)
        router.add("DELETE", "/api/v1/tokens/{id:int}", revoke)
    }

    private func operations(_ caller: Identity, _ connection: MariaDBConnection) -> APITokenOperations {
        APITokenOperations(caller: caller, connection: connection)
    }

    func list(_ request: Request) throws -> Response {
        let page = try Page(request)
        return try authenticator.withCaller(request, minimum: .admin) { caller, connection in
            try .json(ListPage(fetched: try operations(caller, connection).list(page), page: page, id: \.id))
        }
    }

    func show(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .admin, target: VisibleTarget.apiToken(id)) { caller, connection in
            let token = try operations(caller, connection).token(id)
            return try .resource(token, version: token.version, location: "/api/v1/tokens/\(id)")
        }
    }

    /// `Idempotency-Key` is not replayed here: a replay would need the first answer stored, and
    /// that answer holds the secret, which must never be stored. Each POST makes a new token; a
    /// client that lost an answer revokes that token and makes another.
    func create(_ request: Request) throws -> Response {
        try authenticator.withCaller(request, minimum: .admin, replaysIdempotencyKeys: false) { caller, connection in
            let input = try request.decodeJSON(CreateToken.self, allowedFields: Self.fields)
            let created = try operations(caller, connection).create(name: input.name, role: input.role, expiresAt: input.expiresAt)
            var response = try Response.resource(created, version: created.token.version,
                                                 location: "/api/v1/tokens/\(created.token.id)", status: 201)
            response.headers.append(("Cache-Control", "no-store"))
            return response
        }
    }

    func revoke(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .admin, target: VisibleTarget.apiToken(id)) { caller, connection in
            try operations(caller, connection).revoke(id)
            return Response(status: 204)
        }
    }
}

extension VisibleTarget {
    static func apiToken(_ id: Int64) -> RequestAuthenticator.TargetLookup {
        { caller, connection in try APITokenStore(connection: connection, tenantID: caller.tenantID).find(id) != nil }
    }
}
