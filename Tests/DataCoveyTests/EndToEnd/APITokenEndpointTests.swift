import DataCovey
import Foundation
import MariaDB
import TestSupport
import XCTest

/// `/api/v1/tokens` through nginx (issue 18): an admin makes a token and sees its secret once;
/// the token works beside JWTs with its own role until it is revoked or expires; its making,
/// uses and revocation are in the audit log; another tenant sees none of it.
final class APITokenEndpointTests: XCTestCase {
    static let refusal = "The API token is invalid, expired or revoked."

    private func expiry(days: Double = 30) -> String { Timestamp.format(Date().addingTimeInterval(days * 86_400)) }

    /// Makes a token as `admin` and returns its JSON and a caller that uses it.
    private func makeToken(_ admin: APICaller, name: String, role: String) throws -> ([String: Any], APICaller) {
        let created = try admin.call("POST", "/api/v1/tokens", json: ["name": name, "role": role, "expires_at": expiry()])
        XCTAssertEqual(created.status, 201, created.text)
        let body = try created.json()
        let secret = try XCTUnwrap(body["secret"] as? String)
        let userID = Int64(try XCTUnwrap(body["user_id"] as? Int))
        return (body, APICaller(db: admin.db, token: secret, userID: userID))
    }

    private func detail(_ response: HTTPTestClient.Response) -> String? { (try? response.json())?["detail"] as? String }

    func testAnAdminMakesAUsableTokenSeesItsSecretOnceAndRevokesIt() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("tokens")
        let admin = try db.caller(tenant, .admin)
        let started = Timestamp.format(Date().addingTimeInterval(-1))

        let created = try admin.call("POST", "/api/v1/tokens", json: ["name": "loader", "role": "viewer", "expires_at": expiry()])
        XCTAssertEqual(created.status, 201, created.text)
        XCTAssertEqual(created.headers["cache-control"], "no-store")
        let body = try created.json()
        let id = try XCTUnwrap(body["id"] as? Int)
        XCTAssertEqual(created.headers["location"], "/api/v1/tokens/\(id)")
        let secret = try XCTUnwrap(body["secret"] as? String)
        XCTAssertNotNil(secret.range(of: "^dct_[A-Za-z0-9_-]{43}$", options: .regularExpression), secret)
        XCTAssertEqual(body["prefix"] as? String, String(secret.prefix(12)))
        XCTAssertEqual(body["role"] as? String, "viewer")
        XCTAssertEqual(body["state"] as? String, "active")
        XCTAssertEqual(body["uses"] as? Int, 0)
        XCTAssertEqual(body["created_by"] as? Int, Int(admin.userID))
        XCTAssertTrue(body["last_used_at"] is NSNull)

        // Never again: not in the list, not in one token's answer, not in the database.
        let list = try admin.call("GET", "/api/v1/tokens")
        XCTAssertEqual(list.status, 200)
        XCTAssertFalse(list.text.contains(String(secret.dropFirst(12))))
        let items = try list.json()["items"] as? [[String: Any]] ?? []
        XCTAssertEqual(items.map { $0["id"] as? Int }, [id])
        XCTAssertNil(items[0]["secret"])
        XCTAssertEqual(items[0]["prefix"] as? String, String(secret.prefix(12)))
        XCTAssertFalse(try admin.call("GET", "/api/v1/tokens/\(id)").text.contains(String(secret.dropFirst(12))))
        let ops = try db.ops()
        defer { ops.close() }
        XCTAssertEqual(try ops.scalar("SELECT token_hash = UNHEX(SHA2(\(secret), 256)) FROM api_tokens WHERE id = \(id)"), 1)
        XCTAssertEqual(try ops.scalar("SELECT COUNT(*) FROM idempotency_keys WHERE response_body LIKE \("%" + secret.dropFirst(12) + "%")"), 0)

        // The token reads with its role and cannot write; it acts as its own user.
        let token = APICaller(db: db, token: secret, userID: Int64(try XCTUnwrap(body["user_id"] as? Int)))
        XCTAssertEqual(try token.call("GET", "/api/v1/projects").status, 200)
        let write = try token.call("POST", "/api/v1/projects", json: ["name": "by_viewer_token"])
        XCTAssertEqual(write.status, 403, write.text)
        let me = try token.call("GET", "/api/v1/me").json()
        XCTAssertEqual(me["role"] as? String, "viewer")
        XCTAssertEqual(me["id"] as? Int, body["user_id"] as? Int)

