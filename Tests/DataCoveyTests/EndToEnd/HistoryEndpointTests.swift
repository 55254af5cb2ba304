import DataCovey
import Foundation
import TestSupport
import XCTest

/// `GET …/{id}/history` for every tracked kind: versions newest first, who changed what, and
/// still there after a delete; nothing of another tenant.
final class HistoryEndpointTests: XCTestCase {
    private func versions(_ caller: APICaller, _ path: String) throws -> [[String: Any]] {
        let response = try caller.call("GET", path)
        XCTAssertEqual(response.status, 200, "\(path): \(response.text)")
        return try response.json()["items"] as? [[String: Any]] ?? []
    }

    func testCreateTwoUpdatesAndADeleteAreFourVersionsWithActorsAndChangedFields() throws {
        let db = try StackDatabase.require()
        let (tenant, other) = try db.makeTwoTenants("history")
        let user = try db.caller(tenant, .user)
        let viewer = try db.caller(tenant, .viewer)
        let stranger = try db.caller(other, .admin)
        let suffix = String(UInt32.random(in: 0..<UInt32.max), radix: 36)
        let project = try user.call("POST", "/api/v1/projects", json: ["name": "hist_\(suffix)"]).json()["id"] as? Int ?? 0
        let dataset = try user.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": "keep"]).json()["id"] as? Int ?? 0
        // (collection, create path, create body, first update, second update, the fields each update changes)
        let kinds: [(String, String, [String: Any], [String: Any], [String: Any], [String], [String])] = [
            ("projects", "/api/v1/projects", ["name": "p_\(suffix)"], ["description": "one"], ["name": "p2_\(suffix)"],
             ["description"], ["name"]),
            ("datasets", "/api/v1/projects/\(project)/datasets", ["name": "d_\(suffix)"], ["description": "one"],
             ["description": "two"], ["description"], ["description"]),
            ("tables", "/api/v1/datasets/\(dataset)/tables", ["name": "t_\(suffix)", "columns": [["name": "a", "type": "int64"]]],
             ["name": "t2_\(suffix)"], ["description": "two"], ["name"], ["description"]),
            ("queries", "/api/v1/projects/\(project)/queries", ["name": "q_\(suffix)", "sql": "SELECT 1"],
             ["sql": "SELECT 2"], ["description": "two", "name": "q2_\(suffix)"], ["sql"], ["description", "name"]),
        ]
        for (kind, createPath, create, first, second, firstChanged, secondChanged) in kinds {
            let created = try user.call("POST", createPath, json: create)
            XCTAssertEqual(created.status, 201, "\(kind): \(created.text)")
            let id = try created.json()["id"] as? Int ?? 0
            XCTAssertEqual(try user.call("PATCH", "/api/v1/\(kind)/\(id)", json: first).status, 200, kind)
            XCTAssertEqual(try user.call("PATCH", "/api/v1/\(kind)/\(id)", json: second).status, 200, kind)
            XCTAssertEqual(try user.call("DELETE", "/api/v1/\(kind)/\(id)").status, 204, kind)

            // The viewer reads it after the delete: newest first, every version by the user.
            let history = try versions(viewer, "/api/v1/\(kind)/\(id)/history")
            XCTAssertEqual(history.map { $0["version"] as? Int ?? 0 }, [4, 3, 2, 1], kind)
            XCTAssertEqual(history.map { $0["operation"] as? String ?? "" }, ["delete", "update", "update", "insert"], kind)
            XCTAssertEqual(Set(history.map { ($0["changed_by"] as? [String: Any])?["id"] as? Int ?? 0 }), [Int(user.userID)], kind)
            XCTAssertEqual(history.map { $0["changed"] as? [String] ?? ["?"] }[0...2].map { $0 }, [[], secondChanged, firstChanged], kind)
            XCTAssertTrue((history[3]["changed"] as? [String] ?? []).contains("name"), "an insert lists its fields")
            XCTAssertEqual((history[3]["record"] as? [String: Any])?["id"] as? Int, id, kind)
            XCTAssertNotNil(history[0]["changed_at"] as? String)

            // Pages of two, by version.
            let firstPage = try viewer.call("GET", "/api/v1/\(kind)/\(id)/history?limit=2").json()
            XCTAssertEqual((firstPage["items"] as? [[String: Any]])?.map { $0["version"] as? Int ?? 0 }, [4, 3])
            let cursor = try XCTUnwrap(firstPage["next_cursor"] as? String)
            let secondPage = try versions(viewer, "/api/v1/\(kind)/\(id)/history?limit=2&cursor=\(cursor)")
            XCTAssertEqual(secondPage.map { $0["version"] as? Int ?? 0 }, [2, 1])
            XCTAssertEqual(secondPage.first?["changed"] as? [String], firstChanged, "the page's oldest is compared across the page edge too")

            // Another tenant sees nothing, not even that it existed.
            XCTAssertEqual(try stranger.call("GET", "/api/v1/\(kind)/\(id)/history").status, 404, kind)
        }
        XCTAssertEqual(try viewer.call("GET", "/api/v1/projects/999999999/history").status, 404)
    }

