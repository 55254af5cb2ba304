import DataCovey
import Foundation
import TestSupport
import XCTest

/// Ad hoc SQL through nginx and the responder, on the project's own MariaDB account.
final class QueryResultTests: XCTestCase {
    func testAJoinAcrossTwoDatasetsWithAggregates() throws {
        let fixture = try QueryFixture.make("qjoin")
        let response = try fixture.query("""
            SELECT c.name, COUNT(*) AS orders, SUM(o.amount) AS total, MIN(o.day) AS first_day
              FROM sales.orders o JOIN crm.customers c ON c.id = o.customer
             GROUP BY c.name ORDER BY c.name
            """)
        XCTAssertEqual(response.status, 200, response.text)
        let body = try response.json()
        let columns = body["columns"] as? [[String: String]] ?? []
        XCTAssertEqual(columns.map { $0["name"] ?? "" }, ["name", "orders", "total", "first_day"])
        XCTAssertEqual(columns.map { $0["type"] ?? "" }, ["string", "int64", "decimal(32,2)", "date"])
        XCTAssertEqual(try rowsText(response), #"[["Ada",2,"19.75","2026-01-02"],["Grace",1,"100.00","2026-02-01"]]"#)
        XCTAssertEqual(body["row_count"] as? Int, 2)
        XCTAssertEqual(body["truncated"] as? Bool, false)
        XCTAssertNotNil(body["elapsed_ms"] as? Int)
        let runID = body["run_id"] as? Int ?? 0
        XCTAssertEqual(response.headers["datacovey-run-id"], String(runID))

        // The run is recorded with its outcome.
        let run = try fixture.user.call("GET", "/api/v1/runs/\(runID)").json()
        XCTAssertEqual(run["status"] as? String, "completed")
        XCTAssertEqual(run["row_count"] as? Int, 2)
        XCTAssertEqual(run["user_id"] as? Int, Int(fixture.user.userID))
        XCTAssertEqual(run["query_id"] as? NSNull, NSNull())
    }

    func testEveryColumnTypeComesBackTypedAndUnqualifiedNamesResolve() throws {
        let fixture = try QueryFixture.make("qtypes")
        let response = try fixture.query("SELECT * FROM orders WHERE id = 1")
        XCTAssertEqual(response.status, 200, response.text)
        let columns = try response.json()["columns"] as? [[String: String]] ?? []
        XCTAssertEqual(columns.map { $0["name"] ?? "" },
                       ["id", "customer", "amount", "ratio", "paid", "label", "body", "day", "at", "meta"],
                       "SELECT * shows the user's columns only, not the hidden row id")
        XCTAssertEqual(columns.map { $0["type"] ?? "" },
                       ["int64", "int64", "decimal(10,2)", "float64", "bool", "string", "text", "date", "timestamp", "json"],
                       "a json column is reported as json (MariaDB's extended metadata) and answered as its value")
        XCTAssertEqual(try rowsText(response),
                       #"[[1,10,"12.50",0.5,true,"first","long, \"quoted\"","2026-01-02","2026-01-02T10:00:00.123456Z",{"k":1}]]"#)
    }

    /// A query without binds travels the text protocol, one with binds a prepared statement:
    /// both must write every type identically, NULLs and fractions of seconds included.
    func testTheTextAndBinaryPathsWriteTheSameAnswer() throws {
        let fixture = try QueryFixture.make("qpaths")
        let text = try fixture.query("SELECT *, day AS d2, CAST(at AS DATETIME(0)) AS whole, CAST(at AS DATETIME(3)) AS milli FROM orders ORDER BY id")
        let binary = try fixture.query("SELECT *, day AS d2, CAST(at AS DATETIME(0)) AS whole, CAST(at AS DATETIME(3)) AS milli FROM orders WHERE id > ? ORDER BY id",
                                       params: [0])
        XCTAssertEqual(text.status, 200, text.text)
        XCTAssertEqual(try rowsText(text), try rowsText(binary))
        XCTAssertEqual(String(decoding: try JSONSerialization.data(withJSONObject: try text.json()["columns"] ?? [], options: [.sortedKeys]), as: UTF8.self),
                       String(decoding: try JSONSerialization.data(withJSONObject: try binary.json()["columns"] ?? [], options: [.sortedKeys]), as: UTF8.self))
        let first = (try text.json()["rows"] as? [[Any]])?.first ?? []
        XCTAssertEqual(first.suffix(2).compactMap { $0 as? String }, ["2026-01-02T10:00:00.000000Z", "2026-01-02T10:00:00.123000Z"])
        let csvText = try fixture.query("SELECT * FROM orders ORDER BY id", headers: [("Accept", "text/csv")]).text
        let csvBinary = try fixture.query("SELECT * FROM orders WHERE id > ? ORDER BY id", params: [0], headers: [("Accept", "text/csv")]).text
        XCTAssertEqual(csvText, csvBinary)
    }

    func testParametersOfEveryColumnTypeAreBound() throws {
        let fixture = try QueryFixture.make("qparams")
        let cases: [(column: String, value: Any, ids: [Int])] = [
            ("id", 2, [2]), ("amount", "100.00", [3]), ("amount", 7.25, [2]), ("ratio", 0.5, [1]), ("paid", true, [1, 3]),
            ("paid", false, [2]), ("label", "second", [2]), ("body", "x", [3]), ("day", "2026-01-03", [2]),
            ("at", "2026-02-01 00:00:00", [3]), ("meta", "2", [3]), ("customer", 20, [3]),
        ]
        for (column, value, ids) in cases {
            let sql = column == "meta" ? "SELECT id FROM orders WHERE JSON_VALUE(meta, '$[1]') = :v ORDER BY id"
                                       : "SELECT id FROM orders WHERE \(column) = :v ORDER BY id"
            let named = try fixture.query(sql, params: ["v": value])
            XCTAssertEqual(named.status, 200, "\(column): \(named.text)")
            XCTAssertEqual(try rowsText(named), "[" + ids.map { "[\($0)]" }.joined(separator: ",") + "]", column)
            let positional = try fixture.query(sql.replacingOccurrences(of: ":v", with: "?"), params: [value])
            XCTAssertEqual(try rowsText(positional), try rowsText(named), "\(column) by position")
        }
        // A value that looks like SQL stays a value.
        let injection = try fixture.query("SELECT COUNT(*) AS n FROM orders WHERE label = ?", params: ["x' OR '1'='1"])
        XCTAssertEqual(try rowsText(injection), "[[0]]")
        // NULL binds as NULL.
        XCTAssertEqual(try rowsText(try fixture.query("SELECT id FROM orders WHERE body <=> ?", params: [NSNull()])), "[[2]]")
    }

    func testParameterMistakesAreExplained() throws {
        let fixture = try QueryFixture.make("qparambad")
        let cases: [(String, Any?, String)] = [
            ("SELECT id FROM orders WHERE id = ?", nil, "The query has 1 ? parameter(s): give params as a JSON array."),
            ("SELECT id FROM orders WHERE id = ?", [1, 2], "The query has 1 ? parameter(s) but params has 2 value(s)."),
            ("SELECT id FROM orders WHERE id = :id", [String: Any](), "Parameter :id has no value."),
            ("SELECT id FROM orders WHERE id = :id", ["id": 1, "idd": 2], "The query has no parameter named :idd."),
            ("SELECT id FROM orders WHERE id = :id AND customer = ?", ["id": 1], "Use either ? or :name parameters in one query, not both."),
            ("SELECT id FROM orders WHERE id = ?", [[1]], "Parameter params[0] must be a string, number, boolean or null."),
        ]
        for (sql, params, detail) in cases {
            let response = try fixture.query(sql, params: params)
            XCTAssertEqual(response.status, 400, sql)
            XCTAssertEqual(try response.json()["detail"] as? String, detail, sql)
        }
    }

    func testCSVOutput() throws {
        let fixture = try QueryFixture.make("qcsv")
        let response = try fixture.query("SELECT id, label, body, amount, at, paid FROM orders ORDER BY id",
                                         headers: [("Accept", "text/csv")])
        XCTAssertEqual(response.status, 200, response.text)
        XCTAssertEqual(response.headers["content-type"], "text/csv; charset=utf-8")
        XCTAssertEqual(response.text, "id,label,body,amount,at,paid\r\n"
            + "1,first,\"long, \"\"quoted\"\"\",12.50,2026-01-02T10:00:00.123456Z,true\r\n"
            + "2,second,,7.25,2026-01-03T11:30:00.000000Z,false\r\n"
            + "3,third,x,100.00,2026-02-01T00:00:00.000000Z,true\r\n")
        XCTAssertEqual(response.headers["datacovey-truncated"], "false")
    }

    func testResultsAreTruncatedAtTheLimitAndAtTheCap() throws {
        let fixture = try QueryFixture.make("qcap")
        let limited = try fixture.query("SELECT id FROM orders ORDER BY id", limit: 2)
        XCTAssertEqual(try rowsText(limited), "[[1],[2]]")
        XCTAssertEqual(try limited.json()["truncated"] as? Bool, true)
        XCTAssertEqual(try limited.json()["row_count"] as? Int, 2)

        // 40,000 generated rows (200 × 200) against the default cap of 10,000.
        let capped = try fixture.query("""
            WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
            SELECT a.i * 1000 + b.i AS v FROM n a CROSS JOIN n b ORDER BY v
            """)
        XCTAssertEqual(capped.status, 200, capped.text)
        let body = try capped.json()
        XCTAssertEqual(body["row_count"] as? Int, 10_000)
        XCTAssertEqual(body["truncated"] as? Bool, true)
        // Ordered, the 10,000th value is row 50 of the 200 × 200 grid: 50 * 1000 + 200.
        XCTAssertEqual((body["rows"] as? [[Int]])?.last, [50_200])
        // A query with its own LIMIT under the cap is complete.
        let exact = try fixture.query("SELECT id FROM orders ORDER BY id LIMIT 3", limit: 3)
        XCTAssertEqual(try exact.json()["truncated"] as? Bool, false)
        XCTAssertEqual(try fixture.query("SELECT 1", limit: 10_001).status, 400, "limit above the cap")
    }

    func testUnknownAndAmbiguousNamesAndServerErrorsSpeakTheUsersNames() throws {
        let fixture = try QueryFixture.make("qnames")
        let unknown = try fixture.query("SELECT * FROM sales.nope")
        XCTAssertEqual(unknown.status, 400)
        XCTAssertEqual(try unknown.json()["detail"] as? String, "Unknown table sales.nope: no dataset of this project has it.")

        let crm = try fixture.user.call("GET", "/api/v1/projects/\(fixture.project)/datasets").json()["items"] as? [[String: Any]] ?? []
        let crmID = crm.first { $0["name"] as? String == "crm" }?["id"] as? Int ?? 0
        XCTAssertEqual(try fixture.user.call("POST", "/api/v1/datasets/\(crmID)/tables", json: [
            "name": "orders", "columns": [["name": "id", "type": "int64"]],
        ]).status, 201)
        let ambiguous = try fixture.query("SELECT * FROM orders")
        XCTAssertEqual(ambiguous.status, 400)
        XCTAssertEqual(try ambiguous.json()["detail"] as? String,
                       "Table name orders is ambiguous: the datasets crm, sales all have one. Write dataset.table.")

        let badColumn = try fixture.query("SELECT nope FROM sales.orders")
        XCTAssertEqual(badColumn.status, 400)
        XCTAssertEqual(try badColumn.json()["detail"] as? String, "Unknown column 'nope' in 'SELECT'")
        let badSyntax = try fixture.query("SELECT id FROM sales.orders WHERE")
        XCTAssertEqual(badSyntax.status, 400)
        let detail = try badSyntax.json()["detail"] as? String ?? ""
        XCTAssertFalse(detail.contains("dcd_") || detail.contains("tbl_"), "no physical names: \(detail)")

        // Failed runs are in the history with the same reason.
        let runs = try fixture.user.call("GET", "/api/v1/projects/\(fixture.project)/runs?status=failed").json()["items"] as? [[String: Any]]
        XCTAssertEqual(runs?.count, 4)
        XCTAssertEqual(runs?.first?["error"] as? String, detail)
    }

    func testDryRunExplainsWithoutRunning() throws {
        let fixture = try QueryFixture.make("qdry")
        let response = try fixture.user.call("POST", "/api/v1/projects/\(fixture.project)/query",
                                             json: ["sql": "SELECT * FROM orders WHERE customer = ?", "params": [10], "dry_run": true])
        XCTAssertEqual(response.status, 200, response.text)
        let body = try response.json()
        XCTAssertEqual(body["dry_run"] as? Bool, true)
        XCTAssertEqual(body["estimated_rows"] as? Int, 3)
        let explain = body["explain"] as? [String: Any] ?? [:]
        XCTAssertTrue((explain["columns"] as? [[String: String]] ?? []).contains { $0["name"] == "rows" })
        // EXPLAIN reads data (constant subqueries), so a dry run is recorded like a run.
        let runs = try fixture.user.call("GET", "/api/v1/projects/\(fixture.project)/runs").json()["items"] as? [[String: Any]]
        XCTAssertEqual(runs?.count, 1)
        XCTAssertEqual(runs?.first?["dry_run"] as? Bool, true)
        XCTAssertEqual(runs?.first?["status"] as? String, "completed")
        XCTAssertEqual(runs?.first?["id"] as? Int, body["run_id"] as? Int)
    }

    /// A dry run whose EXPLAIN evaluates a subquery into an error message: the message carries
    /// only the project's own data (its account reads nothing else), and the run history shows
    /// the attempt with that message; a refused dry run is recorded too.
    func testDryRunsThatReadDataAreRecordedWithWhatTheyReturned() throws {
        let fixture = try QueryFixture.make("qdryleak")
        let viewer = try fixture.db.caller(fixture.tenant, .viewer)
        let probe = "SELECT EXTRACTVALUE(1, CONCAT(0x7e, (SELECT GROUP_CONCAT(label) FROM orders)))"
        let response = try viewer.call("POST", "/api/v1/projects/\(fixture.project)/query", json: ["sql": probe, "dry_run": true])
        XCTAssertEqual(response.status, 400, response.text)
        let detail = try response.json()["detail"] as? String ?? ""
        XCTAssertTrue(detail.contains("~first,second,third"), detail)
        let refused = try viewer.call("POST", "/api/v1/projects/\(fixture.project)/query",
                                      json: ["sql": "SELECT 1e1into outfile '/tmp/x'", "dry_run": true])
        XCTAssertEqual(refused.status, 400)
        let runs = try fixture.user.call("GET", "/api/v1/projects/\(fixture.project)/runs").json()["items"] as? [[String: Any]] ?? []
        XCTAssertEqual(runs.count, 2)
        XCTAssertEqual(runs.map { $0["dry_run"] as? Bool }, [true, true])
        XCTAssertEqual(runs.map { $0["status"] as? String }, ["failed", "failed"])
        XCTAssertEqual(runs.map { $0["user_id"] as? Int }, [Int(viewer.userID), Int(viewer.userID)])
        XCTAssertEqual(runs.last?["sql"] as? String, probe)
        XCTAssertEqual(runs.last?["error"] as? String, detail)
    }
}
