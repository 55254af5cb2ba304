@testable import DataCovey
import Foundation
import TestSupport
import XCTest

/// Statements a hostile user might send, through nginx: each is refused with a 4xx and a
/// reason, returns no row of another project or tenant, and ends well within the time limit.
final class QueryAttackTests: XCTestCase {
    func testTheAttackCorpusIsRefusedWithReasonsAndLeaksNothing() throws {
        let fixture = try QueryFixture.make("qattack")
        // A second project of the same tenant and a project of another tenant, with data.
        let sibling = try QueryFixture.make("qattacksib")
        let foreign = try fixture.db.caller(fixture.other, .admin)
        let foreignProject = try foreign.call("POST", "/api/v1/projects", json: ["name": "theirs"]).json()["id"] as? Int ?? 0
        let foreignDataset = try foreign.call("POST", "/api/v1/projects/\(foreignProject)/datasets", json: ["name": "vault"]).json()["id"] as? Int ?? 0
        let foreignTable = try foreign.call("POST", "/api/v1/datasets/\(foreignDataset)/tables", json: [
            "name": "secrets", "columns": [["name": "note", "type": "string"]],
        ]).json()["id"] as? Int ?? 0
        XCTAssertEqual(try foreign.call("POST", "/api/v1/tables/\(foreignTable)/rows", json: [["note": "top secret"]]).status, 201)
        let siblingOrders = try sibling.physicalName(ofTable: sibling.orders)
        let foreignSecrets = try fixture.physicalName(ofTable: foreignTable)

        let corpus: [String] = [
            "SELECT * FROM orders WHERE (@dc_tenant := \(fixture.other.tenantID)) IS NOT NULL",
            "SELECT @dc_tenant",
            "SELECT @@version",
            "SET @dc_tenant = \(fixture.other.tenantID)",
            "SET STATEMENT max_statement_time = 1000 FOR SELECT * FROM orders",
            "SELECT 1; SELECT * FROM orders",
            "SELECT 1; DROP TABLE orders",
            "SELECT * FROM orders INTO OUTFILE '/tmp/dc-leak.csv'",
            "SELECT * FROM orders INTO DUMPFILE '/tmp/dc-leak.bin'",
            "SELECT id FROM orders LIMIT 1 INTO @leak",
            "SELECT LOAD_FILE('/etc/passwd')",
            "SELECT SLEEP(30)",
            "SELECT BENCHMARK(100000000, MD5('x'))",
            "SELECT GET_LOCK('dc', 10)",
            "SELECT RELEASE_LOCK('dc')",
            "SELECT * FROM orders FOR UPDATE",
            "SELECT * FROM orders LOCK IN SHARE MODE",
            "SELECT * FROM information_schema.TABLES",
            "SELECT * FROM information_schema.PROCESSLIST",
            "SELECT user, password FROM mysql.user",
            "SELECT * FROM performance_schema.threads",
            "SELECT * FROM sys.session",
            "SELECT * FROM datacovey.users",
            "SELECT * FROM datacovey_app.projects",
            "SELECT 1 /*! ; DROP TABLE orders */",
            "SELECT 1 /*M!100000 , (SELECT note FROM \(foreignSecrets.database).\(foreignSecrets.table)) */",
            "SELECT 1 -- \n; DELETE FROM orders",
            "SELECT * FROM \(siblingOrders.database).\(siblingOrders.table)",
            "SELECT * FROM `\(foreignSecrets.database)`.`\(foreignSecrets.table)`",
            "SELECT * FROM orders UNION SELECT * FROM \(siblingOrders.database).\(siblingOrders.table)",
            "DELETE FROM orders",
            "UPDATE orders SET amount = 0",
            "INSERT INTO orders (id) VALUES (99)",
            "DROP TABLE orders",
            "CREATE TABLE x (a INT)",
            "CALL datacovey_app.begin_request('x')",
            "DO SLEEP(5)",
            "HANDLER orders OPEN",
            "SHOW DATABASES",
            "SELECT NEXTVAL(seq)",
            "WITH x AS (SELECT 1) DELETE FROM orders",
            "SELECT * FROM vault.secrets",
            "SELECT * FROM secrets",
            "SELECT 'a\\' UNION SELECT note FROM secrets -- '",
        ]
        XCTAssertGreaterThanOrEqual(corpus.count, 30)
        let limit = 30.0
        for sql in corpus {
            let started = Date()
            let response = try fixture.query(sql)
            let elapsed = Date().timeIntervalSince(started)
            XCTAssertTrue((400..<500).contains(response.status), "\(sql): \(response.status) \(response.text)")
            XCTAssertEqual(response.headers["content-type"], "application/problem+json", sql)
            let detail = try response.json()["detail"] as? String ?? ""
            XCTAssertGreaterThan(detail.count, 10, "a reason for \(sql)")
            XCTAssertNil(try response.json()["rows"], sql)
            XCTAssertFalse(response.text.contains("top secret"), sql)
            XCTAssertLessThan(elapsed, limit + 1, sql)
        }
        // Every attempt is in the run history as failed, none completed.
        let runs = try fixture.user.call("GET", "/api/v1/projects/\(fixture.project)/runs?limit=1000").json()["items"] as? [[String: Any]] ?? []
        XCTAssertEqual(runs.count, corpus.count)
        XCTAssertEqual(Set(runs.compactMap { $0["status"] as? String }), ["failed"])
        // Nothing changed: the orders are all there and the other tenant's row is intact.
        XCTAssertEqual(try rowsText(try fixture.query("SELECT COUNT(*), SUM(amount) FROM orders")), #"[[3,"119.75"]]"#)
        let theirs = try foreign.call("GET", "/api/v1/tables/\(foreignTable)/rows").json()["items"] as? [[String: Any]]
        XCTAssertEqual(theirs?.count, 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/dc-leak.csv"))
    }

    /// A keyword glued to a number (`1e1into`, `0e0lock`) is read by the server as a number
    /// and a keyword: through nginx, as a viewer, every such statement is refused by the guard
    /// (400 with its code) and never reaches the server, for every keyword the rules look at.
    func testNumbersGluedToKeywordsAreRefusedThroughNginx() throws {
        let fixture = try QueryFixture.make("qglued")
        let viewer = try fixture.db.caller(fixture.tenant, .viewer)
        var sent = 0
        for number in SQLGuardAttackTests.numbersThatEndBeforeALetter {
            for (sql, code) in SQLGuardAttackTests.gluedAttacks(number) {
                let written = sql.replacingOccurrences(of: " FROM t ", with: " FROM orders ")
                    .replacingOccurrences(of: "SELECT x ", with: "SELECT amount ").replacingOccurrences(of: " x > ", with: " amount > ")
                let response = try fixture.query(written, as: viewer)
                sent += 1
                XCTAssertEqual(response.status, 400, "\(written): \(response.text)")
                XCTAssertEqual(response.headers["content-type"], "application/problem+json", written)
                let errors = try response.json()["errors"] as? [[String: Any]]
                // Words for people in message, the guard's code for programs in code.
                XCTAssertEqual(errors?.first?["code"] as? String, code.snakeCased, written)
                XCTAssertEqual(errors?.first?["message"] as? String, try response.json()["detail"] as? String, written)
                XCTAssertFalse((errors?.first?["message"] as? String ?? "").contains(code.rawValue), written)
            }
        }
        // The first one as the probe sent it, word for word.
        let probe = try fixture.query("SELECT amount FROM orders WHERE amount > 0e0lock in share mode", as: viewer)
        XCTAssertEqual(probe.status, 400)
        XCTAssertTrue(probe.text.contains("LOCK IN SHARE MODE is not allowed"), probe.text)
        let runs = try fixture.user.call("GET", "/api/v1/projects/\(fixture.project)/runs?limit=1000").json()["items"] as? [[String: Any]] ?? []
        XCTAssertEqual(runs.count, sent + 1)
        XCTAssertEqual(Set(runs.compactMap { $0["status"] as? String }), ["failed"])
    }

    func testAnotherTenantsProjectIsNotFoundAndRecordsNoRun() throws {
        let fixture = try QueryFixture.make("qforeign")
        let stranger = try fixture.db.caller(fixture.other, .admin)
        let response = try fixture.query("SELECT * FROM orders", as: stranger)
        XCTAssertEqual(response.status, 404)
        let runs = try fixture.user.call("GET", "/api/v1/projects/\(fixture.project)/runs").json()["items"] as? [[String: Any]]
        XCTAssertEqual(runs?.count, 0)
    }
}
