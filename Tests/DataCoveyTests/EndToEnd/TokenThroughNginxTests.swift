import Crypto
@testable import DataCovey
import Foundation
import MariaDB
import TestSupport
import XCTest

/// The JWT negative suite of SECURITY rules 11–13 against the running responder, through nginx,
/// with tokens signed by the stack's own development issuer key unless the case says otherwise.
final class TokenThroughNginxTests: XCTestCase {
    private struct Context {
        let db: StackDatabase
        let signer: TokenSigner
        let subject: String
        let userID: Int64
    }

    /// A fresh tenant's admin and the stack's issuer key.
    private func context() throws -> Context {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("jwt")
        let ops = try db.ops()
        defer { ops.close() }
        let subject = try ops.query("SELECT auth0_sub FROM users WHERE id = \(tenant.userID)")[0].decode(String.self, at: 0)
        let signer = try DevelopmentIssuer(directory: db.configuration.auth.developmentDirectory).signer()
        return Context(db: db, signer: signer, subject: subject, userID: tenant.userID)
    }

    private func claims(_ context: Context, _ changes: [String: Any?] = [:]) -> [String: Any] {
        let now = Date().timeIntervalSince1970.rounded(.down)
        var claims: [String: Any] = [
            "iss": DevelopmentIssuer.issuer, "aud": context.db.configuration.auth.audience, "sub": context.subject,
            "iat": now, "exp": now + 600,
        ]
        for (name, value) in changes { claims[name] = value }
        return claims
    }

    private func me(_ context: Context, _ token: String) throws -> HTTPTestClient.Response {
        try context.db.stack.http("GET", "/api/v1/me", headers: [("Authorization", "Bearer \(token)")])
    }

    private func assertRefused(_ context: Context, _ token: String, _ detail: String,
                               file: StaticString = #filePath, line: UInt = #line) throws {
        let response = try me(context, token)
        XCTAssertEqual(response.status, 401, response.text, file: file, line: line)
        XCTAssertEqual(response.headers["content-type"], "application/problem+json", file: file, line: line)
        XCTAssertEqual(response.headers["www-authenticate"], "Bearer", file: file, line: line)
        XCTAssertEqual(try response.json()["detail"] as? String, detail, file: file, line: line)
    }

