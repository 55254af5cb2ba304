import Foundation
import MariaDB

/// Tenant admins' API tokens page (issue 18): `GET /tokens` (the list and a form),
/// `POST /tokens` (make one: the answer is the only page that shows its secret, so it is
/// rendered, not redirected to) and `POST /tokens/{id}/revoke`.
struct TokenPages: Sendable {
    let browser: BrowserAuthenticator

    /// The lifetimes the form offers; the API takes any moment up to a year ahead.
    static let lifetimes = [7, 30, 90, 180, 365]
    static let defaultLifetime = 90

    func register(in router: inout Router) {
        router.add("GET", "/tokens", tokens)
        router.add("POST", "/tokens", create)
        router.add("POST", "/tokens/{id:int}/revoke", revoke)
    }

    func tokens(_ request: Request) throws -> Response {
        try browser.page(request, minimum: .admin) { caller, connection, _ in try render(caller, connection) }
    }

    func create(_ request: Request) throws -> Response {
        try browser.page(request, minimum: .admin) { caller, connection, form in
            let name = form["name"] ?? ""
            let role = form["role"] ?? "viewer"
            let days = Int(form["lifetime_days"] ?? "") ?? Self.defaultLifetime
            let expiry = Timestamp.format(Date().addingTimeInterval(TimeInterval(days) * 24 * 3600))
            do {
                let created = try APITokenOperations(caller: caller.identity, connection: connection)
                    .create(name: name, role: role, expiresAt: expiry)
                return try render(caller, connection, status: 201, form: [
                    "secret": created.secret, "secret_name": created.token.name,
                ])
            } catch let failure as any ProblemConvertible where failure.problem.status == 400 || failure.problem.status == 403 {
                return try render(caller, connection, status: 422, form: ["input_name": name, "form_error": failure.problem.detail])
            }
        }
    }

    func revoke(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request, minimum: .admin, target: VisibleTarget.apiToken(id)) { caller, connection, _ in
            try APITokenOperations(caller: caller.identity, connection: connection).revoke(id)
            return Response(status: 303, headers: [("Location", "/tokens")])
        }
    }

    private func render(_ caller: BrowserAuthenticator.Caller, _ connection: MariaDBConnection, status: Int = 200,
                        form: [String: Any] = [:]) throws -> Response {
        let tokens = try APITokenOperations(caller: caller.identity, connection: connection).list(Page(limit: Page.maximumLimit))
        var context = form
        context["has_tokens"] = !tokens.isEmpty
        context["tokens"] = tokens.map { token -> [String: Any] in
            ["id": token.id, "name": token.name, "prefix": token.prefix, "role": token.role, "state": token.state,
             "active": token.state == "active", "created": Pages.date(token.createdAt), "expires": Pages.date(token.expiresAt),
             "last_used": token.lastUsedAt.map { Pages.date($0) } ?? "never", "uses": token.uses]
        }
        context["lifetimes"] = Self.lifetimes.map { ["value": $0, "selected": $0 == Self.defaultLifetime] as [String: Any] }
        return Pages.shared.render("tokens", title: "API tokens", viewer: caller.viewer, context, status: status)
    }
}
