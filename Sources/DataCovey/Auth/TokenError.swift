/// Why a bearer token was refused. Every case answers 401; the text says which check failed
/// without echoing the token.
public enum TokenError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed
    /// `alg` is not RS256 (`none`, `HS256`, …): the token never chooses the key type.
    case unsupportedAlgorithm(String)
    case missingKeyID
    case unknownKeyID
    case badSignature
    case wrongIssuer
    case wrongAudience
    case expired
    case notYetValid
    case missingSubject
    case keysUnavailable
    /// The header lists `crit` extensions (RFC 7515 §4.1.11), none of which is implemented.
    case unsupportedCriticalHeader
    /// `exp` lies further ahead than the longest lifetime accepted, or `exp - iat` does.
    case lifetimeTooLong
    /// `iat` is later than now.
    case issuedInTheFuture

    public var description: String {
        switch self {
        case .malformed: "The token is not a well-formed JWT."
        case .unsupportedAlgorithm(let alg): "The token's algorithm '\(alg.prefix(16))' is not accepted; only RS256 is."
        case .missingKeyID: "The token names no signing key (kid)."
        case .unknownKeyID: "The token was signed with an unknown key."
        case .badSignature: "The token's signature is not valid."
        case .wrongIssuer: "The token was issued by another issuer."
        case .wrongAudience: "The token is not meant for this API."
        case .expired: "The token has expired."
        case .notYetValid: "The token is not valid yet."
        case .missingSubject: "The token names no subject."
        case .keysUnavailable: "The signing keys could not be loaded."
        case .unsupportedCriticalHeader: "The token requires header extensions (crit) this API does not implement."
        case .lifetimeTooLong: "The token's lifetime is longer than this API accepts."
        case .issuedInTheFuture: "The token claims to be issued in the future."
        }
    }
}
