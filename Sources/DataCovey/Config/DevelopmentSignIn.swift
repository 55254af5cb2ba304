import Foundation

/// Whether the development issuer and its sign-in page may run. Without Auth0 the responder
/// accepts tokens `datacovey-admin token mint` signs and serves a sign-in page where anyone
/// picks any local user: right on a developer's loopback stack, a takeover on a public site.
/// So it runs only when the public URL is loopback, or when `DATACOVEY_DEVELOPMENT_SIGNIN=1`
/// says it is meant (and the responder then logs a warning).
public enum DevelopmentSignIn: Equatable, Sendable {
    /// Auth0 (or another OpenID provider) signs people in.
    case off
    /// The development issuer on a loopback public URL.
    case local
    /// The development issuer on a public URL, allowed explicitly.
    case allowedPublicly

    /// Refusing to serve development sign-in on a public URL by accident.
    public struct Refused: Error, CustomStringConvertible {
        public let publicURL: String
        public var description: String {
            "DATACOVEY_PUBLIC_URL=\(publicURL) is not a loopback address and no Auth0 is configured (DATACOVEY_AUTH0_DOMAIN): "
                + "the development sign-in, where anyone picks any local user, would be public. Configure Auth0 "
                + "(README: Operating DataCovey), or set DATACOVEY_DEVELOPMENT_SIGNIN=1 to serve it knowingly."
        }
    }

    /// What `configuration` asks for; throws `Refused` for development sign-in on a public URL
    /// that `DATACOVEY_DEVELOPMENT_SIGNIN=1` does not allow.
    public static func decide(_ configuration: Configuration) throws -> DevelopmentSignIn {
        guard configuration.auth.usesDevelopmentIssuer else { return .off }
        if isLoopback(configuration.web.publicURL) { return .local }
        guard configuration.web.allowsDevelopmentSignIn else { throw Refused(publicURL: configuration.web.publicURL) }
        return .allowedPublicly
    }

    /// Whether the URL's host is this machine only: `localhost`, 127.0.0.0/8 or `::1`.
    static func isLoopback(_ url: String) -> Bool {
        guard let host = URLComponents(string: url)?.host?.lowercased() else { return false }
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets.allSatisfy({ $0.count <= 3 && UInt8($0) != nil }) else { return false }
        return octets[0] == "127"
    }
}
