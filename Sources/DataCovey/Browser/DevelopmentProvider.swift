import Foundation

/// The embedded OpenID provider of the development issuer (no Auth0 configured): its
/// `authorize` page lists the local users, and choosing one issues a code that its token
/// endpoint exchanges, PKCE checked, for an ID token signed with the development key. So the
/// sign-in code path (redirect, state, code exchange, JWKS, nonce) is the one Auth0 gets.
/// Codes live in memory for a minute and are used once.
struct DevelopmentProvider: Sendable {
    let database: Database
    let provider: OIDCProvider
    let issuer: DevelopmentIssuer
    private let codes = Codes()

    init(database: Database, provider: OIDCProvider, issuer: DevelopmentIssuer) {
        self.database = database
        self.provider = provider
        self.issuer = issuer
    }

    func register(in router: inout Router) {
        router.add("GET", "/auth/dev/authorize", authorize)
        router.add("POST", "/auth/dev/token", token)
    }

    private struct Grant {
        let subject: String
        let email: String
        let name: String
        let nonce: String
        let challenge: String
        let expires: Date
    }

    private final class Codes: @unchecked Sendable {
        private let lock = NSLock()
        private var grants: [String: Grant] = [:]

        func issue(_ grant: Grant) -> String {
            let code = RandomToken.make()
            lock.withLock {
                grants = grants.filter { $0.value.expires > Date() }
                grants[code] = grant
            }
            return code
        }

        func take(_ code: String) -> Grant? {
            lock.withLock { grants.removeValue(forKey: code) }.flatMap { $0.expires > Date() ? $0 : nil }
        }
    }

    func authorize(_ request: Request) throws -> Response {
        guard request.query("response_type") == "code", request.query("client_id") == provider.clientID,
              request.query("redirect_uri") == provider.redirectURI, request.query("code_challenge_method") == "S256",
              let state = request.query("state"), !state.isEmpty, let nonce = request.query("nonce"), !nonce.isEmpty,
              let challenge = request.query("code_challenge"), !challenge.isEmpty else {
            return Pages.shared.error(.badRequest("This sign-in request is not one DataCovey made; start again from the sign-in page."), viewer: nil)
        }
        guard let hint = request.query("login_hint") else {
            let users = try database.localUsers()
            let query = FormEncoding.encode(request.raw.query.map { ($0.name, $0.value) })
            let listed: [[String: Any]] = users.map { user in
                ["name": user.name, "email": user.email, "tenant": user.tenant, "role": user.role,
                 "url": "/auth/dev/authorize?" + query + "&" + FormEncoding.encode([("login_hint", user.subject)])]
            }
            return Pages.shared.render("dev_authorize", title: "Development sign-in", viewer: nil,
                                       ["users": listed, "has_users": !listed.isEmpty])
        }
        guard let user = try database.localUsers(subject: hint).first else {
            return Pages.shared.error(.notFound(detail: "No local user has that subject."), viewer: nil)
        }
        let code = codes.issue(Grant(subject: user.subject, email: user.email, name: user.name, nonce: nonce,
                                     challenge: challenge, expires: Date().addingTimeInterval(60)))
        return Response(status: 303, headers: [("Location", provider.redirectURI + "?" + FormEncoding.encode([("code", code), ("state", state)]))])
    }

    func token(_ request: Request) throws -> Response {
        let form = try request.formFields()
        guard form["grant_type"] == "authorization_code", form["client_id"] == provider.clientID,
              form["redirect_uri"] == provider.redirectURI, let code = form["code"], let verifier = form["code_verifier"],
              let grant = codes.take(code) else {
            return try .json(["error": "invalid_grant"], status: 400)
        }
        guard RandomToken.equal(RandomToken.challenge(verifier), grant.challenge) else {
            return try .json(["error": "invalid_grant", "error_description": "PKCE verification failed"], status: 400)
        }
        let now = Date().timeIntervalSince1970.rounded(.down)
        let idToken = try issuer.signer().sign([
            "iss": DevelopmentIssuer.issuer, "sub": grant.subject, "aud": provider.clientID, "iat": now, "exp": now + 300,
            "nonce": grant.nonce, "email": grant.email, "email_verified": true, "name": grant.name,
        ])
        return try .json(["id_token": idToken, "token_type": "Bearer", "expires_in": "300"])
    }
}