    private func encoded(_ object: [String: Any]) throws -> String {
        Base64URL.encode(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    func testEveryForgedOrUnfitTokenIs401WithAProblemBody() throws {
        let context = try context()
        let now = Date().timeIntervalSince1970.rounded(.down)
        let valid = try context.signer.sign(claims(context))
        XCTAssertEqual(try me(context, valid).status, 200, "the control case passes")

        let header = try encoded(["alg": "none", "kid": context.signer.keyID, "typ": "JWT"])
        try assertRefused(context, "\(header).\(try encoded(claims(context))).", "The token's algorithm 'none' is not accepted; only RS256 is.")

        let publicKeyAsSecret = SymmetricKey(data: try context.signer.jwks())
        let hsHead = try encoded(["alg": "HS256", "kid": context.signer.keyID])
        let hsBody = try encoded(claims(context))
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(hsHead).\(hsBody)".utf8), using: publicKeyAsSecret)
        try assertRefused(context, "\(hsHead).\(hsBody).\(Base64URL.encode(Array(mac)))", "The token's algorithm 'HS256' is not accepted; only RS256 is.")

        let stranger = try TokenSigner.generate(keyID: "unknown-\(UUID().uuidString)")
        try assertRefused(context, try stranger.sign(claims(context)), "The token was signed with an unknown key.")
        try assertRefused(context, try context.signer.sign(claims(context, ["exp": now - 61])), "The token has expired.")
        try assertRefused(context, try context.signer.sign(claims(context, ["nbf": now + 120])), "The token is not valid yet.")
        try assertRefused(context, try context.signer.sign(claims(context, ["iss": "https://evil.example/"])),
                          "The token was issued by another issuer.")
        try assertRefused(context, try context.signer.sign(claims(context, ["aud": "https://other-api"])),
                          "The token is not meant for this API.")
        try assertRefused(context, try context.signer.sign(claims(context, ["sub": nil])), "The token names no subject.")
        try assertRefused(context, try context.signer.sign(claims(context, ["sub": "auth0|nobody-\(UUID().uuidString)"])),
                          "The token's user is unknown or disabled.")

        let parts = valid.split(separator: ".")
        let forged = try encoded(claims(context, ["sub": "auth0|mallory"]))
        try assertRefused(context, "\(parts[0]).\(forged).\(parts[2])", "The token's signature is not valid.")
        for malformed in ["abc", "a.b", "a.b.c.d", "!!!.e30.sig", "bm90IGpzb24.e30.c2ln"] {
            try assertRefused(context, malformed, "The token is not a well-formed JWT.")
        }

        let ops = try context.db.ops()
        defer { ops.close() }
        try ops.execute("UPDATE users SET disabled = 1 WHERE id = \(context.userID)")
        try assertRefused(context, try context.signer.sign(claims(context, ["iat": now + 1])), "The token's user is unknown or disabled.")
    }

    /// RFC 7515 §4.1.11 and a bounded lifetime: a `crit` extension nobody implements, an `exp`
    /// centuries away, a lifetime over the limit and an `iat` in the future are all refused.
    func testCriticalHeadersAndOverlongLifetimesAreRefused() throws {
        let context = try context()
        let now = Date().timeIntervalSince1970.rounded(.down)
        let crit = "The token requires header extensions (crit) this API does not implement."
        try assertRefused(context, try context.signer.sign(claims(context), extraHeader: ["crit": ["exp"], "exp": now + 600]), crit)
        try assertRefused(context, try context.signer.sign(claims(context), extraHeader: ["crit": ["https://example.com/x"]]), crit)
        try assertRefused(context, try context.signer.sign(claims(context), extraHeader: ["crit": []]), crit)
        let tooLong = "The token's lifetime is longer than this API accepts."
        try assertRefused(context, try context.signer.sign(claims(context, ["exp": 1e300])), tooLong)
        try assertRefused(context, try context.signer.sign(claims(context, ["exp": now + 86_400 + 3_600])), tooLong)
        try assertRefused(context, try context.signer.sign(claims(context, ["iat": now - 90_000, "exp": now + 600])), tooLong)
        try assertRefused(context, try context.signer.sign(claims(context, ["iat": now + 3_600])),
                          "The token claims to be issued in the future.")
        // At the limit it works: a day, as Auth0's access tokens default to.
        XCTAssertEqual(try me(context, try context.signer.sign(claims(context, ["exp": now + 86_400]))).status, 200)
    }

    func testAnAudienceArrayAndARotatedKeyAreAccepted() throws {
        let context = try context()
        let audiences: [String] = ["https://other-api", context.db.configuration.auth.audience]
        XCTAssertEqual(try me(context, try context.signer.sign(claims(context, ["aud": audiences]))).status, 200)

        // Rotation: the issuer publishes a second key next to the first; a token with the new
        // kid is accepted once the responder refetches (at most once per cooldown), the old
        // key keeps working, and the published set is put back afterwards.
        let issuer = DevelopmentIssuer(directory: context.db.configuration.auth.developmentDirectory)
        let original = try Data(contentsOf: URL(fileURLWithPath: issuer.jwksPath))
        defer { try? original.write(to: URL(fileURLWithPath: issuer.jwksPath), options: .atomic) }
        let rotated = try TokenSigner.generate(keyID: "rotated-\(UUID().uuidString)")
        try Data(try context.signer.jwks(alongside: [rotated])).write(to: URL(fileURLWithPath: issuer.jwksPath), options: .atomic)
        let cooldown = context.db.configuration.auth.jwksCooldownSeconds
        XCTAssertLessThanOrEqual(cooldown, 5, "scripts/test sets a short cooldown for this test")
        Thread.sleep(forTimeInterval: Double(cooldown) + 0.2)
        let response = try me(context, try rotated.sign(claims(context)))
        XCTAssertEqual(response.status, 200, response.text)
        XCTAssertEqual(try me(context, try context.signer.sign(claims(context))).status, 200)
    }
}