        // Revoked: refused at once, with the same answer as any bad token; a second DELETE is no error.
        XCTAssertEqual(try admin.call("DELETE", "/api/v1/tokens/\(id)").status, 204)
        let refused = try token.call("GET", "/api/v1/projects")
        XCTAssertEqual(refused.status, 401)
        XCTAssertEqual(detail(refused), Self.refusal)
        XCTAssertEqual(refused.headers["content-type"], "application/problem+json")
        XCTAssertEqual(try admin.call("DELETE", "/api/v1/tokens/\(id)").status, 204)

        let after = try admin.call("GET", "/api/v1/tokens/\(id)").json()
        XCTAssertEqual(after["state"] as? String, "revoked")
        XCTAssertEqual(after["revoked_by"] as? Int, Int(admin.userID))
        XCTAssertEqual(after["uses"] as? Int, 3, "GET, the refused POST and GET /me were each counted")
        XCTAssertFalse(after["last_used_at"] is NSNull)

        // The audit log: made and revoked by the admin, used (three times, in one hour's entry) by the token.
        let tokens = try admin.call("GET", "/api/v1/audit?kind=tokens&since=\(started)").json()["items"] as? [[String: Any]] ?? []
        XCTAssertEqual(tokens.map { "\($0["entity_id"] as? Int ?? 0) \($0["operation"] as? String ?? "") \(($0["changed_by"] as? [String: Any])?["id"] as? Int ?? 0)" },
                       ["\(id) update \(admin.userID)", "\(id) insert \(admin.userID)"])
        XCTAssertNil((tokens[0]["record"] as? [String: Any])?["token_hash"], "the hash stays out of the log")
        XCTAssertFalse((tokens[0]["record"] as? [String: Any])?["revoked_at"] is NSNull)
        let uses = try admin.call("GET", "/api/v1/audit?kind=token_uses&operation=use&since=\(started)").json()["items"] as? [[String: Any]] ?? []
        XCTAssertEqual(uses.count, 1)
        XCTAssertEqual(uses.first?["entity_id"] as? Int, id)
        XCTAssertEqual(uses.first?["operation"] as? String, "use")
        XCTAssertEqual((uses.first?["changed_by"] as? [String: Any])?["id"] as? Int, body["user_id"] as? Int)
        XCTAssertEqual((uses.first?["record"] as? [String: Any])?["uses"] as? Int, 3)
    }

    func testATokensWritesAreItsOwnAndItsRoleIsTheOneItWasMadeWith() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("tokwrite")
        let admin = try db.caller(tenant, .admin)
        let (body, token) = try makeToken(admin, name: "writer", role: "user")
        let created = try token.call("POST", "/api/v1/projects", json: ["name": "made_by_token"])
        XCTAssertEqual(created.status, 201, created.text)
        let project = try XCTUnwrap(try created.json()["id"] as? Int)
        let history = try admin.call("GET", "/api/v1/audit?kind=projects&user=\(token.userID)").json()["items"] as? [[String: Any]] ?? []
        XCTAssertEqual(history.map { $0["entity_id"] as? Int }, [project])
        XCTAssertEqual(((history.first?["changed_by"] as? [String: Any])?["email"] as? String)?.hasSuffix("@api-tokens.invalid"), true)

        // A user token is not an admin: no users, no tokens.
        XCTAssertEqual(try token.call("GET", "/api/v1/users").status, 403)
        XCTAssertEqual(try token.call("GET", "/api/v1/tokens").status, 403)

        // Raising the role of the token's user row changes nothing: the token's role decides.
        let ops = try db.ops()
        defer { ops.close() }
        try ops.execute("UPDATE users SET role = 'admin' WHERE id = \(token.userID)")
        XCTAssertEqual(try token.call("GET", "/api/v1/users").status, 403)
        XCTAssertEqual(try token.call("GET", "/api/v1/me").json()["role"] as? String, "user")

        // Tenant admins cannot enable, re-role or delete that row: it is managed through the token.
        for change in [["disabled": false], ["role": "viewer"]] as [[String: Any]] {
            XCTAssertEqual(try admin.call("PATCH", "/api/v1/users/\(token.userID)", json: change).status, 409, "\(change)")
        }
        XCTAssertEqual(try admin.call("DELETE", "/api/v1/users/\(token.userID)").status, 409)
        // The token's user row can never sign in with a JWT: it is disabled.
        XCTAssertEqual(try ops.scalar("SELECT disabled FROM users WHERE id = \(token.userID)"), 1)
        XCTAssertEqual(body["role"] as? String, "user")

        // An admin token cannot make tokens (a successor would outlive its revocation).
        let (_, adminToken) = try makeToken(admin, name: "admin-bot", role: "admin")
        XCTAssertEqual(try adminToken.call("GET", "/api/v1/users").status, 200)
        let minted = try adminToken.call("POST", "/api/v1/tokens", json: ["name": "child", "role": "viewer", "expires_at": expiry()])
        XCTAssertEqual(minted.status, 403, minted.text)
        XCTAssertEqual(try adminToken.call("GET", "/api/v1/tokens").status, 403)
    }

    func testOnlyAdminsManageTokensAndOnlyTheirTenants() throws {
        let db = try StackDatabase.require()
        let (tenant, other) = try db.makeTwoTenants("tokscope")
        let admin = try db.caller(tenant, .admin)
        let stranger = try db.caller(other, .admin)
        for role in [Role.user, .viewer] {
            let caller = try db.caller(tenant, role)
            XCTAssertEqual(try caller.call("POST", "/api/v1/tokens", json: ["name": "x", "role": "viewer", "expires_at": expiry()]).status, 403)
            XCTAssertEqual(try caller.call("GET", "/api/v1/tokens").status, 403)
        }
        let (body, token) = try makeToken(admin, name: "mine", role: "admin")
        let id = try XCTUnwrap(body["id"] as? Int)

        // Another tenant's admin: 404 for the id, an empty list, and the token still works.
        XCTAssertEqual(try stranger.call("DELETE", "/api/v1/tokens/\(id)").status, 404)
        XCTAssertEqual(try stranger.call("GET", "/api/v1/tokens/\(id)").status, 404)
        XCTAssertEqual((try stranger.call("GET", "/api/v1/tokens").json()["items"] as? [Any])?.count, 0)
        XCTAssertEqual(try token.call("GET", "/api/v1/projects").status, 200)
        // A viewer of the token's own tenant gets 403 for it (it exists); absent ids are 404.
        XCTAssertEqual(try db.caller(tenant, .viewer).call("DELETE", "/api/v1/tokens/\(id)").status, 403)
        XCTAssertEqual(try admin.call("DELETE", "/api/v1/tokens/999999999").status, 404)

        // Tenant A's token never sees tenant B's data.
        let theirs = try stranger.call("POST", "/api/v1/projects", json: ["name": "theirs"])
        let theirID = try XCTUnwrap(try theirs.json()["id"] as? Int)
        let mine = try admin.call("POST", "/api/v1/projects", json: ["name": "ours"])
        let mineID = try XCTUnwrap(try mine.json()["id"] as? Int)
        let seen = try token.call("GET", "/api/v1/projects?limit=1000").json()["items"] as? [[String: Any]] ?? []
        XCTAssertEqual(seen.compactMap { $0["id"] as? Int }, [mineID])
        XCTAssertEqual(try token.call("GET", "/api/v1/projects/\(theirID)").status, 404)
        XCTAssertEqual(try token.call("DELETE", "/api/v1/projects/\(theirID)").status, 404)
        let audit = try token.call("GET", "/api/v1/audit?limit=1000").json()["items"] as? [[String: Any]] ?? []
        XCTAssertFalse(audit.contains { $0["kind"] as? String == "projects" && $0["entity_id"] as? Int == theirID })
        // Nor does the other tenant's audit log show this tenant's tokens.
        let strangerAudit = try stranger.call("GET", "/api/v1/audit?limit=1000").json()["items"] as? [[String: Any]] ?? []
        XCTAssertFalse(strangerAudit.contains { ($0["kind"] as? String)?.hasPrefix("token") == true })
    }

    func testExpiredMalformedAndUnknownTokensAreRefusedAlike() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("tokbad")
        let admin = try db.caller(tenant, .admin)
        let (body, token) = try makeToken(admin, name: "short-lived", role: "viewer")
        XCTAssertEqual(try token.call("GET", "/api/v1/me").status, 200)
        let ops = try db.ops()
        defer { ops.close() }
        try ops.execute("UPDATE api_tokens SET expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE id = \(body["id"] as? Int ?? 0)")
        let expired = try token.call("GET", "/api/v1/me")
        XCTAssertEqual(expired.status, 401)
        XCTAssertEqual(detail(expired), Self.refusal)
        XCTAssertEqual(try admin.call("GET", "/api/v1/tokens/\(body["id"] as? Int ?? 0)").json()["state"] as? String, "expired")

        let unknown = "dct_" + String(repeating: "A", count: 43)
        for credential in ["dct_", "dct_short", unknown, "dct_" + String(repeating: "A", count: 42) + "%",
                           "dct_<script>alert(1)</script>" + String(repeating: "x", count: 20), token.token + "A"] {
            let response = try db.stack.http("GET", "/api/v1/projects", headers: [("Authorization", "Bearer \(credential)")], body: [])
            XCTAssertEqual(response.status, 401, credential)
            XCTAssertEqual(detail(response), Self.refusal, credential)
            XCTAssertFalse(response.text.contains(credential), "the answer never repeats the credential")
        }
        // A disabled tenant's tokens stop too.
        let (_, live) = try makeToken(admin, name: "live", role: "viewer")
        XCTAssertEqual(try live.call("GET", "/api/v1/me").status, 200)
        try ops.execute("UPDATE tenants SET disabled = 1 WHERE id = \(tenant.tenantID)")
        defer { _ = try? ops.execute("UPDATE tenants SET disabled = 0 WHERE id = \(tenant.tenantID)") }
        XCTAssertEqual(try live.call("GET", "/api/v1/me").status, 401)
    }

    func testTheInputIsCheckedFieldByField() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("tokinput")
        let admin = try db.caller(tenant, .admin)
        let cases: [([String: Any], String)] = [
            (["name": "x", "role": "viewer"], "expires_at"),
            (["name": "x", "role": "viewer", "expires_at": "tomorrow"], "expires_at"),
            (["name": "x", "role": "viewer", "expires_at": Timestamp.format(Date().addingTimeInterval(-60))], "expires_at"),
            (["name": "x", "role": "viewer", "expires_at": expiry(days: 367)], "expires_at"),
            (["name": "x", "role": "owner", "expires_at": expiry()], "role"),
            (["name": " ", "role": "viewer", "expires_at": expiry()], "name"),
            (["name": String(repeating: "n", count: 65), "role": "viewer", "expires_at": expiry()], "name"),
            (["name": "x", "role": "viewer", "expires_at": expiry(), "scopes": ["all"]], "scopes"),
        ]
        for (input, field) in cases {
            let response = try admin.call("POST", "/api/v1/tokens", json: input)
            XCTAssertEqual(response.status, 400, "\(input): \(response.text)")
            XCTAssertEqual(response.headers["content-type"], "application/problem+json")
            let errors = try response.json()["errors"] as? [[String: Any]] ?? []
            XCTAssertEqual(errors.first?["field"] as? String, field, "\(input)")
        }
        XCTAssertEqual((try admin.call("GET", "/api/v1/tokens").json()["items"] as? [Any])?.count, 0)
    }

    /// `datacovey-admin api-token`: operators list a tenant's tokens and revoke one.
    func testOperatorsListAndRevokeATenantsTokens() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("tokops")
        let admin = try db.caller(tenant, .admin)
        let (body, token) = try makeToken(admin, name: "nightly", role: "viewer")
        let id = try XCTUnwrap(body["id"] as? Int)
        let listed = try db.admin(["api-token", "list", tenant.tenantName])
        XCTAssertEqual(listed.status, 0, listed.output)
        XCTAssertTrue(listed.output.hasPrefix("\(id)\tnightly\t\(body["prefix"] as? String ?? "")\tviewer\tactive\t"), listed.output)
        XCTAssertFalse(listed.output.contains(String(token.token.dropFirst(12))))
        let revoked = try db.admin(["api-token", "revoke", tenant.tenantName, String(id)])
        XCTAssertEqual(revoked.status, 0, revoked.output)
        XCTAssertEqual(try token.call("GET", "/api/v1/me").status, 401)
        XCTAssertNotEqual(try db.admin(["api-token", "revoke", tenant.tenantName, "999999999"]).status, 0)
    }
}
