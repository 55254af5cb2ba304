import Foundation

/// Where tokens come from: Auth0 when `DATACOVEY_AUTH0_DOMAIN` is set, else the embedded
/// development issuer under `$RUN_DIR/dev-issuer`.
public struct AuthSettings: Sendable {
    /// `DATACOVEY_AUTH0_DOMAIN`, e.g. `acme.eu.auth0.com`; nil selects the development issuer.
    public var auth0Domain: String?
    /// `DATACOVEY_AUTH0_AUDIENCE` (default `https://api.datacovey.dev`): this API's identifier.
    public var audience: String
    /// `DATACOVEY_JWKS_URL`: a URL or file path overriding `https://<domain>/.well-known/jwks.json`.
    public var jwksOverride: String?
    /// `DATACOVEY_ROLES_CLAIM` (default `https://datacovey.dev/roles`).
    public var rolesClaim: String
    /// `DATACOVEY_JWKS_COOLDOWN_SECONDS` (default 300): least time between JWKS refetches.
    public var jwksCooldownSeconds: Int
    /// Where the development issuer keeps its key and JWKS.
    public var developmentDirectory: String
    /// `DATACOVEY_TOKEN_MAX_LIFETIME_SECONDS` (default 86400): tokens claiming to live longer are refused.
    public var maxTokenLifetimeSeconds: Int = 86_400

    public var usesDevelopmentIssuer: Bool { auth0Domain == nil }

    /// The exact `iss` accepted.
    public var issuer: String {
        guard let auth0Domain else { return DevelopmentIssuer.issuer }
        return "https://\(auth0Domain)/"
    }

    /// Where the signing keys are read from.
    public var jwksURL: URL {
        if let jwksOverride {
            return jwksOverride.hasPrefix("/") ? URL(fileURLWithPath: jwksOverride) : URL(string: jwksOverride)!
        }
        guard let auth0Domain else { return URL(fileURLWithPath: DevelopmentIssuer(directory: developmentDirectory).jwksPath) }
        return URL(string: "https://\(auth0Domain)/.well-known/jwks.json")!
    }

    static func read(_ environment: [String: String], runDirectory: String) throws -> AuthSettings {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let domain = value("DATACOVEY_AUTH0_DOMAIN")
        if let domain, domain.contains("/") || domain.contains(":") {
            throw Configuration.InvalidSetting(name: "DATACOVEY_AUTH0_DOMAIN", value: domain, expected: "a host name such as acme.eu.auth0.com")
        }
        if let url = value("DATACOVEY_JWKS_URL"), !url.hasPrefix("/"), URL(string: url)?.scheme == nil {
            throw Configuration.InvalidSetting(name: "DATACOVEY_JWKS_URL", value: url, expected: "an absolute file path or a URL")
        }
        let cooldownText = value("DATACOVEY_JWKS_COOLDOWN_SECONDS") ?? "300"
        guard let cooldown = Int(cooldownText), (0...86_400).contains(cooldown) else {
            throw Configuration.InvalidSetting(name: "DATACOVEY_JWKS_COOLDOWN_SECONDS", value: cooldownText, expected: "seconds in 0...86400")
        }
        let lifetimeText = value("DATACOVEY_TOKEN_MAX_LIFETIME_SECONDS") ?? "86400"
        guard let lifetime = Int(lifetimeText), (60...(30 * 86_400)).contains(lifetime) else {
            throw Configuration.InvalidSetting(name: "DATACOVEY_TOKEN_MAX_LIFETIME_SECONDS", value: lifetimeText,
                                               expected: "seconds in 60...2592000")
        }
        var settings = AuthSettings(
            auth0Domain: domain,
            audience: value("DATACOVEY_AUTH0_AUDIENCE") ?? "https://api.datacovey.dev",
            jwksOverride: value("DATACOVEY_JWKS_URL"),
            rolesClaim: value("DATACOVEY_ROLES_CLAIM") ?? "https://datacovey.dev/roles",
            jwksCooldownSeconds: cooldown,
            developmentDirectory: "\(runDirectory)/dev-issuer")
        settings.maxTokenLifetimeSeconds = lifetime
        return settings
    }

    /// The verifier for these settings.
    public func makeVerifier() -> TokenVerifier {
        TokenVerifier(
            policy: TokenPolicy(issuer: issuer, audience: audience, leeway: 30, rolesClaim: rolesClaim,
                                maxLifetime: TimeInterval(maxTokenLifetimeSeconds)),
            keys: SigningKeyCache(cooldown: TimeInterval(jwksCooldownSeconds), fetch: SigningKeyCache.fetching(from: jwksURL)))
    }
}
