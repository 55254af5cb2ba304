import Crypto
@testable import DataCovey
import Foundation
import XCTest

/// The JWT checks of SECURITY rules 11–13, without a network: keys come from a JWKS in memory.
final class TokenVerifierTests: XCTestCase {
    private static let first = try! TokenSigner.generate(keyID: "key-1")
    private static let second = try! TokenSigner.generate(keyID: "key-2")
    private let issuer = "https://tenant.eu.auth0.com/"
    private let audience = "https://api.datacovey.dev"
    private let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// Counts JWKS fetches; serves whichever signers `published` holds at the time.
    private final class FakeIssuer: @unchecked Sendable {
        var published: [TokenSigner]
        var fetches = 0
        init(_ published: [TokenSigner]) { self.published = published }
        func fetch() throws -> [UInt8] {
            fetches += 1
            return try published[0].jwks(alongside: Array(published.dropFirst()))
        }
    }

    private func verifier(_ issuerKeys: FakeIssuer, cooldown: TimeInterval = 300) -> TokenVerifier {
        TokenVerifier(policy: TokenPolicy(issuer: issuer, audience: audience, leeway: 60),
                      keys: SigningKeyCache(cooldown: cooldown, fetch: { try issuerKeys.fetch() }))
    }

    private func claims(_ changes: [String: Any?] = [:]) -> [String: Any] {
        var claims: [String: Any] = [
            "iss": issuer, "aud": audience, "sub": "auth0|alice",
            "exp": now.timeIntervalSince1970 + 600, "iat": now.timeIntervalSince1970,
            "https://datacovey.dev/roles": ["admin"],
        ]
        for (name, value) in changes { claims[name] = value }
        return claims
    }

