import DataCovey
import Foundation
import MariaDB
import TestSupport
import XCTest

/// What every writing endpoint of the matrix owes its caller: bad input is a 4xx problem that
/// names what is wrong and writes nothing; a good write leaves one history version naming the
/// acting user.
final class WriteEndpointContractTests: XCTestCase {
    private typealias Endpoint = IsolationMatrixTests.Endpoint
    private typealias World = IsolationMatrixTests.World

    /// A body of the right shape with one value of the wrong type, and the field the error names.
    private static func wrongType(_ endpoint: Endpoint) -> (body: Any, field: String, status: Int) {
        switch endpoint.pattern {
        // A row change is one object of new values, named by column.
        case "/api/v1/tables/{id:int}/rows" where endpoint.method == "PATCH": (["id": "seven"], "id", 422)
        case "/api/v1/tables/{id:int}/rows/{key}": (["id": "seven"], "id", 422)
        case "/api/v1/tables/{id:int}/rows": ([["id": "seven"]], "0.id", 422)
        case "/api/v1/tables/{id:int}": (["add_columns": 5], "add_columns", 400)
        case "/api/v1/datasets/{id:int}/tables": (["name": "ok", "columns": "id int"], "columns", 400)
        case "/api/v1/users/{id:int}": (["role": 5], "role", 400)
        case "/api/v1/users": (["email": 5, "name": "n", "role": "viewer"], "email", 400)
        case "/api/v1/tables/{id:int}/exports": (["format": 5], "format", 400)
        case "/api/v1/projects/{id:int}/query": (["sql": 5], "sql", 400)
        case "/api/v1/queries/{id:int}/exports": (["format": 5], "format", 400)
        case "/api/v1/queries/{id:int}/runs": (["limit": "ten"], "limit", 400)
        case "/api/v1/queries/{id:int}": (["sql": ["SELECT 1"]], "sql", 400)
        case "/api/v1/projects/{id:int}/queries": (["name": "ok", "sql": 5], "sql", 400)
        case let pattern where pattern.hasSuffix("/restore"): (["version": "two"], "version", 400)
        default: (["name": 5], "name", 400)
        }
    }

    /// The endpoint's own body with a field no resource has.
    private static func unknownField(_ endpoint: Endpoint) -> (body: Any, field: String, status: Int) {
        if var rows = endpoint.body as? [[String: Any]] {
            rows[0]["bogus_field"] = 1
            return (rows, "0.bogus_field", 422)
        }
        var object = endpoint.body as? [String: Any] ?? [:]
        object["bogus_field"] = 1
        // A row change's members are a row's values: one that names no column is refused as an
        // inserted row's is (422), not as an unknown field of a resource.
        // A restore's body (`as_of`) is a request's fields, refused as any other resource's.
        let isRowChange = endpoint.method == "PATCH" && endpoint.pattern.hasPrefix("/api/v1/tables/{id:int}/rows")
        return (object, "bogus_field", isRowChange ? 422 : 400)
    }

