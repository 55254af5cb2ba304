import _CryptoExtras
import Foundation

/// The RS256 signing keys of a JWKS document (`/.well-known/jwks.json`), by `kid`.
/// Keys of other types or uses are skipped, not errors: Auth0 may publish more than we use.
struct JSONWebKeySet: Sendable {
    let keys: [String: _RSA.Signing.PublicKey]

    private struct Document: Decodable {
        let keys: [Key]
    }

    private struct Key: Decodable {
        let kty: String
        let kid: String?
        let use: String?
        let alg: String?
        let n: String?
        let e: String?
    }

    init(keys: [String: _RSA.Signing.PublicKey]) {
        self.keys = keys
    }

    /// Parses a JWKS; throws when the document itself is not a JWKS.
    init(json: [UInt8]) throws {
        let document = try JSON.Literal.decode(Document.self, from: json)
        var keys: [String: _RSA.Signing.PublicKey] = [:]
        for key in document.keys where key.kty == "RSA" && (key.use ?? "sig") == "sig" && (key.alg ?? "RS256") == "RS256" {
            guard let kid = key.kid, let n = key.n.flatMap({ Base64URL.decode($0[...]) }),
                  let e = key.e.flatMap({ Base64URL.decode($0[...]) }),
                  let publicKey = try? _RSA.Signing.PublicKey(n: n, e: e) else { continue }
            keys[kid] = publicKey
        }
        self.keys = keys
    }

    /// The JWKS document for `keys`, as the development issuer publishes it.
    static func document(_ keys: [(kid: String, key: _RSA.Signing.PublicKey)]) throws -> [UInt8] {
        let entries = try keys.map { entry -> [String: String] in
            let primitives = try entry.key.getKeyPrimitives()
            return ["kty": "RSA", "use": "sig", "alg": "RS256", "kid": entry.kid,
                    "n": Base64URL.encode(primitives.modulus), "e": Base64URL.encode(primitives.publicExponent)]
        }
        return try JSON.Literal.encode(["keys": entries])
    }
}
