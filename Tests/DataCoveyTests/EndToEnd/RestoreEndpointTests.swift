import DataCovey
import Foundation
import MariaDB
import TestSupport
import XCTest

/// `POST /api/v1/{projects|datasets|tables|queries}/{id}/restore` with a version: the object
/// becomes what it was at that version, as one new version; and everything a restore refuses.
final class RestoreEndpointTests: XCTestCase {
    private func created(_ response: HTTPTestClient.Response, file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        XCTAssertEqual(response.status, 201, response.text, file: file, line: line)
        return try response.json()["id"] as? Int ?? 0
    }

    private func items(_ caller: APICaller, _ path: String, file: StaticString = #filePath, line: UInt = #line) throws -> [[String: Any]] {
        let response = try caller.call("GET", path)
        XCTAssertEqual(response.status, 200, response.text, file: file, line: line)
        return try response.json()["items"] as? [[String: Any]] ?? []
    }

    /// The fields a restore brings back, as the object's own endpoint shows them.
    private static func editable(_ kind: String, _ object: [String: Any]) -> [String] {
        let fields = kind == "queries" ? ["name", "description", "sql", "parameters"] : ["name", "description"]
        return fields.map { field in
            guard let value = object[field], !(value is NSNull) else { return "\(field)=null" }
            if let text = value as? String { return "\(field)=\(text)" }
            let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])) ?? Data()
            return "\(field)=\(String(decoding: data, as: UTF8.self))"
        }
    }

    func testEachKindRestoredToVersionTwoAfterADeleteEqualsVersionTwoAsVersionFive() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("restore")
        let admin = try db.caller(tenant, .admin)
        let user = try db.caller(tenant, .user)
        let suffix = String(UInt32.random(in: 0..<UInt32.max), radix: 36)
        let project = try created(try admin.call("POST", "/api/v1/projects", json: ["name": "home_\(suffix)"]))
        let dataset = try created(try admin.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": "keep"]))
        let kinds: [(String, String, [String: Any], [String: Any], [String: Any])] = [
            ("projects", "/api/v1/projects", ["name": "p_\(suffix)"], ["description": "second"], ["name": "p3_\(suffix)", "description": "third"]),
            ("datasets", "/api/v1/projects/\(project)/datasets", ["name": "d_\(suffix)"], ["name": "d2_\(suffix)"], ["description": "third"]),
            ("tables", "/api/v1/datasets/\(dataset)/tables", ["name": "t_\(suffix)", "columns": [["name": "a", "type": "int64"]]],
             ["description": "second"], ["name": "t3_\(suffix)"]),
            ("queries", "/api/v1/projects/\(project)/queries",
             ["name": "q_\(suffix)", "sql": "SELECT :n AS n", "parameters": [["name": "n", "type": "int64", "default": 1]]],
             ["sql": "SELECT :n + 1 AS n", "description": "second"],
             ["sql": "SELECT 3 AS n", "parameters": [] as [Any], "name": "q3_\(suffix)"]),
        ]
        for (kind, createPath, create, second, third) in kinds {
            let id = try created(try user.call("POST", createPath, json: create))
            let atTwo = try user.call("PATCH", "/api/v1/\(kind)/\(id)", json: second)
            XCTAssertEqual(atTwo.status, 200, "\(kind): \(atTwo.text)")
            let versionTwo = try atTwo.json()
            XCTAssertEqual(try user.call("PATCH", "/api/v1/\(kind)/\(id)", json: third).status, 200, kind)
            XCTAssertEqual(try user.call("DELETE", "/api/v1/\(kind)/\(id)").status, 204, kind)
            XCTAssertEqual(try user.call("GET", "/api/v1/\(kind)/\(id)").status, 404, "\(kind) is gone once deleted")

            let restored = try admin.call("POST", "/api/v1/\(kind)/\(id)/restore", json: ["version": 2], headers: [("If-Match", "\"4\"")])
            XCTAssertEqual(restored.status, 200, "\(kind): \(restored.text)")
            XCTAssertEqual(restored.headers["etag"], "\"5\"", kind)
            let shown = try user.call("GET", "/api/v1/\(kind)/\(id)")
            XCTAssertEqual(shown.status, 200, kind)
            XCTAssertEqual(Self.editable(kind, try shown.json()), Self.editable(kind, versionTwo), "\(kind) equals its version 2")
            XCTAssertEqual(try shown.json()["version"] as? Int, 5, kind)

            let history = try items(user, "/api/v1/\(kind)/\(id)/history")
            XCTAssertEqual(history.map { $0["version"] as? Int ?? 0 }, [5, 4, 3, 2, 1], kind)
            XCTAssertEqual(history.map { $0["operation"] as? String ?? "" }, ["insert", "delete", "update", "update", "insert"], kind)
            XCTAssertEqual((history[0]["changed_by"] as? [String: Any])?["id"] as? Int, Int(admin.userID), "the restore is the admin's")
        }
        // The saved query runs its version-2 SQL with its version-2 parameters.
        let query = try items(admin, "/api/v1/projects/\(project)/queries")
        let queryID = try XCTUnwrap(query.first?["id"] as? Int)
        let run = try user.call("POST", "/api/v1/queries/\(queryID)/runs", json: ["params": ["n": 41]])
        XCTAssertEqual(try run.json()["rows"] as? [[Int]], [[42]], run.text)
    }

    func testATableRestoreCoversItsColumnsAndAsksBeforeDroppingOne() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("restorecols")
        let admin = try db.caller(tenant, .admin)
        let project = try created(try admin.call("POST", "/api/v1/projects", json: ["name": "cols"]))
        let dataset = try created(try admin.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": "d"]))
        let table = try created(try admin.call("POST", "/api/v1/datasets/\(dataset)/tables", json: [
            "name": "t", "columns": [["name": "a", "type": "int64"], ["name": "b", "type": "string"]],
        ]))
        XCTAssertEqual(try admin.call("POST", "/api/v1/tables/\(table)/rows", json: [["a": 1, "b": "x"], ["a": 2, "b": "y"]]).status, 201)
        XCTAssertEqual(try admin.call("PATCH", "/api/v1/tables/\(table)", json: ["add_columns": [["name": "c", "type": "string"]]]).status, 200)
        XCTAssertEqual(try admin.call("POST", "/api/v1/tables/\(table)/rows", json: [["a": 3, "b": "z", "c": "kept?"]]).status, 201)

        let refused = try admin.call("POST", "/api/v1/tables/\(table)/restore", json: ["version": 1])
        XCTAssertEqual(refused.status, 409)
        XCTAssertEqual(try refused.json()["detail"] as? String,
                       "Version 1 has fewer columns: restoring it drops c and their data. Send \"drop_columns\": true to confirm.")
        XCTAssertEqual(try admin.call("GET", "/api/v1/tables/\(table)").json()["version"] as? Int, 2, "a refused restore changes nothing")

        let restored = try admin.call("POST", "/api/v1/tables/\(table)/restore", json: ["version": 1, "drop_columns": true])
        XCTAssertEqual(restored.status, 200, restored.text)
        XCTAssertEqual((try restored.json()["columns"] as? [[String: Any]])?.compactMap { $0["name"] as? String }, ["a", "b"])
        let rows = try items(admin, "/api/v1/tables/\(table)/rows")
        XCTAssertEqual(rows.map { "\($0["a"] ?? "")\($0["b"] ?? "")\($0["c"] == nil ? "" : "c")" }, ["1x", "2y", "3z"],
                       "the physical column is gone, the rows stay")

        // Back to version 2: the column returns (empty: its data went with the drop).
        let again = try admin.call("POST", "/api/v1/tables/\(table)/restore", json: ["version": 2])
        XCTAssertEqual(again.status, 200, again.text)
        XCTAssertEqual((try again.json()["columns"] as? [[String: Any]])?.compactMap { $0["name"] as? String }, ["a", "b", "c"])
        let query = try admin.call("POST", "/api/v1/projects/\(project)/query", json: ["sql": "SELECT a, c FROM t ORDER BY a"])
        XCTAssertEqual(query.status, 200, query.text)
        XCTAssertTrue(query.text.contains("\"rows\":[[1,null],[2,null],[3,null]]"), query.text)
    }

    func testColumnRenamesAreVersionsThatARestoreUndoes() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("renamecols")
        let admin = try db.caller(tenant, .admin)
        let project = try created(try admin.call("POST", "/api/v1/projects", json: ["name": "ren"]))
        let dataset = try created(try admin.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": "d"]))
        let table = try created(try admin.call("POST", "/api/v1/datasets/\(dataset)/tables", json: [
            "name": "t", "columns": [["name": "a", "type": "int64"], ["name": "b", "type": "string"]],
        ]))
        XCTAssertEqual(try admin.call("POST", "/api/v1/tables/\(table)/rows", json: [["a": 1, "b": "x"]]).status, 201)

        for (body, field) in [(["A": "b"], "rename_columns.A"), (["zz": "c"], "rename_columns.zz"), (["a": "bad name"], "rename_columns.a"),
                              (["a": "_dc_x"], "rename_columns.a")] {
            let refused = try admin.call("PATCH", "/api/v1/tables/\(table)", json: ["rename_columns": body])
            XCTAssertEqual(refused.status, 400, "\(body)")
            XCTAssertEqual((try refused.json()["errors"] as? [[String: Any]])?.first?["field"] as? String, field)
        }
        let renamed = try admin.call("PATCH", "/api/v1/tables/\(table)", json: ["rename_columns": ["b": "label"]], headers: [("If-Match", "\"1\"")])
        XCTAssertEqual(renamed.status, 200, renamed.text)
        XCTAssertEqual((try renamed.json()["columns"] as? [[String: Any]])?.compactMap { $0["name"] as? String }, ["a", "label"])
        XCTAssertEqual(try renamed.json()["version"] as? Int, 2)
        let query = try admin.call("POST", "/api/v1/projects/\(project)/query", json: ["sql": "SELECT a, label FROM t"])
        XCTAssertTrue(query.text.contains("\"rows\":[[1,\"x\"]]"), query.text)

        let restored = try admin.call("POST", "/api/v1/tables/\(table)/restore", json: ["version": 1])
        XCTAssertEqual(restored.status, 200, restored.text)
        XCTAssertEqual((try restored.json()["columns"] as? [[String: Any]])?.compactMap { $0["name"] as? String }, ["a", "b"])
        let back = try admin.call("POST", "/api/v1/projects/\(project)/query", json: ["sql": "SELECT a, b FROM t"])
        XCTAssertTrue(back.text.contains("\"rows\":[[1,\"x\"]]"), back.text)
    }

    func testBadVersionsStaleIfMatchTrashedParentsAndTakenNamesAreRefused() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("restorebad")
        let admin = try db.caller(tenant, .admin)
        let project = try created(try admin.call("POST", "/api/v1/projects", json: ["name": "bad"]))
        let dataset = try created(try admin.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": "sales"]))
        let table = try created(try admin.call("POST", "/api/v1/datasets/\(dataset)/tables", json: [
            "name": "orders", "columns": [["name": "a", "type": "int64"]],
        ]))

        let missing = try admin.call("POST", "/api/v1/datasets/\(dataset)/restore", json: ["version": 7])
        XCTAssertEqual(missing.status, 404)
        XCTAssertEqual(try missing.json()["detail"] as? String, "The dataset has no version 7.")
        XCTAssertEqual(try admin.call("POST", "/api/v1/datasets/\(dataset)/restore", json: ["version": 0]).status, 400)
        XCTAssertEqual(try admin.call("POST", "/api/v1/datasets/\(dataset)/restore", json: ["version": 1, "bogus": 1]).status, 400)
        let stale = try admin.call("POST", "/api/v1/datasets/\(dataset)/restore", json: ["version": 1], headers: [("If-Match", "\"9\"")])
        XCTAssertEqual(stale.status, 412)
        let live = try admin.call("POST", "/api/v1/datasets/\(dataset)/restore")
        XCTAssertEqual(live.status, 409)
        XCTAssertEqual(try live.json()["detail"] as? String, "The dataset is not in the trash; send the version to restore.")

        // The table is deleted, then its dataset: the table waits for its parent.
        XCTAssertEqual(try admin.call("DELETE", "/api/v1/tables/\(table)").status, 204)
        XCTAssertEqual(try admin.call("DELETE", "/api/v1/datasets/\(dataset)").status, 204)
        let orphan = try admin.call("POST", "/api/v1/tables/\(table)/restore")
        XCTAssertEqual(orphan.status, 409)
        XCTAssertEqual(try orphan.json()["detail"] as? String,
                       "Its dataset 'sales' (id \(dataset)) is in the trash; restore the dataset first.")
        let trashed = try items(admin, "/api/v1/trash")
        XCTAssertEqual(trashed.map { "\($0["kind"] ?? "") \($0["id"] ?? "") \($0["name"] ?? "")" },
                       ["tables \(table) orders", "datasets \(dataset) sales"])
        // Kinds are spelled as the URLs and the audit log spell them.
        XCTAssertEqual(try items(admin, "/api/v1/trash?kind=tables").compactMap { $0["id"] as? Int }, [table])
        XCTAssertEqual(try admin.call("GET", "/api/v1/trash?kind=table").status, 400)

        // The name is taken meanwhile: 409 until a new name is given.
        _ = try created(try admin.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": "sales"]))
        let taken = try admin.call("POST", "/api/v1/datasets/\(dataset)/restore")
        XCTAssertEqual(taken.status, 409)
        XCTAssertEqual(try taken.json()["detail"] as? String,
                       "A dataset named 'sales' exists here now; restore with \"rename_to\" and another name.")
        let renamed = try admin.call("POST", "/api/v1/datasets/\(dataset)/restore", json: ["rename_to": "sales_old"])
        XCTAssertEqual(renamed.status, 200, renamed.text)
        XCTAssertEqual(try renamed.json()["name"] as? String, "sales_old")
        XCTAssertEqual(try admin.call("POST", "/api/v1/tables/\(table)/restore").status, 200, "now its parent is back")
        XCTAssertEqual(try admin.call("GET", "/api/v1/tables/\(table)").status, 200)
        XCTAssertEqual(try items(admin, "/api/v1/trash").count, 0, "both came out of the trash")

        // A project deleted with its datasets: a dataset of it cannot come back alone.
        XCTAssertEqual(try admin.call("DELETE", "/api/v1/projects/\(project)").status, 204)
        let inside = try admin.call("POST", "/api/v1/datasets/\(dataset)/restore")
        XCTAssertEqual(inside.status, 409)
        XCTAssertEqual(try inside.json()["detail"] as? String, "The dataset was deleted with its project 'bad' (id \(project)); restore that project.")
    }

    func testRolesTenantsAndCraftedHistoryRowsNeverMoveAnObject() throws {
        let db = try StackDatabase.require()
        let (tenant, other) = try db.makeTwoTenants("restoreiso")
        // Crafted history rows are links of both tenants' chains: erased with the tenants at
        // the end, so no broken chain is left for the tests after this one.
        defer {
            XCTAssertNoThrow(try db.erase(tenant: tenant.tenantID))
            XCTAssertNoThrow(try db.erase(tenant: other.tenantID))
        }
        let admin = try db.caller(tenant, .admin)
        let stranger = try db.caller(other, .admin)
        let project = try created(try admin.call("POST", "/api/v1/projects", json: ["name": "mine"]))
        let dataset = try created(try admin.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": "mine"]))
        let theirProject = try created(try stranger.call("POST", "/api/v1/projects", json: ["name": "theirs"]))
        XCTAssertEqual(try admin.call("PATCH", "/api/v1/datasets/\(dataset)", json: ["description": "two"]).status, 200)
        XCTAssertEqual(try admin.call("DELETE", "/api/v1/datasets/\(dataset)").status, 204)

        for role in [Role.user, .viewer] {
            let caller = try db.caller(tenant, role)
            XCTAssertEqual(try caller.call("POST", "/api/v1/datasets/\(dataset)/restore").status, 403, "\(role)")
            XCTAssertEqual(try caller.call("POST", "/api/v1/datasets/\(dataset)/restore", json: ["version": 1]).status, 403, "\(role)")
        }
        XCTAssertEqual(try stranger.call("POST", "/api/v1/datasets/\(dataset)/restore").status, 404)
        XCTAssertEqual(try stranger.call("POST", "/api/v1/datasets/\(dataset)/restore", json: ["version": 1]).status, 404)
        XCTAssertEqual(try items(stranger, "/api/v1/trash").count, 0, "another tenant's trash is not listed")

        // Crafted history: a version of this dataset whose image names the other tenant and its
        // project, and a version in the other tenant's history under this dataset's id.
        let superuser = try db.superuser()
        defer { superuser.close() }
        try superuser.execute("""
            INSERT INTO datacovey.dataset_history (tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image)
            VALUES (\(tenant.tenantID), \(Int64(dataset)), 90, 'update', NULL, 'crafted', UTC_TIMESTAMP(6),
                    JSON_OBJECT('id', \(Int64(dataset)), 'tenant_id', \(other.tenantID), 'project_id', \(Int64(theirProject)),
                                'name', 'moved', 'description', 'crafted'))
            """)
        try superuser.execute("""
            INSERT INTO datacovey.dataset_history (tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image)
            VALUES (\(other.tenantID), \(Int64(dataset)), 91, 'update', NULL, 'crafted', UTC_TIMESTAMP(6),
                    JSON_OBJECT('id', \(Int64(dataset)), 'tenant_id', \(other.tenantID), 'name', 'moved2', 'description', 'crafted'))
            """)
        defer { _ = try? superuser.execute("DELETE FROM datacovey.dataset_history WHERE db_user = 'crafted' AND entity_id = \(Int64(dataset))") }
        XCTAssertEqual(try admin.call("POST", "/api/v1/datasets/\(dataset)/restore", json: ["version": 90]).status, 404,
                       "an image of another tenant is no version of this dataset")
        XCTAssertEqual(try admin.call("POST", "/api/v1/datasets/\(dataset)/restore", json: ["version": 91]).status, 404,
                       "another tenant's history is invisible")
        XCTAssertEqual(try stranger.call("POST", "/api/v1/datasets/\(dataset)/restore", json: ["version": 91]).status, 404)
        let placed = try superuser.query("SELECT tenant_id, project_id, name FROM datacovey.datasets WHERE id = \(Int64(dataset))")[0]
            .decode((Int64, Int64, String).self)
        XCTAssertEqual("\(placed.0) \(placed.1) \(placed.2)", "\(tenant.tenantID) \(project) mine", "the dataset never moved")

        // A real version brings it back, in its own tenant and project.
        let restored = try admin.call("POST", "/api/v1/datasets/\(dataset)/restore", json: ["version": 1])
        XCTAssertEqual(restored.status, 200, restored.text)
        XCTAssertEqual(try restored.json()["project_id"] as? Int, project)
        XCTAssertTrue(try restored.json()["description"] is NSNull)
    }
}
