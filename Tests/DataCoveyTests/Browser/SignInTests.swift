import DataCovey
import Foundation
import MariaDB
import TestSupport
import XCTest

/// Browser sign-in through the embedded development provider (the same OpenID Connect code
/// path Auth0 gets: authorize redirect, state, code exchange from the server, PKCE, ID token by
/// JWKS, nonce), the session cookie, CSRF on forms, roles on pages, and sign-out.
final class SignInTests: XCTestCase {
    private func subject(_ db: StackDatabase, _ userID: Int64) throws -> String {
        let ops = try db.ops()
        defer { ops.close() }
        return try ops.query("SELECT auth0_sub FROM users WHERE id = \(userID)")[0].decode(String.self, at: 0)
    }

    func testSignInOpensASessionWithAHostCookieAndSignOutRevokesIt() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("signin")
        let browser = BrowserClient(db: db)
        XCTAssertEqual(try browser.get("/projects").headers["location"], "/login", "no session: to the sign-in page")
        let page = try browser.get("/login")
        XCTAssertEqual(page.status, 200)
        XCTAssertEqual(page.headers["content-type"], "text/html; charset=utf-8")
        XCTAssertTrue(page.text.contains("<h1>Sign in</h1>"))

        let start = try browser.get("/auth/start")
        XCTAssertEqual(start.status, 303)
        let authorize = try XCTUnwrap(URLComponents(string: start.headers["location"] ?? ""))
        let query = Dictionary(uniqueKeysWithValues: (authorize.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        XCTAssertEqual(authorize.path, "/auth/dev/authorize")
        XCTAssertEqual(query["response_type"], "code")
        XCTAssertEqual(query["code_challenge_method"], "S256")
        XCTAssertEqual(query["code_challenge"]?.count, 43)
        XCTAssertEqual(query["state"]?.count, 43)
        XCTAssertEqual(query["nonce"]?.count, 43)
        XCTAssertTrue(browser.setCookies.contains { $0.hasPrefix("__Host-dc_signin=") && $0.hasSuffix("; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=600") })

        // The development provider lists local users; choosing one comes back with a code.
        let listing = try browser.get(try XCTUnwrap(BrowserClient.local(start.headers["location"])))
        XCTAssertTrue(listing.text.contains("Development sign-in"))
        let sub = try subject(db, tenant.userID)
        let chosen = try browser.get(try XCTUnwrap(BrowserClient.local(start.headers["location"])) + "&login_hint=" + BrowserClient.escape(sub))
        XCTAssertEqual(chosen.status, 303)
        let callback = try browser.get(try XCTUnwrap(BrowserClient.local(chosen.headers["location"])))
        XCTAssertEqual(callback.status, 303, callback.text)
        XCTAssertEqual(callback.headers["location"], "/projects")
        let sessionCookie = try XCTUnwrap(browser.setCookies.first { $0.hasPrefix("__Host-dc_session=") })
        XCTAssertTrue(sessionCookie.hasSuffix("; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=43200"), sessionCookie)
        XCTAssertNil(browser.cookies["__Host-dc_signin"], "the sign-in cookie is cleared")
        let token = try XCTUnwrap(browser.cookies["__Host-dc_session"])
        let ops = try db.ops()
        defer { ops.close() }
        XCTAssertEqual(try ops.scalar("SELECT COUNT(*) FROM web_sessions WHERE token_hash = UNHEX(SHA2(\(token), 256))"), 1,
                       "only the token's hash is stored")

        let projects = try browser.get("/projects")
        XCTAssertEqual(projects.status, 200)
        XCTAssertTrue(projects.text.contains("<h1>Projects</h1>"))
        XCTAssertTrue(projects.text.contains(tenant.tenantName), "the page names the tenant")
        XCTAssertTrue(projects.text.contains("admin"), "and the role")

        // Sign-out needs the form's CSRF token, then the cookie is worthless even if kept.
        XCTAssertEqual(try browser.post("/logout", form: []).status, 403)
        let csrf = try XCTUnwrap(BrowserClient.csrfToken(in: projects.text))
        let out = try browser.post("/logout", form: [("csrf_token", csrf)])
        XCTAssertEqual(out.status, 303)
        XCTAssertEqual(out.headers["location"], "/login")
        browser.set("__Host-dc_session", token)
        XCTAssertEqual(try browser.get("/projects").headers["location"], "/login", "a revoked session no longer works")
    }

    func testAWrongStateAForgedSignInCookieAndAWrongVerifierFailSignIn() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("signinbad")
        let sub = try subject(db, tenant.userID)
        let browser = BrowserClient(db: db)
        let start = try browser.get("/auth/start")
        let authorize = try XCTUnwrap(BrowserClient.local(start.headers["location"]))
        let chosen = try browser.get(authorize + "&login_hint=" + BrowserClient.escape(sub))
        var callback = try XCTUnwrap(URLComponents(string: chosen.headers["location"] ?? ""))
        let code = callback.queryItems?.first { $0.name == "code" }?.value ?? ""
        callback.queryItems = [URLQueryItem(name: "code", value: code), URLQueryItem(name: "state", value: "not-the-state")]
        let wrongState = try browser.get(try XCTUnwrap(BrowserClient.local(callback.string)))
        XCTAssertEqual(wrongState.status, 400)
        XCTAssertTrue(wrongState.text.contains("does not belong to this sign-in (state)"), wrongState.text)
        XCTAssertNil(browser.cookies["__Host-dc_session"])

        // A sign-in cookie not signed by the server is no sign-in.
        let again = try browser.get("/auth/start")
        let chosenAgain = try browser.get(try XCTUnwrap(BrowserClient.local(again.headers["location"])) + "&login_hint=" + BrowserClient.escape(sub))
        let signed = try XCTUnwrap(browser.cookies["__Host-dc_signin"])
        browser.set("__Host-dc_signin", String(signed.dropLast(2)) + (signed.hasSuffix("AA") ? "BB" : "AA"))
        let forged = try browser.get(try XCTUnwrap(BrowserClient.local(chosenAgain.headers["location"])))
        XCTAssertEqual(forged.status, 400)
        XCTAssertTrue(forged.text.contains("The sign-in expired or was started in another browser"), forged.text)
        XCTAssertNil(browser.cookies["__Host-dc_session"])

        // The token endpoint checks PKCE: a code with the wrong verifier gets no ID token.
        let third = try browser.get("/auth/start")
        let thirdChosen = try browser.get(try XCTUnwrap(BrowserClient.local(third.headers["location"])) + "&login_hint=" + BrowserClient.escape(sub))
        let thirdCode = URLComponents(string: thirdChosen.headers["location"] ?? "")?.queryItems?.first { $0.name == "code" }?.value ?? ""
        let exchange = try browser.post("/auth/dev/token", form: [
            ("grant_type", "authorization_code"), ("code", thirdCode), ("client_id", "datacovey-local"),
            ("redirect_uri", db.stack.environment["DATACOVEY_PUBLIC_URL", default: ""] + "/auth/callback"),
            ("code_verifier", String(repeating: "x", count: 43)),
        ])
        XCTAssertEqual(exchange.status, 400)
        XCTAssertEqual(try exchange.json()["error"] as? String, "invalid_grant")
        // The code was used up by that attempt: the real callback fails too.
        let late = try browser.get(try XCTUnwrap(BrowserClient.local(thirdChosen.headers["location"])))
        XCTAssertEqual(late.status, 400)
        XCTAssertTrue(late.text.contains("did not accept the sign-in"), late.text)
    }

