import Crypto
import Foundation

/// What one sign-in attempt must remember between the redirect to the provider and the
/// callback: `state` (ties the callback to this browser), `nonce` (ties the ID token to this
/// attempt) and the PKCE verifier. Kept in the `__Host-dc_signin` cookie, signed with
/// `DATACOVEY_SESSION_SECRET` so it cannot be forged, for ten minutes.
struct SignInState: Codable, Equatable {
    static let lifetime: TimeInterval = 600

    let state: String
    let nonce: String
    let verifier: String
    let expires: Double

    static func fresh(now: Date = Date()) -> SignInState {
        SignInState(state: RandomToken.make(), nonce: RandomToken.make(), verifier: RandomToken.make(),
                    expires: now.timeIntervalSince1970 + lifetime)
    }

    /// `payload.signature`, both base64url.
    func sealed(secret: String) throws -> String {
        let payload = Base64URL.encode(try JSON.Literal.encode(self))
        let signature = HMAC<SHA256>.authenticationCode(for: Array(payload.utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return payload + "." + Base64URL.encode(Array(signature))
    }

    /// The state in a cookie, when its signature holds and it has not expired.
    static func unsealed(_ cookie: String, secret: String, now: Date = Date()) -> SignInState? {
        let parts = cookie.split(separator: ".")
        guard parts.count == 2, let signature = Base64URL.decode(parts[1]), let payload = Base64URL.decode(parts[0]),
              HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: Array(parts[0].utf8),
                                                      using: SymmetricKey(data: Array(secret.utf8))),
              let state = try? JSON.Literal.decode(SignInState.self, from: payload),
              now.timeIntervalSince1970 < state.expires else { return nil }
        return state
    }
}
