import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The OpenID provider the browser signs in with (authorization code flow with PKCE S256,
/// `state` and `nonce`): Auth0 when configured, a stand-in provider named by
/// `DATACOVEY_OIDC_ISSUER`, or else the embedded development provider. Every one is driven
/// the same way: redirect to `authorize`, exchange the code at the token endpoint from the
/// server, verify the ID token through the JWKS path API tokens use.
struct OIDCProvider: Sendable {
    /// The development provider's client id (it has no secret: PKCE carries the proof).
    static let developmentClientID = "datacovey-local"

    let issuer: String
    let authorizeURL: String
    let tokenURL: String
    let clientID: String
    let clientSecret: String?
    let redirectURI: String
    /// Asked for as `audience`, so Auth0 also issues an access token for this API.
    let audience: String?
    let verifier: TokenVerifier
    /// Whether this is the embedded development provider (its sign-in page lists local users).
    let isDevelopment: Bool

    /// The provider the configuration names; nil when Auth0 is configured without a client id.
    static func make(_ configuration: Configuration) -> OIDCProvider? {
        let web = configuration.web
        let auth = configuration.auth
        func verifier(issuer: String, audience: String, jwks: URL) -> TokenVerifier {
            TokenVerifier(policy: TokenPolicy(issuer: issuer, audience: audience, leeway: 30, rolesClaim: auth.rolesClaim,
                                              maxLifetime: TimeInterval(auth.maxTokenLifetimeSeconds)),
                          keys: SigningKeyCache(cooldown: TimeInterval(auth.jwksCooldownSeconds),
                                                fetch: SigningKeyCache.fetching(from: jwks)))
        }
        let external = web.oidcIssuer ?? auth.auth0Domain.map { "https://\($0)/" }
        guard let issuer = external else {
            let development = DevelopmentIssuer(directory: auth.developmentDirectory)
            return OIDCProvider(
                issuer: DevelopmentIssuer.issuer, authorizeURL: web.publicURL + "/auth/dev/authorize",
                tokenURL: web.publicURL + "/auth/dev/token", clientID: developmentClientID, clientSecret: nil,
                redirectURI: web.callbackURL, audience: nil,
                verifier: verifier(issuer: DevelopmentIssuer.issuer, audience: developmentClientID,
                                   jwks: URL(fileURLWithPath: development.jwksPath)),
                isDevelopment: true)
        }
        guard let clientID = web.clientID, let jwks = URL(string: issuer + ".well-known/jwks.json") else { return nil }
        return OIDCProvider(
            issuer: issuer, authorizeURL: issuer + "authorize", tokenURL: issuer + "oauth/token", clientID: clientID,
            clientSecret: web.clientSecret, redirectURI: web.callbackURL, audience: auth.audience,
            verifier: verifier(issuer: issuer, audience: clientID, jwks: jwks), isDevelopment: false)
    }

    /// Where the browser goes to sign in.
    func authorizationURL(_ attempt: SignInState, loginHint: String? = nil) -> String {
        var parameters = [
            ("response_type", "code"), ("client_id", clientID), ("redirect_uri", redirectURI),
            ("scope", "openid profile email"), ("state", attempt.state), ("nonce", attempt.nonce),
            ("code_challenge", RandomToken.challenge(attempt.verifier)), ("code_challenge_method", "S256"),
        ]
        if let audience { parameters.append(("audience", audience)) }
        if let loginHint { parameters.append(("login_hint", loginHint)) }
        return authorizeURL + "?" + FormEncoding.encode(parameters)
    }

    /// Where the browser goes after DataCovey closed its session, so the provider's session
    /// ends too (else the next "sign in" would pass straight through as the same person):
    /// Auth0's `/v2/logout` with `returnTo` (an "Allowed Logout URL" of the application).
    /// nil for the development provider, which keeps no session of its own.
    func logoutURL(returnTo: String) -> String? {
        guard !isDevelopment else { return nil }
        return issuer + "v2/logout?" + FormEncoding.encode([("client_id", clientID), ("returnTo", returnTo)])
    }

    /// Why a sign-in failed, for the sign-in page (never a provider's raw answer).
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Exchanges the code (with the PKCE verifier) for an ID token and verifies it: signature
    /// by the provider's JWKS, issuer, audience (our client id), expiry, and the nonce.
    func signIn(code: String, attempt: SignInState) throws -> VerifiedToken {
        var form = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI),
                    ("client_id", clientID), ("code_verifier", attempt.verifier)]
        if let clientSecret { form.append(("client_secret", clientSecret)) }
        let answer = try post(tokenURL, form: FormEncoding.encode(form))
        guard let object = try? JSONSerialization.jsonObject(with: answer) as? [String: Any],
              let idToken = object["id_token"] as? String else {
            throw Failure(description: "The identity provider did not accept the sign-in.")
        }
        let verified: VerifiedToken
        do {
            verified = try verifier.verify(idToken)
        } catch {
            throw Failure(description: "The identity provider's ID token was refused (\(error.description)).")
        }
        guard let nonce = verified.nonce, RandomToken.equal(nonce, attempt.nonce) else {
            throw Failure(description: "The ID token does not belong to this sign-in (nonce).")
        }
        return verified
    }

    /// A form POST from the server, 10 s at most in all; the body of a 200 answer.
    private func post(_ url: String, form: String) throws -> Data {
        guard let target = URL(string: url) else { throw Failure(description: "The token endpoint is misconfigured.") }
        var request = URLRequest(url: target)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        request.httpBody = Data(form.utf8)
        let answer: (status: Int, body: Data)
        do {
            answer = try BoundedHTTP.send(request, deadline: 10)
        } catch {
            throw Failure(description: "The identity provider could not be reached.")
        }
        guard answer.status == 200 else { throw Failure(description: "The identity provider did not accept the sign-in.") }
        return answer.body
    }
}

/// `application/x-www-form-urlencoded` writing (RFC 3986 unreserved characters stay as they are).
enum FormEncoding {
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }
}
