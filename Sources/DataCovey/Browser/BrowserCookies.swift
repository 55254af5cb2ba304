import Crypto
import Foundation

/// The browser's cookies: the session (`__Host-dc_session`) and the short-lived sign-in state
/// (`__Host-dc_signin`). `__Host-` makes the browser insist on Secure, Path=/ and no Domain, so
/// no other host (a sibling subdomain) can plant or read them (SECURITY rule 14).
enum BrowserCookies {
    static let session = "__Host-dc_session"
    static let signIn = "__Host-dc_signin"

    /// A cookie's value from the request's `Cookie` header.
    static func value(_ name: String, in request: Request) -> String? {
        guard let header = request.header("cookie") else { return nil }
        for pair in header.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    /// `Set-Cookie` with the flags every DataCovey cookie has; `maxAge` nil is a browser-session cookie.
    static func set(_ name: String, _ value: String, maxAge: Int?) -> (name: String, value: String) {
        var cookie = "\(name)=\(value); Path=/; Secure; HttpOnly; SameSite=Lax"
        if let maxAge { cookie += "; Max-Age=\(maxAge)" }
        return ("Set-Cookie", cookie)
    }

    static func clear(_ name: String) -> (name: String, value: String) {
        ("Set-Cookie", "\(name)=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0")
    }
}

/// Random values for sessions, CSRF, state, nonce and PKCE: 32 bytes of the system CSPRNG,
/// base64url (43 characters).
enum RandomToken {
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Base64URL.encode(bytes)
    }

    /// What the database keeps of a session token.
    static func hash(_ token: String) -> [UInt8] {
        Array(SHA256.hash(data: Array(token.utf8)))
    }

    /// The PKCE S256 challenge of a verifier (RFC 7636).
    static func challenge(_ verifier: String) -> String {
        Base64URL.encode(Array(SHA256.hash(data: Array(verifier.utf8))))
    }

    /// Compares secrets in time independent of where they differ.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
