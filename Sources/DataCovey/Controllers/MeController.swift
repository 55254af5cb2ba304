/// `GET /api/v1/me`: who the token belongs to.
struct MeController: Sendable {
    let authenticator: RequestAuthenticator

    struct Me: Encodable {
        struct Tenant: Encodable {
            let id: Int64
            let name: String
        }
        let id: Int64
        let email: String
        let name: String
        let role: String
        let tenant: Tenant
    }

    func register(in router: inout Router) {
        router.add("GET", "/api/v1/me") { request in
            try authenticator.withCaller(request, minimum: .viewer) { identity, _ in
                try .json(Me(id: identity.userID, email: identity.email, name: identity.name, role: identity.role.rawValue,
                             tenant: .init(id: identity.tenantID, name: identity.tenantName)))
            }
        }
    }
}
