import Crypto

/// The secret of an API token (issue 18): `dct_` and 32 random bytes in base64url (43
/// characters). The prefix lets the authenticator tell it from a JWT without parsing, and lets
/// secret scanners recognise a leaked one.
///
/// The database keeps only its SHA-256. A slow password hash guards guessable secrets; these
/// have 256 bits of entropy, so a lookup by plain hash is as safe and costs one index probe.
struct APITokenSecret: Sendable {
    static let prefix = "dct_"
    /// `dct_` and 43 base64url characters.
    static let length = 4 + 43
    /// How much of the secret the list shows (`dct_` and 8 characters: 48 of 256 bits).
    static let shownLength = 12

    let text: String

    /// A new random secret.
    static func make() -> APITokenSecret {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return APITokenSecret(text: prefix + Base64URL.encode(bytes))
    }

    /// Whether a bearer credential is meant as an API token (and never goes to the JWT verifier).
    static func isClaimed(_ credential: String) -> Bool { credential.hasPrefix(prefix) }

    /// A credential that looks like a token: the prefix, then exactly 43 base64url characters.
    /// Anything else is refused before the database is asked.
    init?(credential: String) {
        let bytes = Array(credential.utf8)
        guard bytes.count == Self.length, credential.hasPrefix(Self.prefix),
              bytes[4...].allSatisfy({ Self.isBase64URL($0) }) else { return nil }
        text = credential
    }

    private init(text: String) { self.text = text }

    private static func isBase64URL(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D || byte == 0x5F
    }

    /// What the database stores and looks up.
    var hash: [UInt8] { Array(SHA256.hash(data: Array(text.utf8))) }

    /// The part the list shows, so people can tell their tokens apart.
    var shown: String { String(text.prefix(Self.shownLength)) }

    /// The subject of the token's user row: no identity provider issues it, so it never signs
    /// in, and being non-NULL it is no invitation a sign-in could bind (0018).
    var userSubject: String { Self.userSubjectPrefix + hexPrefix }
    static let userSubjectPrefix = "datacovey-api-token|"

    /// The e-mail of the token's user row (unique per tenant; `.invalid` is reserved, RFC 2606).
    var userEmail: String { "token-\(hexPrefix)@api-tokens.invalid" }

    private var hexPrefix: String {
        hash.prefix(8).map { byte in String(byte >> 4, radix: 16) + String(byte & 0x0F, radix: 16) }.joined()
    }
}
