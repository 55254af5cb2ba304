import DataCovey
import Foundation
import TestSupport
import XCTest

/// CSV formula injection (OWASP): text cells that a spreadsheet would run — starting with `=`,
/// `+`, `-`, `@`, tab or carriage return — get a leading `'` in CSV meant for spreadsheets
/// (export files by default, the pages' downloads), and stay verbatim where a program asked
/// (`Accept: text/csv` on the API, `escape_formulas: false`, NDJSON).
final class CSVFormulaTests: XCTestCase {
    private let cells = ["=HYPERLINK(\"http://x\")", "+1", "-5", "@SUM(A1)", "\tx", "\rx", "plain", "a=b"]

    /// The CSV lines of the `label` column as each cell should be written.
    private func expectedLines(escaped: Bool) -> [String] {
        ["label", escaped ? "\"'=HYPERLINK(\"\"http://x\"\")\"" : "\"=HYPERLINK(\"\"http://x\"\")\"",
         escaped ? "'+1" : "+1", escaped ? "'-5" : "-5", escaped ? "'@SUM(A1)" : "@SUM(A1)", escaped ? "'\tx" : "\tx",
         escaped ? "\"'\rx\"" : "\"\rx\"", "plain", "a=b"]
    }

    private func lines(_ text: String) -> [String] {
        text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
    }

    func testExportsEscapeFormulasByDefaultAndOnRequestOnly() throws {
        let fixture = try QueryFixture.make("csvformula")
        let user = fixture.user
        let dataset = try user.call("GET", "/api/v1/projects/\(fixture.project)/datasets").json()["items"] as? [[String: Any]] ?? []
        let sales = dataset.first { $0["name"] as? String == "sales" }?["id"] as? Int ?? 0
        let table = try user.call("POST", "/api/v1/datasets/\(sales)/tables", json: [
            "name": "cells", "columns": [["name": "id", "type": "int64", "primary_key": true], ["name": "label", "type": "string"]],
        ]).json()["id"] as? Int ?? 0
        let rows = cells.enumerated().map { ["id": $0.offset + 1, "label": $0.element] as [String: Any] }
        XCTAssertEqual(try user.call("POST", "/api/v1/tables/\(table)/rows", json: rows).status, 201)

        func exported(_ options: [String: Any]) throws -> String {
            let started = try user.call("POST", "/api/v1/tables/\(table)/exports", json: options.merging(["columns": ["label"]]) { $1 })
            XCTAssertEqual(started.status, 202, started.text)
            let job = try user.awaitJob(started.headers["location"] ?? "")
            XCTAssertEqual(job["status"] as? String, "completed", "\(job)")
            return try user.call("GET", "/api/v1/exports/\(job["id"] as? Int ?? 0)/download").text
        }
        XCTAssertEqual(lines(try exported([:])), expectedLines(escaped: true))
        XCTAssertEqual(lines(try exported(["escape_formulas": true])), expectedLines(escaped: true))
        XCTAssertEqual(lines(try exported(["escape_formulas": false])), expectedLines(escaped: false))
        let ndjson = try exported(["format": "ndjson"])
        XCTAssertTrue(ndjson.contains("{\"label\":\"=HYPERLINK(\\\"http://x\\\")\"}"), ndjson)
        let refused = try user.call("POST", "/api/v1/tables/\(table)/exports", json: ["format": "ndjson", "escape_formulas": true])
        XCTAssertEqual(refused.status, 400)
        XCTAssertEqual((try refused.json()["errors"] as? [[String: Any]])?.first?["field"] as? String, "escape_formulas")

        // Query answers: verbatim for a program unless it asks.
        let sql = "SELECT label FROM sales.cells ORDER BY id"
        XCTAssertEqual(lines(try fixture.query(sql, headers: [("Accept", "text/csv")]).text), expectedLines(escaped: false))
        let asked = try user.call("POST", "/api/v1/projects/\(fixture.project)/query", json: ["sql": sql, "escape_formulas": true],
                                  headers: [("Accept", "text/csv")])
        XCTAssertEqual(lines(asked.text), expectedLines(escaped: true))
        let json = try fixture.query(sql)
        XCTAssertEqual((try json.json()["rows"] as? [[String]])?.map { $0[0] }, cells, "JSON is never changed")

        // The query page's CSV download is for spreadsheets: escaped.
        let ops = try fixture.db.ops()
        defer { ops.close() }
        let subject = try ops.query("SELECT auth0_sub FROM users WHERE id = \(user.userID)")[0].decode(String.self, at: 0)
        let browser = BrowserClient(db: fixture.db)
        _ = try browser.signIn(subject: subject)
        let page = try browser.get("/projects/\(fixture.project)/query")
        let csrf = try XCTUnwrap(BrowserClient.csrfToken(in: page.text))
        let download = try browser.post("/projects/\(fixture.project)/query", form: [("sql", sql), ("format", "csv"), ("csrf_token", csrf)])
        XCTAssertEqual(download.status, 200, download.text)
        XCTAssertEqual(lines(download.text), expectedLines(escaped: true))
    }
}
