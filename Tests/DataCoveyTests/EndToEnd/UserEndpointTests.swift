import DataCovey
import Foundation
import MariaDB
import TestSupport
import XCTest

/// `/api/v1/users`: tenant admins manage their own tenant's members, nobody else's.
final class UserEndpointTests: XCTestCase {
    private func token(_ db: StackDatabase, sub: String) throws -> String {
        try DevelopmentIssuer(directory: db.configuration.auth.developmentDirectory).mint(
            subject: sub, audience: db.configuration.auth.audience, lifetime: 600, rolesClaim: db.configuration.auth.rolesClaim)
    }

    func testAdminsAddChangeDisableAndDeleteMembers() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("members")
        let admin = try db.caller(tenant, .admin)
        let created = try admin.call("POST", "/api/v1/users", json: ["email": "Ann@Example.test", "name": " Ann ", "role": "viewer"])
        XCTAssertEqual(created.status, 201, created.text)
        let json = try created.json()
        let id = json["id"] as? Int ?? 0
        XCTAssertEqual(json["email"] as? String, "ann@example.test")
        XCTAssertEqual(json["name"] as? String, "Ann")
        XCTAssertEqual(json["sub"] as? String, "local|ann@example.test")
        XCTAssertEqual(json["disabled"] as? Bool, false)

        let annToken = try token(db, sub: "local|ann@example.test")
        let me = try db.stack.http("GET", "/api/v1/me", headers: [("Authorization", "Bearer \(annToken)")])
        XCTAssertEqual(try me.json()["role"] as? String, "viewer")

        let promoted = try admin.call("PATCH", "/api/v1/users/\(id)", json: ["role": "user"], headers: [("If-Match", "\"1\"")])
        XCTAssertEqual(promoted.status, 200)
        XCTAssertEqual(try promoted.json()["role"] as? String, "user")
        XCTAssertEqual(try admin.call("PATCH", "/api/v1/users/\(id)", json: ["disabled": true]).status, 200)
        XCTAssertEqual(try db.stack.http("GET", "/api/v1/me", headers: [("Authorization", "Bearer \(annToken)")]).status, 401,
                       "a disabled user's valid token no longer works")

        XCTAssertEqual(try admin.call("DELETE", "/api/v1/users/\(id)").status, 204)
        XCTAssertEqual(try admin.call("GET", "/api/v1/users/\(id)").status, 404)
        let actors = try db.ops().query("SELECT DISTINCT actor_user_id FROM user_history WHERE entity_id = \(Int64(id))")
            .map { try $0.decode(Int64?.self, at: 0) }
        XCTAssertEqual(actors, [admin.userID])
    }

    func testOnlyAdminsManageUsers() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("useradmin")
        for role in [RequestContext.Role.user, .viewer] {
            let caller = try db.caller(tenant, role)
            XCTAssertEqual(try caller.call("GET", "/api/v1/users").status, 403, role.rawValue)
            XCTAssertEqual(try caller.call("GET", "/api/v1/users/\(tenant.userID)").status, 403, role.rawValue)
            XCTAssertEqual(try caller.call("POST", "/api/v1/users", json: ["email": "x@y.test", "name": "X", "role": "admin"]).status, 403)
            XCTAssertEqual(try caller.call("PATCH", "/api/v1/users/\(caller.userID)", json: ["role": "admin"]).status, 403,
                           "nobody promotes themselves")
            XCTAssertEqual(try caller.call("DELETE", "/api/v1/users/\(tenant.userID)").status, 403)
        }
    }

    func testAnotherTenantsUsersAreInvisible() throws {
        let db = try StackDatabase.require()
        let (mine, theirs) = try db.makeTwoTenants("useriso")
        let admin = try db.caller(mine, .admin)
        let listed = try admin.call("GET", "/api/v1/users").json()["items"] as? [[String: Any]] ?? []
        XCTAssertEqual(listed.compactMap { $0["id"] as? Int }, [Int(mine.userID)])
        XCTAssertEqual(try admin.call("GET", "/api/v1/users/\(theirs.userID)").status, 404)
        XCTAssertEqual(try admin.call("PATCH", "/api/v1/users/\(theirs.userID)", json: ["disabled": true]).status, 404)
        XCTAssertEqual(try admin.call("DELETE", "/api/v1/users/\(theirs.userID)").status, 404)
        XCTAssertEqual(try db.ops().scalar("SELECT disabled FROM users WHERE id = \(theirs.userID)"), 0)
    }

    func testAdminsCannotLockThemselvesOutAndBadInputIsRefused() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("selfguard")
        let admin = try db.caller(tenant, .admin)
        XCTAssertEqual(try admin.call("PATCH", "/api/v1/users/\(admin.userID)", json: ["role": "viewer"]).status, 409)
        XCTAssertEqual(try admin.call("PATCH", "/api/v1/users/\(admin.userID)", json: ["disabled": true]).status, 409)
        XCTAssertEqual(try admin.call("DELETE", "/api/v1/users/\(admin.userID)").status, 409)
        for (body, field) in [
            (["email": "not-an-email", "name": "A", "role": "user"], "email"),
            (["email": "a@b.test", "name": "", "role": "user"], "name"),
            (["email": "a@b.test", "name": "A", "role": "owner"], "role"),
            (["email": "a@b.test", "name": "A", "role": "user", "sub": "has space"], "sub"),
        ] {
            let response = try admin.call("POST", "/api/v1/users", json: body)
            XCTAssertEqual(response.status, 400, field)
            XCTAssertEqual((try response.json()["errors"] as? [[String: Any]])?.first?["field"] as? String, field)
        }
        let unique = String(UInt32.random(in: 0..<UInt32.max), radix: 36)
        XCTAssertEqual(try admin.call("POST", "/api/v1/users", json: ["email": "dup-\(unique)@b.test", "name": "A", "role": "user"]).status, 201)
        XCTAssertEqual(try admin.call("POST", "/api/v1/users", json: ["email": "DUP-\(unique)@b.test", "name": "B", "role": "user"]).status, 409)
        let creator = try db.caller(tenant, .user)
        XCTAssertEqual(try creator.call("POST", "/api/v1/projects", json: ["name": "owned"]).status, 201)
        XCTAssertEqual(try admin.call("DELETE", "/api/v1/users/\(creator.userID)").status, 409, "referenced by created_by: disable instead")
    }
}