    /// Records read as the resources do (issue 18): the API's field names and formats, and a
    /// table's versions carry its columns, so adding or renaming one is a change you can see.
    func testRecordsUseTheAPIsNamesAndFormatsAndTablesShowTheirColumns() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("histshape")
        let user = try db.caller(tenant, .user)
        let project = try user.call("POST", "/api/v1/projects", json: ["name": "shape"]).json()["id"] as? Int ?? 0
        let dataset = try user.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": "d"]).json()["id"] as? Int ?? 0
        let table = try user.call("POST", "/api/v1/datasets/\(dataset)/tables", json: [
            "name": "t", "columns": [["name": "a", "type": "int64", "nullable": false, "primary_key": true]],
        ]).json()["id"] as? Int ?? 0
        XCTAssertEqual(try user.call("PATCH", "/api/v1/tables/\(table)", json: ["add_columns": [["name": "b", "type": "string", "default": "x"]]]).status, 200)
        XCTAssertEqual(try user.call("PATCH", "/api/v1/tables/\(table)", json: ["rename_columns": ["b": "c"]]).status, 200)
        let history = try versions(user, "/api/v1/tables/\(table)/history")
        XCTAssertEqual(history.map { $0["changed"] as? [String] ?? ["?"] }, [["columns"], ["columns"], ["autodetect", "columns", "created_by", "dataset_id", "description", "id", "name", "tenant_id"]])
        func columns(_ version: [String: Any]) -> [String] {
            ((version["record"] as? [String: Any])?["columns"] as? [[String: Any]] ?? []).map {
                "\($0["name"] as? String ?? "") \($0["type"] as? String ?? "") \($0["nullable"] as? Bool ?? true) \($0["primary_key"] as? Bool ?? false) \($0["default"] as? String ?? "-")"
            }
        }
        XCTAssertEqual(history.map(columns), [["a int64 false true -", "c string true false x"], ["a int64 false true -", "b string true false x"],
                                              ["a int64 false true -"]])
        let record = history[2]["record"] as? [String: Any] ?? [:]
        XCTAssertEqual(record["autodetect"] as? Bool, false, "a BOOL column reads true or false, as GET /tables/{id} shows it")
        XCTAssertEqual(record["created_at"] as? String, try user.call("GET", "/api/v1/tables/\(table)").json()["created_at"] as? String,
                       "timestamps as the resource writes them")
        XCTAssertNil(record["physical_name"])

        let query = try user.call("POST", "/api/v1/projects/\(project)/queries", json: ["name": "q", "sql": "SELECT 1"]).json()["id"] as? Int ?? 0
        let queryRecord = try versions(user, "/api/v1/queries/\(query)/history").first?["record"] as? [String: Any] ?? [:]
        XCTAssertEqual(queryRecord["sql"] as? String, "SELECT 1")
        XCTAssertNil(queryRecord["sql_text"])
    }

    func testJobHistoriesFollowTheirStates() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("jobhistory")
        let user = try db.caller(tenant, .user)
        let project = try user.call("POST", "/api/v1/projects", json: ["name": "jobs"]).json()["id"] as? Int ?? 0
        let dataset = try user.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": "d"]).json()["id"] as? Int ?? 0
        let table = try user.call("POST", "/api/v1/datasets/\(dataset)/tables", json: [
            "name": "t", "columns": [["name": "a", "type": "int64"]],
        ]).json()["id"] as? Int ?? 0
        let upload = try user.call("POST", "/api/v1/tables/\(table)/imports", body: Array("a\n1\n2\n".utf8), headers: [("Content-Type", "text/csv")])
        let importJob = try upload.json()["id"] as? Int ?? 0
        XCTAssertEqual(try user.awaitJob("/api/v1/imports/\(importJob)")["status"] as? String, "completed")
        let imports = try versions(user, "/api/v1/imports/\(importJob)/history")
        XCTAssertEqual(imports.first?["operation"] as? String, "update")
        XCTAssertEqual((imports.first?["record"] as? [String: Any])?["status"] as? String, "completed")
        XCTAssertEqual((imports.last?["record"] as? [String: Any])?["status"] as? String, "pending")
        XCTAssertEqual(imports.last?["operation"] as? String, "insert")

        let export = try user.call("POST", "/api/v1/tables/\(table)/exports", json: ["format": "csv"])
        let exportJob = try export.json()["id"] as? Int ?? 0
        XCTAssertEqual(try user.awaitJob("/api/v1/exports/\(exportJob)")["status"] as? String, "completed")
        let exports = try versions(user, "/api/v1/exports/\(exportJob)/history")
        XCTAssertEqual((exports.first?["record"] as? [String: Any])?["status"] as? String, "completed")
        XCTAssertTrue((exports.first?["changed"] as? [String] ?? []).contains("status"))
    }
}