    private func assertProblem(_ response: HTTPTestClient.Response, _ status: Int, field: String?, _ label: String,
                               file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(response.status, status, "\(label): \(response.text)", file: file, line: line)
        XCTAssertEqual(response.headers["content-type"], "application/problem+json", label, file: file, line: line)
        XCTAssertFalse(response.text.isEmpty, label, file: file, line: line)
        if let field {
            let fields = (try response.json()["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
            XCTAssertTrue(fields.contains(field), "\(label): \(fields) names \(field)", file: file, line: line)
        }
    }

    func testBadInputToEveryWriteIsANamed4xxAndWritesNothing() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("contract")
        let admin = try db.caller(tenant, .admin)
        let world = try World.make(admin)
        let writes = IsolationMatrixTests.endpoints().filter {
            ($0.method == "POST" || $0.method == "PATCH") && $0.body != nil && $0.contentType == nil
        }
        XCTAssertEqual(writes.count, 24)
        let before = try db.historyVersions(of: tenant)
        let rowsBefore = try admin.call("GET", "/api/v1/tables/\(world.table)/rows").text
        let json = [("Content-Type", "application/json")]
        let oversized = Array("[\"".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 9 << 20) + Array("\"]".utf8)

        for endpoint in writes {
            let path = endpoint.path(world)
            let label = "\(endpoint.method) \(endpoint.pattern)"
            try assertProblem(try admin.call(endpoint.method, path, body: Array("{\"name\": ".utf8), headers: json), 400,
                              field: nil, "\(label) malformed JSON")
            try assertProblem(try admin.call(endpoint.method, path, body: Array("name=x".utf8),
                                             headers: [("Content-Type", "application/x-www-form-urlencoded")]), 415,
                              field: nil, "\(label) wrong media type")
            try assertProblem(try admin.call(endpoint.method, path, body: oversized, headers: json), 413,
                              field: nil, "\(label) oversized body")
            let wrong = Self.wrongType(endpoint)
            try assertProblem(try admin.call(endpoint.method, path, json: wrong.body), wrong.status, field: wrong.field,
                              "\(label) wrong type")
            let unknown = Self.unknownField(endpoint)
            try assertProblem(try admin.call(endpoint.method, path, json: unknown.body), unknown.status, field: unknown.field,
                              "\(label) unknown field")
            if let object = endpoint.body as? [String: Any], object["name"] != nil {
                // Identifiers stop at 64 characters; a person's display name at 200.
                var long = object
                long["name"] = String(repeating: "n", count: endpoint.pattern.hasPrefix("/api/v1/users") ? 201 : 65)
                try assertProblem(try admin.call(endpoint.method, path, json: long), 400, field: "name", "\(label) over-long name")
            }
        }
        for list in IsolationMatrixTests.endpoints() where list.method == "GET" && list.success == 200 {
            let path = list.path(world)
            guard list.pattern.hasSuffix("s") else { continue }  // collections only
            try assertProblem(try admin.call("GET", path + "?cursor=bm90LWEtY3Vyc29y"), 400, field: "cursor", "\(path) invalid cursor")
            try assertProblem(try admin.call("GET", path + "?limit=0"), 400, field: "limit", "\(path) limit 0")
        }
        XCTAssertEqual(try db.historyVersions(of: tenant), before, "no history version was written")
        XCTAssertEqual(try admin.call("GET", "/api/v1/tables/\(world.table)/rows").text, rowsBefore, "no row was written")
    }

    func testEveryCreateUpdateAndDeleteIsAHistoryVersionByTheActingUser() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("versions")
        let admin = try db.caller(tenant, .admin)
        let user = try db.caller(tenant, .user)
        let world = try World.make(admin)
        let suffix = String(UInt32.random(in: 0..<UInt32.max), radix: 36)
        // (kind, actor, create path and body, update body)
        let kinds: [(String, APICaller, String, [String: Any], [String: Any])] = [
            ("project", user, "/api/v1/projects", ["name": "h_\(suffix)"], ["description": "v2"]),
            ("dataset", user, "/api/v1/projects/\(world.project)/datasets", ["name": "h_\(suffix)"], ["name": "h2_\(suffix)"]),
            ("table", user, "/api/v1/datasets/\(world.dataset)/tables",
             ["name": "h_\(suffix)", "columns": [["name": "a", "type": "int64"]]], ["add_columns": [["name": "b", "type": "text"]]]),
            ("user", admin, "/api/v1/users", ["email": "h-\(suffix)@versions.test", "name": "H", "role": "viewer"], ["role": "user"]),
            ("query", user, "/api/v1/projects/\(world.project)/queries", ["name": "h_\(suffix)", "sql": "SELECT 1"], ["description": "v2"]),
        ]
        let ops = try db.ops()
        defer { ops.close() }
        for (kind, actor, createPath, createBody, updateBody) in kinds {
            let created = try actor.call("POST", createPath, json: createBody)
            XCTAssertEqual(created.status, 201, "\(kind): \(created.text)")
            let id = try created.json()["id"] as? Int ?? 0
            let resource = "/api/v1/\(kind == "query" ? "queries" : kind + "s")/\(id)"
            XCTAssertEqual(try actor.call("PATCH", resource, json: updateBody, headers: [("If-Match", "\"1\"")]).status, 200, kind)
            XCTAssertEqual(try actor.call("DELETE", resource, headers: [("If-Match", "\"2\"")]).status, 204, kind)
            let history = try ops.query("""
                SELECT version, operation, actor_user_id, tenant_id FROM \(unsafeRaw: kind)_history
                WHERE entity_id = \(Int64(id)) ORDER BY version
                """).map { "\(try $0.decode(Int64.self, at: 0)) \(try $0.decode(String.self, at: 1)) \(try $0.decode(Int64?.self, at: 2) ?? 0) \(try $0.decode(Int64.self, at: 3))" }
            let who = actor.userID
            XCTAssertEqual(history, ["1 insert \(who) \(tenant.tenantID)", "2 update \(who) \(tenant.tenantID)",
                                     "3 delete \(who) \(tenant.tenantID)"], kind)
        }
        let columns = try ops.query("""
            SELECT operation, actor_user_id FROM table_column_history WHERE tenant_id = \(tenant.tenantID)
            AND JSON_VALUE(row_image, '$.name') = 'b' ORDER BY history_id
            """).map { "\(try $0.decode(String.self, at: 0)) \(try $0.decode(Int64?.self, at: 1) ?? 0)" }
        // The table went to the trash with its columns, which stay as they were (one insert).
        XCTAssertEqual(columns, ["insert \(user.userID)"], "an added column is versioned too")
    }
}
