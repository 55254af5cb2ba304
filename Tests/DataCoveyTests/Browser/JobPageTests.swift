import DataCovey
import Foundation
import MariaDB
import TestSupport
import XCTest

/// Import pages say what a dry run did (issue 18, defect 3): nothing was loaded, and the count
/// is what would load, on the job's page and in the table's job list.
final class JobPageTests: XCTestCase {
    func testADryRunImportIsLabelledAndSaysWhatWouldLoad() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("dryrunpage")
        let admin = try db.caller(tenant, .admin)
        let table = try admin.makeTable(columns: [["name": "id", "type": "int64"]]).table
        let started = try admin.call("POST", "/api/v1/tables/\(table)/imports?dry_run=true", body: Array("id\n1\n2\n3\n".utf8),
                                     headers: [("Content-Type", "text/csv")])
        let job = try admin.awaitJob(started.headers["location"] ?? "")
        XCTAssertEqual(job["status"] as? String, "completed")
        let ops = try db.ops()
        defer { ops.close() }
        let subject = try ops.query("SELECT auth0_sub FROM users WHERE id = \(admin.userID)")[0].decode(String.self, at: 0)
        let browser = BrowserClient(db: db)
        _ = try browser.signIn(subject: subject)
        let page = try browser.get("/imports/\(job["id"] as? Int ?? 0)")
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.text.contains("<h1>Import \(job["id"] as? Int ?? 0) (dry run)</h1>"), page.text)
        XCTAssertTrue(page.text.contains("nothing was loaded into the table"))
        XCTAssertTrue(page.text.contains("<dt>Rows that would load</dt><dd>3</dd>"), page.text)
        XCTAssertFalse(page.text.contains("<dt>Rows loaded</dt>"))
        let tablePage = try browser.get("/tables/\(table)?tab=jobs")
        XCTAssertTrue(tablePage.text.contains("(dry run)</a>"), tablePage.text)
        XCTAssertTrue(tablePage.text.contains("dry run: would load 3 rows, loaded none"), tablePage.text)
    }
}
