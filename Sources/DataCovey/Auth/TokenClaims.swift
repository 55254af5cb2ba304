import Foundation

/// The registered claims of a JWT payload, plus the roles, decoded strictly: a claim of the
/// wrong JSON type (an `exp` that is a string or `true`) makes the token malformed.
struct TokenClaims: Decodable {
    let iss: String?
    let sub: String?
    let audiences: [String]
    let exp: Double?
    let nbf: Double?
    let iat: Double?
    let roles: [String]?
    let permissions: [String]?
    /// An ID token's `nonce` (OpenID Connect), checked by the browser sign-in.
    let nonce: String?
    /// An ID token's `email` and whether the provider verified it (OpenID Connect `email` scope).
    let email: String?
    let emailVerified: Bool?

    /// Tells the decoder which claim carries roles (configurable, namespaced).
    static let rolesClaimKey = CodingUserInfoKey(rawValue: "datacovey.rolesClaim")!

    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        iss = try container.decodeIfPresent(String.self, forKey: Key("iss"))
        sub = try container.decodeIfPresent(String.self, forKey: Key("sub"))
        if let single = try? container.decodeIfPresent(String.self, forKey: Key("aud")) {
            audiences = [single]
        } else {
            audiences = try container.decodeIfPresent([String].self, forKey: Key("aud")) ?? []
        }
        exp = try container.decodeIfPresent(Double.self, forKey: Key("exp"))
        nbf = try container.decodeIfPresent(Double.self, forKey: Key("nbf"))
        iat = try container.decodeIfPresent(Double.self, forKey: Key("iat"))
        nonce = try? container.decodeIfPresent(String.self, forKey: Key("nonce"))
        email = try? container.decodeIfPresent(String.self, forKey: Key("email"))
        emailVerified = try? container.decodeIfPresent(Bool.self, forKey: Key("email_verified"))
        let rolesClaim = decoder.userInfo[Self.rolesClaimKey] as? String ?? "https://datacovey.dev/roles"
        roles = try container.decodeIfPresent([String].self, forKey: Key(rolesClaim))
        permissions = try container.decodeIfPresent([String].self, forKey: Key("permissions"))
    }

    static func decode(_ bytes: [UInt8], rolesClaim: String) -> TokenClaims? {
        try? JSON.Literal.decode(TokenClaims.self, from: bytes, userInfo: [rolesClaimKey: rolesClaim])
    }
}

/// The JOSE header fields that matter.
struct TokenHeader: Decodable {
    let alg: String
    let kid: String?
    /// Whether the header has `crit` at all: whatever it lists, this verifier implements no
    /// extension, so such a token is refused.
    let hasCritical: Bool

    private enum CodingKeys: String, CodingKey { case alg, kid, crit }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        alg = try container.decode(String.self, forKey: .alg)
        kid = try container.decodeIfPresent(String.self, forKey: .kid)
        hasCritical = container.contains(.crit)
    }
}
