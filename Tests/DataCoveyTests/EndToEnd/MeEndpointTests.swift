import DataCovey
import Foundation
import MariaDB
import TestSupport
import XCTest

/// `GET /api/v1/me` through nginx with tokens of the stack's development issuer.
final class MeEndpointTests: XCTestCase {
    private func issuer(_ db: StackDatabase) -> DevelopmentIssuer {
        DevelopmentIssuer(directory: db.configuration.auth.developmentDirectory)
    }

    private func token(_ db: StackDatabase, subject: String, roles: [String] = [], lifetime: TimeInterval = 600) throws -> String {
        try issuer(db).mint(subject: subject, audience: db.configuration.auth.audience, lifetime: lifetime,
                            roles: roles, rolesClaim: db.configuration.auth.rolesClaim)
    }

    private func me(_ db: StackDatabase, _ token: String?) throws -> HTTPTestClient.Response {
        try db.stack.http("GET", "/api/v1/me", headers: token.map { [("Authorization", "Bearer \($0)")] } ?? [])
    }

    private func subject(of fixture: TenantFixture, _ db: StackDatabase) throws -> String {
        let ops = try db.ops()
        defer { ops.close() }
        return try ops.query("SELECT auth0_sub FROM users WHERE id = \(fixture.userID)")[0].decode(String.self, at: 0)
    }

    func testEachTenantsUserSeesThemselvesAndTheirTenant() throws {
        let db = try StackDatabase.require()
        let (a, b) = try db.makeTwoTenants("me")
        for fixture in [a, b] {
            let response = try me(db, try token(db, subject: try subject(of: fixture, db)))
            XCTAssertEqual(response.status, 200)
            let json = try response.json()
            XCTAssertEqual(json["id"] as? Int, Int(fixture.userID))
            XCTAssertEqual(json["role"] as? String, "admin")
            XCTAssertEqual((json["tenant"] as? [String: Any])?["id"] as? Int, Int(fixture.tenantID))
            XCTAssertEqual((json["tenant"] as? [String: Any])?["name"] as? String, fixture.tenantName)
        }
    }

    func testTokenRolesNarrowButNeverWidenTheUsersRole() throws {
        let db = try StackDatabase.require()
        let (a, _) = try db.makeTwoTenants("narrow")
        let subject = try subject(of: a, db)
        XCTAssertEqual(try me(db, try token(db, subject: subject, roles: ["viewer"])).json()["role"] as? String, "viewer")
        let ops = try db.ops()
        try ops.execute("UPDATE users SET role = 'viewer' WHERE id = \(a.userID)")
        XCTAssertEqual(try me(db, try token(db, subject: subject, roles: ["admin"])).json()["role"] as? String, "viewer")
    }

    func testMissingOrInvalidTokensAre401ProblemJSON() throws {
        let db = try StackDatabase.require()
        let missing = try me(db, nil)
        XCTAssertEqual(missing.status, 401)
        XCTAssertEqual(missing.headers["www-authenticate"], "Bearer")
        XCTAssertEqual(missing.headers["content-type"], "application/problem+json")

        let basic = try db.stack.http("GET", "/api/v1/me", headers: [("Authorization", "Basic YTpi")])
        XCTAssertEqual(basic.status, 401)

        let expired = try me(db, try token(db, subject: "local|admin@demo.test", lifetime: -120))
        XCTAssertEqual(expired.status, 401)
        XCTAssertEqual(try expired.json()["detail"] as? String, "The token has expired.")

        let strangerKey = try TokenSigner.generate(keyID: "not-published")
        let foreign = try strangerKey.sign([
            "iss": DevelopmentIssuer.issuer, "aud": db.configuration.auth.audience, "sub": "local|admin@demo.test",
            "exp": Date().timeIntervalSince1970 + 600,
        ])
        let unknownKey = try me(db, foreign)
        XCTAssertEqual(unknownKey.status, 401)
        XCTAssertEqual(try unknownKey.json()["detail"] as? String, "The token was signed with an unknown key.")
    }

    func testUnknownAndDisabledUsersAndTenantsAreRefused() throws {
        let db = try StackDatabase.require()
        let unknown = try me(db, try token(db, subject: "auth0|nobody-\(UUID().uuidString)"))
        XCTAssertEqual(unknown.status, 401)
        XCTAssertEqual(try unknown.json()["detail"] as? String, "The token's user is unknown or disabled.")

        let (a, b) = try db.makeTwoTenants("disabled")
        let ops = try db.ops()
        try ops.execute("UPDATE users SET disabled = 1 WHERE id = \(a.userID)")
        XCTAssertEqual(try me(db, try token(db, subject: try subject(of: a, db))).status, 401)
        try ops.execute("UPDATE tenants SET disabled = 1 WHERE id = \(b.tenantID)")
        XCTAssertEqual(try me(db, try token(db, subject: try subject(of: b, db))).status, 401)
    }
}
