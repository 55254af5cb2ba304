import DataCovey
import Foundation
import MariaDB
import TestSupport
import XCTest

/// `datacovey-admin` as operators run it: the real executable against the test stack.
final class AdminCommandTests: XCTestCase {
    private func admin(_ db: StackDatabase, _ arguments: [String]) throws -> (status: Int32, output: String) {
        try db.admin(arguments)
    }

    func testSetRoleDisableAndEnableAUser() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("cli")
        let ops = try db.ops()
        let email = try ops.query("SELECT email FROM users WHERE id = \(tenant.userID)")[0].decode(String.self, at: 0)

        let demoted = try admin(db, ["user", "set-role", "--email", email, "--role", "viewer"])
        XCTAssertEqual(demoted.status, 0, demoted.output)
        XCTAssertEqual(try ops.query("SELECT role FROM users WHERE id = \(tenant.userID)")[0].decode(String.self, at: 0), "viewer")

        XCTAssertEqual(try admin(db, ["user", "disable", "--email", email]).status, 0)
        XCTAssertEqual(try ops.scalar("SELECT disabled FROM users WHERE id = \(tenant.userID)"), 1)
        XCTAssertEqual(try admin(db, ["user", "enable", "--email", email]).status, 0)
        XCTAssertEqual(try ops.scalar("SELECT disabled FROM users WHERE id = \(tenant.userID)"), 0)

        let history = try ops.query("SELECT operation, actor_user_id, db_user FROM user_history WHERE entity_id = \(tenant.userID) ORDER BY version")
            .map { try $0.decode((String, Int64?, String).self) }
        XCTAssertEqual(history.map(\.0), ["insert", "update", "update", "update"])
        XCTAssertTrue(history.allSatisfy { $0.1 == nil && $0.2.hasPrefix("dc_ops@") }, "operators' changes are recorded as dc_ops")
    }

    func testBadArgumentsAndUnknownUsersFailWithAMessage() throws {
        let db = try StackDatabase.require()
        let badRole = try admin(db, ["user", "set-role", "--email", "admin@demo.test", "--role", "owner"])
        XCTAssertNotEqual(badRole.status, 0)
        XCTAssertTrue(badRole.output.contains("--role must be admin, user or viewer"), badRole.output)
        let unknown = try admin(db, ["user", "disable", "--email", "nobody@nowhere.test"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.output.contains("no user with e-mail nobody@nowhere.test"), unknown.output)
    }

    func testTokenMintPrintsATokenThatTheAPIAccepts() throws {
        let db = try StackDatabase.require()
        let minted = try admin(db, ["token", "mint", "--user", "viewer@demo.test", "--ttl", "120"])
        XCTAssertEqual(minted.status, 0, minted.output)
        let token = minted.output.split(separator: "\n").last.map(String.init) ?? ""
        let me = try db.stack.http("GET", "/api/v1/me", headers: [("Authorization", "Bearer \(token)")])
        XCTAssertEqual(me.status, 200)
        XCTAssertEqual(try me.json()["email"] as? String, "viewer@demo.test")
    }
}
