import Crypto
import _CryptoExtras
import Foundation

/// What a token must say to be accepted.
public struct TokenPolicy: Sendable {
    /// Exact `iss`; Auth0 issuers end in `/` (SECURITY rule 11).
    public var issuer: String
    /// This API's identifier; `aud` may be a string or an array containing it.
    public var audience: String
    /// Clock skew allowed on `exp` and `nbf`, at most 60 s (RFC 8725).
    public var leeway: TimeInterval
    /// The namespaced claim holding role names (Auth0 reserves plain `roles`).
    public var rolesClaim: String
    /// The longest lifetime a token may claim (`exp - iat`, and `exp` from now): a stolen token
    /// with `exp: 1e300` must not work forever. Auth0's access tokens default to 24 h.
    public var maxLifetime: TimeInterval

    public init(issuer: String, audience: String, leeway: TimeInterval = 30, rolesClaim: String = "https://datacovey.dev/roles",
                maxLifetime: TimeInterval = 86_400) {
        self.issuer = issuer
        self.audience = audience
        self.leeway = min(max(leeway, 0), 60)
        self.rolesClaim = rolesClaim
        self.maxLifetime = maxLifetime
    }
}

/// The claims of an accepted token that the API uses.
public struct VerifiedToken: Sendable, Equatable {
    public let subject: String
    public let expiresAt: Date
    /// From the roles claim, or else Auth0 RBAC `permissions`.
    public let roles: [String]
    /// An ID token's `nonce`; nil in access tokens.
    public var nonce: String? = nil
    /// The e-mail, only when the provider says it verified it (`email_verified: true`): what a
    /// first sign-in binds an invitation by.
    public var verifiedEmail: String? = nil
}

/// Verifies Auth0 access tokens (RS256 JWTs) synchronously on the request thread, caching
/// accepted tokens until they expire so a client's repeated calls cost one dictionary lookup.
public final class TokenVerifier: @unchecked Sendable {
    public let policy: TokenPolicy
    private let keys: SigningKeyCache
    private let lock = NSLock()
    private var accepted: [String: VerifiedToken] = [:]
    private static let cacheLimit = 10_000

    public init(policy: TokenPolicy, keys: SigningKeyCache) {
        self.policy = policy
        self.keys = keys
    }

    public func verify(_ token: String, now: Date = Date()) throws(TokenError) -> VerifiedToken {
        if let cached = lock.withLock({ accepted[token] }) {
            guard now.timeIntervalSince(cached.expiresAt) <= policy.leeway else { throw .expired }
            return cached
        }
        let verified = try verifyUncached(token, now: now)
        lock.withLock {
            if accepted.count >= Self.cacheLimit {
                accepted = accepted.filter { now < $0.value.expiresAt }
                if accepted.count >= Self.cacheLimit { accepted.removeAll() }
            }
            accepted[token] = verified
        }
        return verified
    }

    private func verifyUncached(_ token: String, now: Date) throws(TokenError) -> VerifiedToken {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, token.utf8.count <= 16_384,
              let headerBytes = Base64URL.decode(parts[0]),
              let payloadBytes = Base64URL.decode(parts[1]),
              let signature = Base64URL.decode(parts[2]),
              let header = try? JSON.Literal.decode(TokenHeader.self, from: headerBytes) else { throw .malformed }
        // The algorithm is checked before any key is looked at: `none` and HS* never reach a key.
        guard header.alg == "RS256" else { throw .unsupportedAlgorithm(header.alg) }
        // RFC 7515 §4.1.11: an extension listed in `crit` must be understood, and none is.
        guard !header.hasCritical else { throw .unsupportedCriticalHeader }
        guard let kid = header.kid, !kid.isEmpty else { throw .missingKeyID }
        let key = try keys.key(for: kid, now: now)
        let signingInput = Array(token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count))
        guard key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature),
                                   for: SHA256.hash(data: signingInput), padding: .insecurePKCS1v1_5) else {
            throw .badSignature
        }
        // Claims are read only from a payload whose signature held.
        guard let claims = TokenClaims.decode(payloadBytes, rolesClaim: policy.rolesClaim) else { throw .malformed }
        guard claims.iss == policy.issuer else { throw .wrongIssuer }
        guard claims.audiences.contains(policy.audience) else { throw .wrongAudience }
        guard let exp = claims.exp, exp.isFinite else { throw .expired }
        let expiresAt = Date(timeIntervalSince1970: exp)
        guard now.timeIntervalSince(expiresAt) <= policy.leeway else { throw .expired }
        if let nbf = claims.nbf, Date(timeIntervalSince1970: nbf).timeIntervalSince(now) > policy.leeway {
            throw .notYetValid
        }
        guard expiresAt.timeIntervalSince(now) <= policy.maxLifetime + policy.leeway else { throw .lifetimeTooLong }
        if let iat = claims.iat {
            guard iat.isFinite, Date(timeIntervalSince1970: iat).timeIntervalSince(now) <= policy.leeway else { throw .issuedInTheFuture }
            guard exp - iat <= policy.maxLifetime else { throw .lifetimeTooLong }
        }
        guard let subject = claims.sub, !subject.isEmpty else { throw .missingSubject }
        return VerifiedToken(subject: subject, expiresAt: expiresAt, roles: claims.roles ?? claims.permissions ?? [], nonce: claims.nonce,
                             verifiedEmail: claims.emailVerified == true ? claims.email : nil)
    }
}
