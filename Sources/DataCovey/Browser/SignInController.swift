import Foundation

/// Browser sign-in and sign-out: `GET /login` (the sign-in page), `GET /auth/start` (to the
/// provider, with a fresh `state`, `nonce` and PKCE verifier in the signed `__Host-dc_signin`
/// cookie), `GET /auth/callback` (checks `state`, exchanges the code, verifies the ID token and
/// its nonce, opens a server-side session) and `POST /logout` (revokes the session, then sends
/// the browser to the provider's logout, which returns it to `/login`).
struct SignInController: Sendable {
    let database: Database
    let provider: OIDCProvider?
    let settings: WebSettings

    func register(in router: inout Router) {
        router.add("GET", "/", { _ in Response(status: 303, headers: [("Location", "/projects")]) })
        router.add("GET", "/login", signInPage)
        router.add("GET", "/auth/start", start)
        router.add("GET", "/auth/callback", callback)
        router.add("POST", "/logout", signOut)
    }

    func signInPage(_ request: Request) throws -> Response {
        Pages.shared.render("signin", title: "Sign in", viewer: nil)
    }

    func start(_ request: Request) throws -> Response {
        guard let provider, !settings.sessionSecret.isEmpty else {
            return failed("Sign-in is not configured: set DATACOVEY_AUTH0_CLIENT_ID and DATACOVEY_SESSION_SECRET.", status: 503)
        }
        let attempt = SignInState.fresh()
        return Response(status: 303, headers: [
            ("Location", provider.authorizationURL(attempt)),
            BrowserCookies.set(BrowserCookies.signIn, try attempt.sealed(secret: settings.sessionSecret), maxAge: Int(SignInState.lifetime)),
        ])
    }

    func callback(_ request: Request) throws -> Response {
        guard let provider else { return failed("Sign-in is not configured.", status: 503) }
        if let error = request.query("error") {
            return failed("The identity provider refused the sign-in (\(error)).")
        }
        guard let cookie = BrowserCookies.value(BrowserCookies.signIn, in: request),
              let attempt = SignInState.unsealed(cookie, secret: settings.sessionSecret) else {
            return failed("The sign-in expired or was started in another browser; start again.")
        }
        guard let state = request.query("state"), RandomToken.equal(state, attempt.state) else {
            return failed("The sign-in answer does not belong to this sign-in (state); start again.")
        }
        guard let code = request.query("code"), !code.isEmpty else { return failed("The identity provider sent no code.") }
        let token: VerifiedToken
        do {
            token = try provider.signIn(code: code, attempt: attempt)
        } catch let failure as OIDCProvider.Failure {
            return failed(failure.description)
        }
        let session = RandomToken.make()
        let opened: IdentityRow?
        do {
            opened = try database.openWebSession(subject: token.subject, verifiedEmail: token.verifiedEmail,
                                                 tokenHash: RandomToken.hash(session), csrf: RandomToken.make(), hours: settings.sessionHours)
        } catch is Database.AmbiguousInvitation {
            return failed("Several organizations invited this e-mail; ask an operator to choose which one your account joins.", status: 403)
        }
        guard opened != nil else {
            return failed("Your account is not known to DataCovey or is disabled; ask your administrator.", status: 403)
        }
        return Response(status: 303, headers: [
            ("Location", "/projects"),
            BrowserCookies.set(BrowserCookies.session, session, maxAge: settings.sessionHours * 3600),
            BrowserCookies.clear(BrowserCookies.signIn),
        ])
    }

    /// Needs the session's CSRF token like every form; the session is revoked server-side, so
    /// a copy of the cookie no longer works either.
    func signOut(_ request: Request) throws -> Response {
        try BrowserAuthenticator(database: database).page(request) { _, _, _ in
            if let token = BrowserCookies.value(BrowserCookies.session, in: request) {
                try database.closeWebSession(tokenHash: RandomToken.hash(token))
            }
            let clear = BrowserCookies.clear(BrowserCookies.session)
            guard let providerLogout = provider?.logoutURL(returnTo: settings.publicURL + "/login") else {
                return Response(status: 303, headers: [("Location", "/login"), clear])
            }
            // Not a redirect: the CSP's form-action 'self' would stop a form's redirect to
            // the provider's origin. The page moves on by itself, with a link as well.
            return Pages.shared.render("signed_out", title: "Signed out", viewer: nil, ["provider_logout": providerLogout],
                                       headers: [clear], refreshTo: providerLogout)
        }
    }

    private func failed(_ message: String, status: Int = 400) -> Response {
        Pages.shared.render("signin", title: "Sign in", viewer: nil, ["error": message], status: status,
                            headers: [BrowserCookies.clear(BrowserCookies.signIn)])
    }
}