    func testFormsNeedTheSessionsCSRFTokenAndViewersSeeNoEditForms() throws {
        let db = try StackDatabase.require()
        let (tenant, other) = try db.makeTwoTenants("forms")
        let admin = BrowserClient(db: db)
        try admin.signIn(subject: try subject(db, tenant.userID))
        let page = try admin.get("/projects")
        XCTAssertTrue(page.text.contains("<form method=\"post\" action=\"/projects\""), "a user or admin may create")
        let csrf = try XCTUnwrap(BrowserClient.csrfToken(in: page.text))

        XCTAssertEqual(try admin.post("/projects", form: [("name", "nocsrf")]).status, 403)
        XCTAssertEqual(try admin.post("/projects", form: [("name", "wrongcsrf"), ("csrf_token", String(csrf.reversed()))]).status, 403)
        let created = try admin.post("/projects", form: [("name", "from_form"), ("description", "made in a browser"), ("csrf_token", csrf)])
        XCTAssertEqual(created.status, 303)
        let listed = try admin.get("/projects").text
        XCTAssertTrue(listed.contains(">from_form</a>"))
        XCTAssertTrue(listed.contains("made in a browser"))

        // A bad name is shown next to its field, with what was typed kept; nothing is created.
        let bad = try admin.post("/projects", form: [("name", "bad name!"), ("description", "kept <b>text</b>"), ("csrf_token", csrf)])
        XCTAssertEqual(bad.status, 422)
        XCTAssertTrue(bad.text.contains("aria-invalid=\"true\" aria-describedby=\"name-error\""), bad.text)
        XCTAssertTrue(bad.text.contains("value=\"bad name!\""))
        XCTAssertTrue(bad.text.contains("kept &lt;b&gt;text&lt;/b&gt;"), "input is kept, and escaped")
        let taken = try admin.post("/projects", form: [("name", "from_form"), ("csrf_token", csrf)])
        XCTAssertEqual(taken.status, 409)
        XCTAssertTrue(taken.text.contains("already exists"), taken.text)

        // A viewer sees no form, and a forged POST (with their own valid token) is refused.
        let ops = try db.ops()
        defer { ops.close() }
        let viewerUser = try TenantDirectory(connection: ops).addUser(
            tenant: tenant.tenantName, email: "viewer-\(UInt32.random(in: 0..<UInt32.max))@forms.test", name: "Vera Viewer", role: .viewer)
        let viewer = BrowserClient(db: db)
        try viewer.signIn(subject: try XCTUnwrap(viewerUser.subject))
        let viewerPage = try viewer.get("/projects")
        XCTAssertEqual(viewerPage.status, 200)
        XCTAssertTrue(viewerPage.text.contains(">from_form</a>"))
        XCTAssertFalse(viewerPage.text.contains("action=\"/projects\""), "no edit form for a viewer")
        let viewerCSRF = try XCTUnwrap(BrowserClient.csrfToken(in: viewerPage.text))
        let forged = try viewer.post("/projects", form: [("name", "by_viewer"), ("csrf_token", viewerCSRF)])
        XCTAssertEqual(forged.status, 403)
        XCTAssertTrue(forged.text.contains("<h1>Not allowed</h1>"))
        XCTAssertFalse(forged.text.contains("{\""), "an HTML page, not JSON")

        // Another tenant's admin sees none of it.
        let stranger = BrowserClient(db: db)
        try stranger.signIn(subject: try subject(db, other.userID))
        XCTAssertFalse(try stranger.get("/projects").text.contains("from_form"))
    }
}