    private func assertRefused(_ token: String, _ expected: TokenError, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try verifier(FakeIssuer([Self.first])).verify(token, now: now), file: file, line: line) { error in
            XCTAssertEqual(error as? TokenError, expected, file: file, line: line)
        }
    }

    private func unsigned(header: [String: Any], claims: [String: Any], signature: [UInt8] = []) throws -> String {
        let head = try JSONSerialization.data(withJSONObject: header)
        let body = try JSONSerialization.data(withJSONObject: claims)
        return Base64URL.encode(head) + "." + Base64URL.encode(body) + "." + Base64URL.encode(signature)
    }

    func testAValidTokenYieldsSubjectExpiryAndRoles() throws {
        let token = try Self.first.sign(claims())
        let verified = try verifier(FakeIssuer([Self.first])).verify(token, now: now)
        XCTAssertEqual(verified, VerifiedToken(subject: "auth0|alice", expiresAt: now.addingTimeInterval(600), roles: ["admin"]))
    }

    func testCriticalHeaderExtensionsAreRefused() throws {
        for crit: Any in [["exp"], ["b64"], [String]()] {
            assertRefused(try Self.first.sign(claims(), extraHeader: ["crit": crit]), .unsupportedCriticalHeader)
        }
    }

    func testLifetimeIsCappedAndIatMayNotBeInTheFuture() throws {
        let at = now.timeIntervalSince1970
        assertRefused(try Self.first.sign(claims(["exp": 1e300])), .lifetimeTooLong)
        assertRefused(try Self.first.sign(claims(["exp": at + 86_400 + 31])), .lifetimeTooLong)
        assertRefused(try Self.first.sign(claims(["iat": at - 86_401, "exp": at + 600])), .lifetimeTooLong)
        assertRefused(try Self.first.sign(claims(["iat": at + 61])), .issuedInTheFuture)
        XCTAssertNoThrow(try verifier(FakeIssuer([Self.first])).verify(try Self.first.sign(claims(["iat": at, "exp": at + 86_400])), now: now))
    }

    func testOnlyAVerifiedEmailIsPassedOn() throws {
        let verifier = verifier(FakeIssuer([Self.first]))
        let verified = try Self.first.sign(claims(["email": "a@b.test", "email_verified": true]))
        XCTAssertEqual(try verifier.verify(verified, now: now).verifiedEmail, "a@b.test")
        for unverified in [["email": "a@b.test", "email_verified": false], ["email": "a@b.test"],
                           ["email": "a@b.test", "email_verified": "true"]] as [[String: Any?]] {
            XCTAssertNil(try verifier.verify(try Self.first.sign(claims(unverified)), now: now).verifiedEmail, "\(unverified)")
        }
    }

    func testRolesFallBackToAuth0Permissions() throws {
        let token = try Self.first.sign(claims(["https://datacovey.dev/roles": nil, "permissions": ["viewer"]]))
        XCTAssertEqual(try verifier(FakeIssuer([Self.first])).verify(token, now: now).roles, ["viewer"])
    }

    func testAudienceMayBeAnArray() throws {
        let token = try Self.first.sign(claims(["aud": ["https://other", audience]]))
        XCTAssertEqual(try verifier(FakeIssuer([Self.first])).verify(token, now: now).subject, "auth0|alice")
    }

    func testKeyRotationIsPickedUpByRefetchingOnAnUnknownKid() throws {
        let issuerKeys = FakeIssuer([Self.first])
        let verifier = verifier(issuerKeys, cooldown: 0)
        XCTAssertNoThrow(try verifier.verify(try Self.first.sign(claims()), now: now))
        issuerKeys.published = [Self.first, Self.second]
        XCTAssertEqual(try verifier.verify(try Self.second.sign(claims(["sub": "auth0|bob"])), now: now).subject, "auth0|bob")
        XCTAssertEqual(issuerKeys.fetches, 2)
    }

    func testUnknownKidRefetchesAtMostOncePerCooldown() throws {
        let issuerKeys = FakeIssuer([Self.first])
        let verifier = verifier(issuerKeys, cooldown: 300)
        let stranger = try Self.second.sign(claims())
        for _ in 0..<5 {
            XCTAssertThrowsError(try verifier.verify(stranger, now: now)) { XCTAssertEqual($0 as? TokenError, .unknownKeyID) }
        }
        XCTAssertEqual(issuerKeys.fetches, 1)
    }

    func testAlgNoneIsRefused() throws {
        assertRefused(try unsigned(header: ["alg": "none", "kid": "key-1"], claims: claims()), .unsupportedAlgorithm("none"))
    }

    func testHS256SignedWithThePublicKeyIsRefused() throws {
        let secret = SymmetricKey(data: try Self.first.jwks())
        let head = Base64URL.encode(try JSONSerialization.data(withJSONObject: ["alg": "HS256", "kid": "key-1"]))
        let body = Base64URL.encode(try JSONSerialization.data(withJSONObject: claims()))
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(head).\(body)".utf8), using: secret)
        assertRefused("\(head).\(body).\(Base64URL.encode(Array(mac)))", .unsupportedAlgorithm("HS256"))
    }

    func testExpiredBeyondTheLeewayIsRefusedButWithinItAccepted() throws {
        assertRefused(try Self.first.sign(claims(["exp": now.timeIntervalSince1970 - 61])), .expired)
        XCTAssertNoThrow(try verifier(FakeIssuer([Self.first])).verify(try Self.first.sign(claims(["exp": now.timeIntervalSince1970 - 59])), now: now))
        assertRefused(try Self.first.sign(claims(["exp": nil])), .expired)
    }

    func testNotBeforeInTheFutureIsRefused() throws {
        assertRefused(try Self.first.sign(claims(["nbf": now.timeIntervalSince1970 + 120])), .notYetValid)
    }

    func testWrongIssuerAndAudienceAreRefused() throws {
        assertRefused(try Self.first.sign(claims(["iss": "https://tenant.eu.auth0.com"])), .wrongIssuer)
        assertRefused(try Self.first.sign(claims(["iss": "https://evil.example/"])), .wrongIssuer)
        assertRefused(try Self.first.sign(claims(["aud": "https://other-api"])), .wrongAudience)
        assertRefused(try Self.first.sign(claims(["aud": ["https://a", "https://b"]])), .wrongAudience)
    }

    func testMissingSubjectIsRefused() throws {
        assertRefused(try Self.first.sign(claims(["sub": nil])), .missingSubject)
        assertRefused(try Self.first.sign(claims(["sub": ""])), .missingSubject)
    }

    func testATamperedPayloadFailsTheSignature() throws {
        let parts = try Self.first.sign(claims()).split(separator: ".")
        let forged = Base64URL.encode(try JSONSerialization.data(withJSONObject: claims(["sub": "auth0|mallory"])))
        assertRefused("\(parts[0]).\(forged).\(parts[2])", .badSignature)
    }

    func testMalformedTokensAreRefused() throws {
        for token in ["", "abc", "a.b", "a.b.c.d", "!!!.e30.sig", "e30.e30.", "bm90IGpzb24.e30.c2ln"] {
            assertRefused(token, .malformed)
        }
        assertRefused(try Self.first.sign(claims(["exp": "tomorrow"])), .malformed)
        assertRefused(try unsigned(header: ["alg": "RS256"], claims: claims()), .missingKeyID)
    }

    func testACachedTokenStillExpires() throws {
        let verifier = verifier(FakeIssuer([Self.first]))
        let token = try Self.first.sign(claims(["exp": now.timeIntervalSince1970 + 10]))
        XCTAssertNoThrow(try verifier.verify(token, now: now))
        XCTAssertThrowsError(try verifier.verify(token, now: now.addingTimeInterval(100))) {
            XCTAssertEqual($0 as? TokenError, .expired)
        }
    }
}
