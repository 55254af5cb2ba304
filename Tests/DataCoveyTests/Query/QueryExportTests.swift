import DataCovey
import Foundation
import TestSupport
import XCTest

/// Exports with a saved query as their source: run by the real worker as the project's own
/// account, with no row cap, downloaded through nginx.
final class QueryExportTests: XCTestCase {
    private func savedQuery(_ fixture: QueryFixture, _ body: [String: Any]) throws -> Int {
        let response = try fixture.user.call("POST", "/api/v1/projects/\(fixture.project)/queries", json: body)
        XCTAssertEqual(response.status, 201, response.text)
        return try response.json()["id"] as? Int ?? 0
    }

    private func export(_ fixture: QueryFixture, _ query: Int, _ options: [String: Any]) throws -> [String: Any] {
        let started = try fixture.user.call("POST", "/api/v1/queries/\(query)/exports", json: options)
        XCTAssertEqual(started.status, 202, started.text)
        XCTAssertEqual(try started.json()["query_id"] as? Int, query)
        return try fixture.user.awaitJob(started.headers["location"] ?? "")
    }

    func testAQueryExportsItsWholeResultAsCSVAndNDJSON() throws {
        let fixture = try QueryFixture.make("qexport")
        let query = try savedQuery(fixture, [
            "name": "by_customer",
            "sql": """
                SELECT c.name, o.id, o.amount, o.at, o.paid FROM sales.orders o JOIN crm.customers c ON c.id = o.customer
                 WHERE o.day >= :since ORDER BY o.id
                """,
            "parameters": [["name": "since", "type": "date", "default": "2026-01-03"]],
        ])
        let csv = try export(fixture, query, ["format": "csv"])
        XCTAssertEqual(csv["status"] as? String, "completed", "\(csv)")
        XCTAssertEqual(csv["rows_exported"] as? Int, 2)
        let file = try fixture.user.call("GET", "/api/v1/exports/\(csv["id"] as? Int ?? 0)/download")
        XCTAssertEqual(file.status, 200)
        XCTAssertEqual(file.headers["content-disposition"], "attachment; filename=\"by_customer-\(csv["id"] as? Int ?? 0).csv\"")
        XCTAssertEqual(file.text, "name,id,amount,at,paid\r\n"
            + "Ada,2,7.25,2026-01-03T11:30:00.000000Z,false\r\n"
            + "Grace,3,100.00,2026-02-01T00:00:00.000000Z,true\r\n")

        let ndjson = try export(fixture, query, ["format": "ndjson", "params": ["since": "2026-02-01"]])
        XCTAssertEqual(ndjson["status"] as? String, "completed", "\(ndjson)")
        let lines = try fixture.user.call("GET", "/api/v1/exports/\(ndjson["id"] as? Int ?? 0)/download").text
        XCTAssertEqual(lines, #"{"name":"Grace","id":3,"amount":"100.00","at":"2026-02-01T00:00:00.000000Z","paid":true}"# + "\n")

        let listed = try fixture.user.call("GET", "/api/v1/queries/\(query)/exports").json()["items"] as? [[String: Any]]
        XCTAssertEqual(listed?.count, 2)
    }

    func testAnExportHasNoRowCap() throws {
        let fixture = try QueryFixture.make("qexportbig")
        let query = try savedQuery(fixture, ["name": "grid", "sql": """
            WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
            SELECT a.i AS a, b.i AS b FROM n a CROSS JOIN n b
            """])
        let job = try export(fixture, query, ["format": "csv", "compression": "gzip"])
        XCTAssertEqual(job["status"] as? String, "completed", "\(job)")
        XCTAssertEqual(job["rows_exported"] as? Int, 40_000)
    }

    func testMistakesAreRefusedBeforeAJobExistsAndRolesApply() throws {
        let fixture = try QueryFixture.make("qexportbad")
        let query = try savedQuery(fixture, ["name": "one", "sql": "SELECT id FROM orders WHERE id = :id",
                                             "parameters": [["name": "id", "type": "int64"]]])
        let path = "/api/v1/queries/\(query)/exports"
        let missing = try fixture.user.call("POST", path, json: ["format": "csv"])
        XCTAssertEqual(missing.status, 400)
        XCTAssertEqual(try missing.json()["detail"] as? String, "Parameter :id has no value.")
        let wrongType = try fixture.user.call("POST", path, json: ["params": ["id": "seven"]])
        XCTAssertEqual(try wrongType.json()["detail"] as? String, "Parameter :id must be an integer.")
        let columns = try fixture.user.call("POST", path, json: ["columns": ["id"], "params": ["id": 1]])
        XCTAssertEqual(columns.status, 400)
        XCTAssertEqual(try columns.json()["detail"] as? String, "Unknown field: columns.")
        let viewer = try fixture.db.caller(fixture.tenant, .viewer)
        XCTAssertEqual(try viewer.call("POST", path, json: ["params": ["id": 1]]).status, 403)
        XCTAssertEqual(try viewer.call("GET", path).status, 200)
        let stranger = try fixture.db.caller(fixture.other, .admin)
        XCTAssertEqual(try stranger.call("POST", path, json: ["params": ["id": 1]]).status, 404)
        XCTAssertEqual(try stranger.call("GET", path).status, 404)
        XCTAssertEqual((try fixture.user.call("GET", path).json()["items"] as? [[String: Any]])?.count, 0, "no job was made")

        // A completed export goes with its query.
        let job = try export(fixture, query, ["params": ["id": 1]])
        XCTAssertEqual(job["status"] as? String, "completed", "\(job)")
        XCTAssertEqual(try fixture.user.call("DELETE", "/api/v1/queries/\(query)").status, 204)
        XCTAssertEqual(try fixture.user.call("GET", "/api/v1/exports/\(job["id"] as? Int ?? 0)").status, 404)
    }
}
