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
        XCTAssertGreaterThan(json["id"] as? Int ?? 0, 0)
        let id = json["id"] as? Int ?? 0
        XCTAssertEqual(json["email"] as? String, "ann@example.test")
        XCTAssertEqual(json["name"] as? String, "Ann")
        XCTAssertTrue(json["sub"] is NSNull, "an invitation: no subject until the first sign-in")
        XCTAssertEqual(json["disabled"] as? Bool, false)

        // Ann's first sign-in (the development provider vouches for her e-mail) binds a subject.
        let signedIn = try BrowserClient(db: db).signIn(subject: "local|user-\(id)")
        XCTAssertEqual(signedIn.headers["location"], "/projects", signedIn.text)
        XCTAssertEqual(try admin.call("GET", "/api/v1/users/\(id)").json()["sub"] as? String, "local|user-\(id)")
        let annToken = try token(db, sub: "local|user-\(id)")
        let me = try db.stack.http("GET", "/api/v1/me", headers: [("Authorization", "Bearer \(annToken)")])
        XCTAssertEqual(try me.json()["role"] as? String, "viewer")

        let promoted = try admin.call("PATCH", "/api/v1/users/\(id)", json: ["role": "user"], headers: [("If-Match", "\"2\"")])
        XCTAssertEqual(promoted.status, 200)
        XCTAssertEqual(try promoted.json()["role"] as? String, "user")
        XCTAssertEqual(try admin.call("PATCH", "/api/v1/users/\(id)", json: ["disabled": true]).status, 200)
        XCTAssertEqual(try db.stack.http("GET", "/api/v1/me", headers: [("Authorization", "Bearer \(annToken)")]).status, 401,
                       "a disabled user's valid token no longer works")

        XCTAssertEqual(try admin.call("DELETE", "/api/v1/users/\(id)").status, 204)
        XCTAssertEqual(try admin.call("GET", "/api/v1/users/\(id)").status, 404)
        let actors = try db.ops().query("SELECT DISTINCT actor_user_id FROM user_history WHERE entity_id = \(Int64(id))")
            .map { try $0.decode(Int64?.self, at: 0) }
        XCTAssertEqual(Set(actors), [admin.userID, Int64(id)], "the admin's changes, and Ann binding her account")
    }

    func testOnlyAdminsManageUsers() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("useradmin")
        for role in [Role.user, .viewer] {
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
            (["email": "a@b.test", "name": "A", "role": "user", "sub": "auth0|someone"], "sub"),
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

    /// Tenant admins cannot choose identity subjects: a subject in a body is refused the same
    /// way whether or not anyone has it, inviting an e-mail another tenant uses succeeds, and
    /// the person still signs in to the tenant that holds their subject.
    func testSubjectsAreNotChosenByTenantAdminsAndRevealNoOtherTenant() throws {
        let db = try StackDatabase.require()
        let (home, rival) = try db.makeTwoTenants("subjects")
        let ops = try db.ops()
        defer { ops.close() }
        let suffix = String(UInt32.random(in: 0..<UInt32.max), radix: 36)
        let bob = try TenantDirectory(connection: ops).addUser(tenant: home.tenantName, email: "bob-\(suffix)@corp.test", name: "Bob",
                                                               role: .user, subject: "local|bob-\(suffix)")
        let rivalAdmin = try db.caller(rival, .admin)
        let taken = try rivalAdmin.call("POST", "/api/v1/users", json: ["email": "x-\(suffix)@rival.test", "name": "X", "role": "admin",
                                                                       "sub": "local|bob-\(suffix)"])
        let free = try rivalAdmin.call("POST", "/api/v1/users", json: ["email": "y-\(suffix)@rival.test", "name": "Y", "role": "admin",
                                                                      "sub": "auth0|nobody-\(suffix)"])
        XCTAssertEqual(taken.status, 400)
        XCTAssertEqual(free.status, 400)
        XCTAssertEqual(try taken.json()["detail"] as? String, try free.json()["detail"] as? String, "the same answer either way")
        XCTAssertEqual((try taken.json()["errors"] as? [[String: Any]])?.first?["field"] as? String, "sub")
        let invited = try rivalAdmin.call("POST", "/api/v1/users", json: ["email": "bob-\(suffix)@corp.test", "name": "Bob?", "role": "admin"])
        XCTAssertEqual(invited.status, 201, "an e-mail another tenant uses is no conflict here")
        let invitedID = try invited.json()["id"] as? Int ?? 0
        XCTAssertEqual(try rivalAdmin.call("PATCH", "/api/v1/users/\(invitedID)", json: ["sub": "local|bob-\(suffix)"]).status, 400)
        // Bob signs in with his subject: his own tenant, whatever the rival's invitation says.
        let browser = BrowserClient(db: db)
        XCTAssertEqual(try browser.signIn(subject: "local|bob-\(suffix)").headers["location"], "/projects")
        XCTAssertTrue(try browser.get("/projects").text.contains(home.tenantName))
        XCTAssertEqual(try ops.scalar("SELECT COUNT(*) FROM users WHERE auth0_sub = \("local|bob-\(suffix)") AND id = \(bob.id)"), 1)
        XCTAssertEqual(try ops.scalar("SELECT COUNT(*) FROM users WHERE id = \(Int64(invitedID)) AND auth0_sub IS NULL"), 1)
    }

    /// A person invited by two tenants who signs in for the first time is not bound to either:
    /// the sign-in cannot tell which one they mean.
    func testAFirstSignInWithInvitationsFromTwoTenantsBindsNothing() throws {
        let db = try StackDatabase.require()
        let (first, second) = try db.makeTwoTenants("twoinvites")
        let email = "carol-\(String(UInt32.random(in: 0..<UInt32.max), radix: 36))@corp.test"
        let firstInvite = try db.caller(first, .admin).call("POST", "/api/v1/users", json: ["email": email, "name": "Carol", "role": "user"])
        let secondInvite = try db.caller(second, .admin).call("POST", "/api/v1/users", json: ["email": email, "name": "Carol", "role": "user"])
        XCTAssertEqual([firstInvite.status, secondInvite.status], [201, 201])
        let answer = try BrowserClient(db: db).signIn(subject: "local|user-\(try firstInvite.json()["id"] as? Int ?? 0)")
        XCTAssertEqual(answer.status, 403)
        XCTAssertTrue(answer.text.contains("Several organizations invited this e-mail"), answer.text)
        let ops = try db.ops()
        defer { ops.close() }
        XCTAssertEqual(try ops.scalar("SELECT COUNT(*) FROM users WHERE email = \(email) AND auth0_sub IS NULL"), 2)
    }
}
