import DataCovey
import Foundation
import MariaDB
import TestSupport
import XCTest

/// The table page's row edit and delete name a row by its hidden row id, so a table without a
/// primary key — even with two identical rows — has each row edited and deleted alone, audited
/// as the API's changes are.
final class RowPageTests: XCTestCase {
    private func signedIn(_ db: StackDatabase, _ caller: APICaller) throws -> (BrowserClient, String) {
        let ops = try db.ops()
        defer { ops.close() }
        let subject = try ops.query("SELECT auth0_sub FROM users WHERE id = \(caller.userID)")[0].decode(String.self, at: 0)
        let browser = BrowserClient(db: db)
        _ = try browser.signIn(subject: subject)
        return (browser, try XCTUnwrap(BrowserClient.csrfToken(in: try browser.get("/projects").text)))
    }

    func testARowOfATableWithoutAKeyIsEditedAndDeletedAlone() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("rowpages")
        let user = try db.caller(tenant, .user)
        let table = try user.makeTable(columns: [["name": "n", "type": "int64"], ["name": "note", "type": "text"]]).table
        XCTAssertEqual(try user.call("POST", "/api/v1/tables/\(table)/rows", json: [["n": 1, "note": "same"], ["n": 1, "note": "same"]]).status, 201)
        let (browser, csrf) = try signedIn(db, user)

        let page = try browser.get("/tables/\(table)")
        XCTAssertTrue(page.text.contains(#"href="/tables/\#(table)/rows/2/edit" id="edit-row-2""#), "each row links its own edit")
        let form = try browser.get("/tables/\(table)/rows/2/edit")
        XCTAssertEqual(form.status, 200)
        XCTAssertTrue(form.text.contains(#"name="value.note" value="same""#))
        let edited = try browser.post("/tables/\(table)/rows/2/edit", form: [("csrf_token", csrf), ("set.note", "null"), ("value.note", "")])
        XCTAssertEqual(edited.status, 303, edited.text)
        XCTAssertEqual(edited.headers["location"], "/tables/\(table)?tab=data&changed=1#row-count")
        let rows = { try user.call("GET", "/api/v1/tables/\(table)/rows").text }
        XCTAssertEqual(try rows(), #"{"items":[{"n":1,"note":"same"},{"n":1,"note":null}],"next_cursor":null}"#)

        let refused = try browser.post("/tables/\(table)/rows/1/edit", form: [("csrf_token", csrf), ("value.n", "one")])
        XCTAssertEqual(refused.status, 422)
        XCTAssertTrue(refused.text.contains(#"<p class="dc-error" id="row-problem-1">n must be an integer</p>"#), refused.text)
        XCTAssertTrue(refused.text.contains(#"value="one" aria-invalid="true""#))

        XCTAssertEqual(try browser.get("/tables/\(table)/rows/1/delete").status, 200)
        let deleted = try browser.post("/tables/\(table)/rows/1/delete", form: [("csrf_token", csrf)])
        XCTAssertEqual(deleted.status, 303)
        XCTAssertEqual(try rows(), #"{"items":[{"n":1,"note":null}],"next_cursor":null}"#)
        // Gone: its pages and a second delete are 404; a form without the CSRF token is 403.
        XCTAssertEqual(try browser.get("/tables/\(table)/rows/1/edit").status, 404)
        XCTAssertEqual(try browser.post("/tables/\(table)/rows/1/delete", form: [("csrf_token", csrf)]).status, 404)
        XCTAssertEqual(try browser.post("/tables/\(table)/rows/2/delete", form: []).status, 403)
        XCTAssertEqual(try rows(), #"{"items":[{"n":1,"note":null}],"next_cursor":null}"#)

        let entries = (try db.caller(tenant, .admin).call("GET", "/api/v1/audit?kind=rows").json()["items"] as? [[String: Any]] ?? [])
            .sorted { ($0["version"] as? Int ?? 0) < ($1["version"] as? Int ?? 0) }
        XCTAssertEqual(entries.map { entry -> String in
            let record = entry["record"] as? [String: Any] ?? [:]
            return "\(entry["operation"] ?? "") \(record["rows"] ?? "") \(record["filter"] ?? "") by \((entry["changed_by"] as? [String: Any])?["id"] ?? "")"
        }, ["insert 2  by \(user.userID)", "update 1 _dc_row_id=eq.2 by \(user.userID)", "delete 1 _dc_row_id=eq.1 by \(user.userID)"])
    }
}
