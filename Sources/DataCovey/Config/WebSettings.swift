import Foundation

/// Browser sign-in and sessions (`DATACOVEY_PUBLIC_URL`, `DATACOVEY_SESSION_*`,
/// `DATACOVEY_AUTH0_CLIENT_*`, `DATACOVEY_OIDC_ISSUER`).
public struct WebSettings: Sendable {
    /// The origin browsers use, e.g. `https://data.example.com`; sign-in comes back to it.
    public var publicURL: String
    /// Signs the short-lived sign-in cookie (state, nonce, PKCE verifier).
    public var sessionSecret: String
    /// Hours a browser session lasts.
    public var sessionHours: Int
    /// The Auth0 application's client id and secret (a regular web application).
    public var clientID: String?
    public var clientSecret: String?
    /// The redirect URI registered with Auth0 (default `<public URL>/auth/callback`).
    public var callbackURL: String
    /// The OpenID provider's issuer URL, when it is not `https://<DATACOVEY_AUTH0_DOMAIN>/`
    /// (a stand-in provider in tests). Endpoints follow Auth0's layout under it.
    public var oidcIssuer: String?
    /// `DATACOVEY_DEVELOPMENT_SIGNIN=1`: serve the development sign-in even on a public URL.
    public var allowsDevelopmentSignIn: Bool = false

    static func read(_ environment: [String: String]) throws -> WebSettings {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let publicURL = (value("DATACOVEY_PUBLIC_URL") ?? "http://127.0.0.1:8080").trimmingSuffix("/")
        guard let scheme = URL(string: publicURL)?.scheme, ["http", "https"].contains(scheme) else {
            throw Configuration.InvalidSetting(name: "DATACOVEY_PUBLIC_URL", value: publicURL, expected: "an http(s) origin")
        }
        let hoursText = value("DATACOVEY_SESSION_HOURS") ?? "12"
        guard let hours = Int(hoursText), (1...720).contains(hours) else {
            throw Configuration.InvalidSetting(name: "DATACOVEY_SESSION_HOURS", value: hoursText, expected: "hours in 1...720")
        }
        if let issuer = value("DATACOVEY_OIDC_ISSUER"), URL(string: issuer)?.scheme == nil || !issuer.hasSuffix("/") {
            throw Configuration.InvalidSetting(name: "DATACOVEY_OIDC_ISSUER", value: issuer, expected: "a URL ending in /")
        }
        let development = value("DATACOVEY_DEVELOPMENT_SIGNIN") ?? "0"
        guard development == "0" || development == "1" else {
            throw Configuration.InvalidSetting(name: "DATACOVEY_DEVELOPMENT_SIGNIN", value: development, expected: "1 or 0")
        }
        var settings = WebSettings(
            publicURL: publicURL,
            sessionSecret: value("DATACOVEY_SESSION_SECRET") ?? "",
            sessionHours: hours,
            clientID: value("DATACOVEY_AUTH0_CLIENT_ID"),
            clientSecret: value("DATACOVEY_AUTH0_CLIENT_SECRET"),
            callbackURL: value("DATACOVEY_AUTH0_CALLBACK_URL") ?? publicURL + "/auth/callback",
            oidcIssuer: value("DATACOVEY_OIDC_ISSUER"))
        settings.allowsDevelopmentSignIn = development == "1"
        return settings
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        var text = self
        while text.hasSuffix(suffix) { text.removeLast(suffix.count) }
        return text
    }
}
