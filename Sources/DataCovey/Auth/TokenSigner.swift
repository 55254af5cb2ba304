import Crypto
import _CryptoExtras
import Foundation

/// Signs RS256 tokens the way Auth0 does: the development issuer's minting and the tests' stand-in
/// identity provider use it; production only verifies.
public struct TokenSigner: Sendable {
    public let keyID: String
    let privateKey: _RSA.Signing.PrivateKey

    public init(keyID: String, privateKeyPEM: String) throws {
        self.keyID = keyID
        self.privateKey = try _RSA.Signing.PrivateKey(pemRepresentation: privateKeyPEM)
    }

    /// A fresh 2048-bit key.
    public static func generate(keyID: String) throws -> TokenSigner {
        try TokenSigner(keyID: keyID, privateKeyPEM: try _RSA.Signing.PrivateKey(keySize: .bits2048).pemRepresentation)
    }

    public var privateKeyPEM: String { privateKey.pemRepresentation }

    /// The JWKS document publishing this key (and any others given).
    public func jwks(alongside others: [TokenSigner] = []) throws -> [UInt8] {
        try JSONWebKeySet.document(([self] + others).map { ($0.keyID, $0.privateKey.publicKey) })
    }

    /// Signs `claims` with header `{"alg":"RS256","kid":…,"typ":"JWT"}` and any `extraHeader` fields.
    public func sign(_ claims: [String: Any], extraHeader: [String: Any] = [:]) throws -> String {
        let fields: [String: Any] = ["alg": "RS256", "kid": keyID, "typ": "JWT"].merging(extraHeader) { $1 }
        let header = try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
        let payload = try JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys])
        let input = Base64URL.encode(header) + "." + Base64URL.encode(payload)
        let signature = try privateKey.signature(for: SHA256.hash(data: Array(input.utf8)), padding: .insecurePKCS1v1_5)
        return input + "." + Base64URL.encode(signature.rawRepresentation)
    }
}
