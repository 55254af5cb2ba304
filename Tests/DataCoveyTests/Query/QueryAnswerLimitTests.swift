import DataCovey
import Foundation
import TestSupport
import XCTest

/// What bounds a query answer besides its rows (issue 19, items 2 and 6): its bytes, the size of
/// one row, and the names of its columns, which never show a physical `dcd_…`/`tbl_…` name.
final class QueryAnswerLimitTests: XCTestCase {
    /// The responder's peak resident memory (`VmHWM`), in bytes.
    private func responderPeakBytes() throws -> Int {
        let ctl = try XCTUnwrap(ProcessInfo.processInfo.environment["DATACOVEY_TEST_STACKCTL"])
        let (status, output) = try ChildProcess.run([ctl, "responder-pid"], environment: ProcessInfo.processInfo.environment)
        XCTAssertEqual(status, 0)
        let pid = output.trimmingCharacters(in: .whitespacesAndNewlines)
        let lines = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8).split(separator: "\n")
        let line = try XCTUnwrap(lines.first { $0.hasPrefix("VmHWM:") })
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
    }

    /// The probe's query: 24 rows of 8 MiB each, 192 MiB in all, as a viewer. The answer stops at
    /// the byte limit (32 MiB by default): three rows, `truncated_by: bytes`; the server stops
    /// sending too, and the responder's memory stays bounded.
    func testAnAnswerStopsAtItsByteLimitAndMemoryStaysBounded() throws {
        let fixture = try QueryFixture.make("qbytes")
        let viewer = try fixture.db.caller(fixture.tenant, .viewer)
        let response = try fixture.query("""
            WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM r WHERE n<24) SELECT n, REPEAT('x', 8388608) FROM r
            """, as: viewer)
        XCTAssertEqual(response.status, 200, String(response.text.prefix(300)))
        let body = try response.json()
        XCTAssertEqual(body["row_count"] as? Int, 3)
        XCTAssertEqual(body["truncated"] as? Bool, true)
        XCTAssertEqual(body["truncated_by"] as? String, "bytes")
        let rows = body["rows"] as? [[Any]] ?? []
        XCTAssertEqual(rows.map { $0.first as? Int }, [1, 2, 3])
        XCTAssertEqual((rows.first?.last as? String)?.utf8.count, 8_388_608)
        XCTAssertEqual(response.headers["datacovey-truncated"], "true")
        // The answer was written in pieces (no Content-Length) and held once: the responder's
        // peak stays far from the 515 MB the probe saw (a debug build idles near 50 MB).
        XCTAssertLessThan(try responderPeakBytes(), 160 << 20)
        // The project's next query runs normally on a fresh connection.
        XCTAssertEqual(try rowsText(try fixture.query("SELECT COUNT(*) FROM orders", as: viewer)), "[[3]]")
    }

    /// One row larger than a query connection accepts (16 MiB) is refused with a reason,
    /// whatever the byte limit of the whole answer.
    func testARowLargerThanTheRowLimitIsRefusedWithAReason() throws {
        let fixture = try QueryFixture.make("qrowbytes")
        let response = try fixture.query("SELECT REPEAT('a', 8388608) a, REPEAT('b', 8388608) b, REPEAT('c', 8388608) c")
        XCTAssertEqual(response.status, 400, String(response.text.prefix(300)))
        XCTAssertEqual(try response.json()["detail"] as? String,
                       "The answer could not be read: a row of the result is larger than 16 MiB (the most one row may hold), "
                       + "or the connection to the database broke. Select fewer or shorter columns, or try again.")
        let runs = try fixture.user.call("GET", "/api/v1/projects/\(fixture.project)/runs").json()["items"] as? [[String: Any]]
        XCTAssertEqual(runs?.first?["status"] as? String, "failed")
        XCTAssertEqual(try rowsText(try fixture.query("SELECT COUNT(*) FROM orders")), "[[3]]")
    }

    /// A column named by its expression is named as the user wrote it, not with the physical
    /// names the server ran; in JSON, CSV and a dry run's plan alike.
    func testColumnNamesNeverShowPhysicalNames() throws {
        let fixture = try QueryFixture.make("qcolnames")
        let sql = "SELECT (SELECT COUNT(*) FROM orders) , (SELECT MAX(id) FROM sales.orders o), (SELECT MIN(id) FROM crm.customers) AS c"
        let response = try fixture.query(sql)
        XCTAssertEqual(response.status, 200, response.text)
        let names = (try response.json()["columns"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        XCTAssertEqual(names, ["(SELECT COUNT(*) FROM orders)", "(SELECT MAX(id) FROM sales.orders o)", "c"])
        let csv = try fixture.query(sql, headers: [("Accept", "text/csv")])
        XCTAssertEqual(csv.text.split(separator: "\r\n").first, "(SELECT COUNT(*) FROM orders),(SELECT MAX(id) FROM sales.orders o),c")
        for answer in [response.text, csv.text] {
            XCTAssertFalse(answer.contains("dcd_") || answer.contains("tbl_"), answer)
        }
        let procedure = try fixture.query("SELECT id FROM orders PROCEDURE ANALYSE()")
        XCTAssertEqual(procedure.status, 400)
        XCTAssertFalse(procedure.text.contains("dcd_") || procedure.text.contains("tbl_"), procedure.text)
    }
}
