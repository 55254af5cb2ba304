import DataCovey
import Foundation
import TestSupport
import XCTest

/// The saved-query flow: save, run with typed parameters, read the runs, edit, delete; with
/// the roles DESIGN §1 gives (viewers run and read, users save, edit and delete).
final class SavedQueryTests: XCTestCase {
    func testSaveRunEditAndDeleteWithHistoryAndRoles() throws {
        let fixture = try QueryFixture.make("qsaved")
        let viewer = try fixture.db.caller(fixture.tenant, .viewer)
        let definition: [String: Any] = [
            "name": "big_orders", "description": "Orders over a threshold since a day",
            "sql": "SELECT id, amount FROM sales.orders WHERE amount >= :min AND day >= :since ORDER BY id",
            "parameters": [["name": "min", "type": "decimal(10,2)", "default": "10.00"], ["name": "since", "type": "date"]],
        ]
        XCTAssertEqual(try viewer.call("POST", "/api/v1/projects/\(fixture.project)/queries", json: definition).status, 403)
        let created = try fixture.user.call("POST", "/api/v1/projects/\(fixture.project)/queries", json: definition)
        XCTAssertEqual(created.status, 201, created.text)
        let id = try created.json()["id"] as? Int ?? 0
        XCTAssertEqual(created.headers["location"], "/api/v1/queries/\(id)")
        let parameters = try JSONSerialization.data(withJSONObject: try created.json()["parameters"] ?? [], options: [.sortedKeys])
        XCTAssertEqual(String(decoding: parameters, as: UTF8.self),
                       #"[{"default":"10.00","name":"min","type":"decimal(10,2)"},{"default":null,"name":"since","type":"date"}]"#)

        // A viewer runs it: the default fills :min, :since is given; a value of the wrong type is refused.
        let run = try viewer.call("POST", "/api/v1/queries/\(id)/runs", json: ["params": ["since": "2026-01-01"]])
        XCTAssertEqual(run.status, 200, run.text)
        XCTAssertEqual(try rowsText(run), #"[[1,"12.50"],[3,"100.00"]]"#)
        let later = try viewer.call("POST", "/api/v1/queries/\(id)/runs", json: ["params": ["since": "2026-01-03", "min": 0]])
        XCTAssertEqual(try rowsText(later), #"[[2,"7.25"],[3,"100.00"]]"#)
        let wrong = try viewer.call("POST", "/api/v1/queries/\(id)/runs", json: ["params": ["since": "yesterday"]])
        XCTAssertEqual(wrong.status, 400)
        XCTAssertEqual(try wrong.json()["detail"] as? String, "Parameter :since must be a date like 2026-11-25.")
        let missing = try viewer.call("POST", "/api/v1/queries/\(id)/runs")
        XCTAssertEqual(try missing.json()["detail"] as? String, "Parameter :since has no value.")
        let csv = try viewer.call("POST", "/api/v1/queries/\(id)/runs", json: ["params": ["since": "2026-02-01"]],
                                  headers: [("Accept", "text/csv")])
        XCTAssertEqual(csv.text, "id,amount\r\n3,100.00\r\n")

        // The runs, newest first, with their outcome; filters by status, user and text.
        let runs = try viewer.call("GET", "/api/v1/queries/\(id)/runs").json()["items"] as? [[String: Any]] ?? []
        XCTAssertEqual(runs.map { $0["status"] as? String ?? "" }, ["completed", "failed", "failed", "completed", "completed"])
        XCTAssertEqual(runs.last?["row_count"] as? Int, 2)
        XCTAssertEqual(runs.last?["query_id"] as? Int, id)
        XCTAssertEqual((runs.last?["params"] as? [String: String])?["since"], "2026-01-01")
        let failed = try viewer.call("GET", "/api/v1/projects/\(fixture.project)/runs?status=failed&user=\(viewer.userID)")
        XCTAssertEqual((try failed.json()["items"] as? [[String: Any]])?.count, 2)
        XCTAssertEqual((try viewer.call("GET", "/api/v1/projects/\(fixture.project)/runs?q=amount%20%3E%3D").json()["items"]
                        as? [[String: Any]])?.count, 5)
        XCTAssertEqual((try viewer.call("GET", "/api/v1/projects/\(fixture.project)/runs?q=%25").json()["items"]
                        as? [[String: Any]])?.count, 0, "% is a character to search for, not a wildcard")
        XCTAssertEqual(try viewer.call("GET", "/api/v1/projects/\(fixture.project)/runs?status=done").status, 400)

        // Editing needs user and re-checks the SQL; the guard's reason comes back.
        XCTAssertEqual(try viewer.call("PATCH", "/api/v1/queries/\(id)", json: ["description": "x"]).status, 403)
        let refused = try fixture.user.call("PATCH", "/api/v1/queries/\(id)", json: ["sql": "SELECT SLEEP(1)"])
        XCTAssertEqual(refused.status, 400)
        XCTAssertEqual(try refused.json()["detail"] as? String, "SLEEP() is not allowed: it only ties up the server.")
        let undeclared = try fixture.user.call("PATCH", "/api/v1/queries/\(id)", json: [
            "parameters": [["name": "max", "type": "int64"]],
        ])
        XCTAssertEqual(try undeclared.json()["detail"] as? String, "Parameter max is not used in the SQL as :max.")
        let edited = try fixture.user.call("PATCH", "/api/v1/queries/\(id)", json: ["sql": "SELECT COUNT(*) AS n FROM orders WHERE amount >= :min AND day >= :since"],
                                           headers: [("If-Match", "\"1\"")])
        XCTAssertEqual(edited.status, 200, edited.text)
        XCTAssertEqual(try edited.json()["version"] as? Int, 2)
        XCTAssertEqual(try rowsText(try viewer.call("POST", "/api/v1/queries/\(id)/runs", json: ["params": ["since": "2026-01-01"]])), "[[2]]")

        // Delete: the viewer may not, the user may; the runs stay in the project's history.
        XCTAssertEqual(try viewer.call("DELETE", "/api/v1/queries/\(id)").status, 403)
        XCTAssertEqual(try fixture.user.call("DELETE", "/api/v1/queries/\(id)").status, 204)
        XCTAssertEqual(try viewer.call("GET", "/api/v1/queries/\(id)").status, 404)
        let kept = try viewer.call("GET", "/api/v1/projects/\(fixture.project)/runs?limit=100").json()["items"] as? [[String: Any]] ?? []
        XCTAssertEqual(kept.count, 6)

        // Every change is a version in query_history: created, edited, deleted.
        let ops = try fixture.db.ops()
        defer { ops.close() }
        let versions = try ops.query("SELECT version, operation FROM query_history WHERE entity_id = \(id) ORDER BY version")
            .map { try $0.decode((Int64, String).self) }
        XCTAssertEqual(versions.map(\.0), [1, 2, 3])
        XCTAssertEqual(versions.map(\.1), ["insert", "update", "delete"])
    }

    func testASavedQueryMustBeAcceptableAndItsNameUnique() throws {
        let fixture = try QueryFixture.make("qsavedbad")
        let path = "/api/v1/projects/\(fixture.project)/queries"
        let cases: [([String: Any], String)] = [
            (["name": "a", "sql": "DELETE FROM orders"], "DELETE statements are not allowed: only a single SELECT query can run."),
            (["name": "b", "sql": "SELECT :x", "parameters": [["name": "x", "type": "money"]]], "Parameter x has an unknown type money."),
            (["name": "c", "sql": "SELECT :x", "parameters": [["name": "x", "type": "int64", "default": "ten"]]],
             "Parameter x has a default that must be an integer."),
            (["name": "d", "sql": "SELECT :x", "parameters": [["name": "x", "type": "int64"], ["name": "x", "type": "int64"]]],
             "Parameter x is declared twice."),
            (["name": "e", "sql": "   "], "Field sql must not be empty."),
            // Issue 18, defect 5: a :name nobody declared would fail every run.
            (["name": "f", "sql": "SELECT * FROM orders WHERE day >= :since"],
             "The SQL uses :since, which is not declared; add it to parameters with a type."),
            (["name": "g", "sql": "SELECT :a, :b", "parameters": [["name": "a", "type": "int64"]]],
             "The SQL uses :b, which is not declared; add it to parameters with a type."),
        ]
        for (body, detail) in cases {
            let response = try fixture.user.call("POST", path, json: body)
            XCTAssertEqual(response.status, 400, "\(body)")
            XCTAssertEqual(try response.json()["detail"] as? String, detail)
        }
        XCTAssertEqual(try fixture.user.call("POST", path, json: ["name": "same", "sql": "SELECT 1"]).status, 201)
        XCTAssertEqual(try fixture.user.call("POST", path, json: ["name": "same", "sql": "SELECT 2"]).status, 409)
    }
}
