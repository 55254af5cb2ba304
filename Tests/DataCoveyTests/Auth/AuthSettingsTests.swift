@testable import DataCovey
import XCTest

final class AuthSettingsTests: XCTestCase {
    func testWithoutAuth0TheDevelopmentIssuerIsUsed() throws {
        let auth = try Configuration.fromEnvironment(["DATACOVEY_RUN_DIR": "/srv/dc"]).auth
        XCTAssertTrue(auth.usesDevelopmentIssuer)
        XCTAssertEqual(auth.issuer, "https://dev-issuer.datacovey.local/")
        XCTAssertEqual(auth.jwksURL, URL(fileURLWithPath: "/srv/dc/dev-issuer/jwks.json"))
        XCTAssertEqual(auth.audience, "https://api.datacovey.dev")
    }

    func testAuth0DomainGivesItsIssuerAndJWKS() throws {
        let auth = try Configuration.fromEnvironment(["DATACOVEY_AUTH0_DOMAIN": "acme.eu.auth0.com", "DATACOVEY_AUTH0_AUDIENCE": "https://api.acme"]).auth
        XCTAssertFalse(auth.usesDevelopmentIssuer)
        XCTAssertEqual(auth.issuer, "https://acme.eu.auth0.com/")
        XCTAssertEqual(auth.jwksURL.absoluteString, "https://acme.eu.auth0.com/.well-known/jwks.json")
        XCTAssertEqual(auth.audience, "https://api.acme")
    }

    func testBadAuthSettingsNameTheVariable() {
        XCTAssertThrowsError(try Configuration.fromEnvironment(["DATACOVEY_AUTH0_DOMAIN": "https://acme.auth0.com/"])) {
            XCTAssertTrue("\($0)".hasPrefix("DATACOVEY_AUTH0_DOMAIN="))
        }
        XCTAssertThrowsError(try Configuration.fromEnvironment(["DATACOVEY_JWKS_COOLDOWN_SECONDS": "-1"])) {
            XCTAssertTrue("\($0)".hasPrefix("DATACOVEY_JWKS_COOLDOWN_SECONDS="))
        }
    }

    func testTokenRolesOnlyEverLowerTheStoredRole() {
        XCTAssertEqual(Identity.effectiveRole(stored: .admin, tokenRoles: []), .admin)
        XCTAssertEqual(Identity.effectiveRole(stored: .admin, tokenRoles: ["viewer"]), .viewer)
        XCTAssertEqual(Identity.effectiveRole(stored: .viewer, tokenRoles: ["admin"]), .viewer)
        XCTAssertEqual(Identity.effectiveRole(stored: .user, tokenRoles: ["read:all", "admin", "viewer"]), .user)
        XCTAssertEqual(Identity.effectiveRole(stored: .user, tokenRoles: ["read:all"]), .user, "unknown names are ignored")
    }
}
