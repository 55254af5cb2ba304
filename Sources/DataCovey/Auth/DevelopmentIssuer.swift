import Crypto
import Foundation

/// The embedded identity provider used when no Auth0 domain is configured: an RSA key and its
/// JWKS under the run directory. Tokens it signs go through the very same verification path as
/// Auth0's; only the key source differs.
public struct DevelopmentIssuer: Sendable {
    /// The `iss` of development tokens (shaped like an Auth0 issuer, ending in `/`).
    public static let issuer = "https://dev-issuer.datacovey.local/"

    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    public var privateKeyPath: String { "\(directory)/private-key.pem" }
    public var jwksPath: String { "\(directory)/jwks.json" }

    /// Loads the signing key, creating key and JWKS on first use (0600 key, written atomically so
    /// a concurrently starting process never reads half a file).
    public func signer() throws -> TokenSigner {
        if let pem = try? String(contentsOfFile: privateKeyPath, encoding: .utf8) {
            return try TokenSigner(keyID: try Self.keyID(pem), privateKeyPEM: pem)
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let generated = try TokenSigner.generate(keyID: "pending")
        let signer = try TokenSigner(keyID: try Self.keyID(generated.privateKeyPEM), privateKeyPEM: generated.privateKeyPEM)
        try Self.writeAtomically(Array(signer.privateKeyPEM.utf8), to: privateKeyPath, mode: 0o600)
        try Self.writeAtomically(try signer.jwks(), to: jwksPath, mode: 0o644)
        return signer
    }

    /// A token for `subject`, valid for `lifetime` seconds.
    public func mint(subject: String, audience: String, lifetime: TimeInterval, roles: [String] = [], rolesClaim: String) throws -> String {
        let now = Date().timeIntervalSince1970.rounded(.down)
        var claims: [String: Any] = ["iss": Self.issuer, "sub": subject, "aud": audience, "iat": now, "exp": now + lifetime]
        if !roles.isEmpty { claims[rolesClaim] = roles }
        return try signer().sign(claims)
    }

    /// A stable key id: the first 16 hex digits of the SHA-256 of the key's PEM.
    private static func keyID(_ pem: String) throws -> String {
        String(SHA256.hash(data: Array(pem.utf8)).map { String(format: "%02x", $0) }.joined().prefix(16))
    }

    private static func writeAtomically(_ bytes: [UInt8], to path: String, mode: Int) throws {
        let temporary = "\(path).tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes), attributes: [.posixPermissions: mode]) else {
            throw CocoaError(.fileWriteUnknown)
        }
        guard rename(temporary, path) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }
}
