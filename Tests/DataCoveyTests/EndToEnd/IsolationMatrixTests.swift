import DataCovey
import Foundation
import MariaDB
import TestSupport
import XCTest

/// Two tenants × roles admin, user and viewer × every endpoint × every verb, through nginx.
/// With the other tenant's ids every answer is 404 and nothing of theirs changes; with the
/// caller's own objects, 403 comes exactly where DESIGN §1 puts it and the rest succeeds.
final class IsolationMatrixTests: XCTestCase {
    /// One tenant's objects, created by its admin: every id an endpoint can name.
    struct World {
        let project: Int
        let dataset: Int
        let table: Int
        /// The row id (hidden column) of the table's row with id 1, which the pages name: not
        /// always 1, since a Galera node steps auto-increment ids by the cluster size from its own
        /// offset.
        let rowID: Int
        /// A completed import into `table`, and a completed export of it.
        let importJob: Int
        let exportJob: Int
        /// Hold nothing, so deleting them succeeds.
        let emptyProject: Int
        let emptyDataset: Int
        let member: Int
        /// A saved query over `table`, and a completed run of it.
        let savedQuery: Int
        let run: Int
        /// An API token (issue 18).
        let token: Int

        static func make(_ admin: APICaller) throws -> World {
            func create(_ path: String, _ json: Any) throws -> Int {
                let response = try admin.call("POST", path, json: json)
                XCTAssertEqual(response.status, 201, "\(path): \(response.text)")
                return try response.json()["id"] as? Int ?? 0
            }
            let suffix = String(UInt32.random(in: 0..<UInt32.max), radix: 36)
            let project = try create("/api/v1/projects", ["name": "p_\(suffix)"])
            let dataset = try create("/api/v1/projects/\(project)/datasets", ["name": "d_\(suffix)"])
            let table = try create("/api/v1/datasets/\(dataset)/tables", [
                "name": "t_\(suffix)", "columns": [["name": "id", "type": "int64", "primary_key": true], ["name": "note", "type": "text"]],
            ])
            XCTAssertEqual(try admin.call("POST", "/api/v1/tables/\(table)/rows", json: [["id": 1, "note": "secret"]]).status, 201)
            let rowID = try hiddenRowID(admin.db, table: table, id: 1)
            let upload = try admin.call("POST", "/api/v1/tables/\(table)/imports", body: Array("id,note\n7,imported\n".utf8),
                                        headers: [("Content-Type", "text/csv")])
            XCTAssertEqual(upload.status, 202, upload.text)
            let importJob = try upload.json()["id"] as? Int ?? 0
            XCTAssertEqual(try admin.awaitJob("/api/v1/imports/\(importJob)")["status"] as? String, "completed")
            let export = try admin.call("POST", "/api/v1/tables/\(table)/exports", json: ["format": "csv"])
            XCTAssertEqual(export.status, 202, export.text)
            let exportJob = try export.json()["id"] as? Int ?? 0
            XCTAssertEqual(try admin.awaitJob("/api/v1/exports/\(exportJob)")["status"] as? String, "completed")
            let savedQuery = try create("/api/v1/projects/\(project)/queries",
                                        ["name": "q_\(suffix)", "sql": "SELECT id, note FROM t_\(suffix) ORDER BY id"])
            let ran = try admin.call("POST", "/api/v1/queries/\(savedQuery)/runs")
            XCTAssertEqual(ran.status, 200, ran.text)
            let run = try ran.json()["run_id"] as? Int ?? 0
            return World(project: project, dataset: dataset, table: table, rowID: rowID, importJob: importJob, exportJob: exportJob,
                         emptyProject: try create("/api/v1/projects", ["name": "e_\(suffix)"]),
                         emptyDataset: try create("/api/v1/projects/\(project)/datasets", ["name": "e_\(suffix)"]),
                         member: try create("/api/v1/users", ["email": "m-\(suffix)@matrix.test", "name": "Member", "role": "viewer"]),
                         savedQuery: savedQuery, run: run,
                         token: try create("/api/v1/tokens", ["name": "k_\(suffix)", "role": "viewer", "expires_at": tokenExpiry()]))
        }
    }

    /// The hidden row id of the row whose column `id` is `id`, read as the data account.
    static func hiddenRowID(_ db: StackDatabase, table: Int, id: Int) throws -> Int {
        let ops = try db.ops()
        defer { ops.close() }
        let (database, physical) = try ops.query("""
            SELECT d.data_database, t.physical_name FROM dataset_tables t JOIN datasets d ON d.id = t.dataset_id WHERE t.id = \(table)
            """)[0].decode((String, String).self)
        let data = try db.data()
        defer { data.close() }
        let rowID = try data.scalar("SELECT _dc_row_id FROM `\(unsafeRaw: database)`.`\(unsafeRaw: physical)` WHERE id = \(id)")
        return Int(try XCTUnwrap(rowID, "the row with id \(id) of table \(table)"))
    }

    struct Endpoint {
        let method: String
        /// The router's pattern, to check that the matrix covers every route.
        let pattern: String
        let path: (World) -> String
        /// A JSON body, or (with `contentType`) raw bytes.
        let body: Any?
        let minimum: Role
        let success: Int
        var contentType: String? = nil
        /// Needs a world of its own in the roles test (it deletes, or undoes the world's import).
        var freshWorld = false

        func call(_ caller: APICaller, _ world: World, headers: [(String, String)] = []) throws -> HTTPTestClient.Response {
            if let contentType, let bytes = body as? [UInt8] {
                return try caller.call(method, path(world), body: bytes, headers: headers + [("Content-Type", contentType)])
            }
            return try caller.call(method, path(world), json: body, headers: headers)
        }
    }

    private static func unique() -> String { String(UInt32.random(in: 0..<UInt32.max), radix: 36) }

    static func tokenExpiry() -> String { Timestamp.format(Date().addingTimeInterval(30 * 86_400)) }

    /// Every route of the API that takes a tenant's object, and the lists of the tenant.
    static func endpoints() -> [Endpoint] {
        [
            Endpoint(method: "GET", pattern: "/api/v1/projects", path: { _ in "/api/v1/projects" }, body: nil, minimum: .viewer, success: 200),
            Endpoint(method: "POST", pattern: "/api/v1/projects", path: { _ in "/api/v1/projects" },
                     body: ["name": "n_\(unique())"], minimum: .user, success: 201),
            Endpoint(method: "GET", pattern: "/api/v1/projects/{id:int}", path: { "/api/v1/projects/\($0.project)" },
                     body: nil, minimum: .viewer, success: 200),
            Endpoint(method: "PATCH", pattern: "/api/v1/projects/{id:int}", path: { "/api/v1/projects/\($0.project)" },
                     body: ["description": "changed"], minimum: .user, success: 200),
            Endpoint(method: "DELETE", pattern: "/api/v1/projects/{id:int}", path: { "/api/v1/projects/\($0.emptyProject)" },
                     body: nil, minimum: .user, success: 204),
            Endpoint(method: "GET", pattern: "/api/v1/projects/{id:int}/datasets", path: { "/api/v1/projects/\($0.project)/datasets" },
                     body: nil, minimum: .viewer, success: 200),
            Endpoint(method: "POST", pattern: "/api/v1/projects/{id:int}/datasets", path: { "/api/v1/projects/\($0.project)/datasets" },
                     body: ["name": "n_\(unique())"], minimum: .user, success: 201),
            Endpoint(method: "GET", pattern: "/api/v1/datasets/{id:int}", path: { "/api/v1/datasets/\($0.dataset)" },
                     body: nil, minimum: .viewer, success: 200),
            Endpoint(method: "PATCH", pattern: "/api/v1/datasets/{id:int}", path: { "/api/v1/datasets/\($0.dataset)" },
                     body: ["description": "changed"], minimum: .user, success: 200),
            Endpoint(method: "DELETE", pattern: "/api/v1/datasets/{id:int}", path: { "/api/v1/datasets/\($0.emptyDataset)" },
                     body: nil, minimum: .user, success: 204),
            Endpoint(method: "GET", pattern: "/api/v1/datasets/{id:int}/tables", path: { "/api/v1/datasets/\($0.dataset)/tables" },
                     body: nil, minimum: .viewer, success: 200),
            Endpoint(method: "POST", pattern: "/api/v1/datasets/{id:int}/tables", path: { "/api/v1/datasets/\($0.dataset)/tables" },
                     body: ["name": "n_\(unique())", "columns": [["name": "x", "type": "int64"]]], minimum: .user, success: 201),
            Endpoint(method: "GET", pattern: "/api/v1/tables/{id:int}", path: { "/api/v1/tables/\($0.table)" },
                     body: nil, minimum: .viewer, success: 200),
            Endpoint(method: "PATCH", pattern: "/api/v1/tables/{id:int}", path: { "/api/v1/tables/\($0.table)" },
                     body: ["add_columns": [["name": "c_\(unique())", "type": "string"]]], minimum: .user, success: 200),
            Endpoint(method: "DELETE", pattern: "/api/v1/tables/{id:int}", path: { "/api/v1/tables/\($0.table)" },
                     body: nil, minimum: .user, success: 204),
            Endpoint(method: "GET", pattern: "/api/v1/tables/{id:int}/rows", path: { "/api/v1/tables/\($0.table)/rows" },
                     body: nil, minimum: .viewer, success: 200),
            Endpoint(method: "POST", pattern: "/api/v1/tables/{id:int}/rows", path: { "/api/v1/tables/\($0.table)/rows" },
                     body: [["id": Int.random(in: 1000...1_000_000_000), "note": "added"]], minimum: .user, success: 201),
            Endpoint(method: "PATCH", pattern: "/api/v1/tables/{id:int}/rows", path: { "/api/v1/tables/\($0.table)/rows?id=eq.1" },
                     body: ["note": "changed"], minimum: .user, success: 204),
            Endpoint(method: "DELETE", pattern: "/api/v1/tables/{id:int}/rows", path: { "/api/v1/tables/\($0.table)/rows?all=true" },
                     body: nil, minimum: .user, success: 204),
            Endpoint(method: "GET", pattern: "/api/v1/tables/{id:int}/rows/{key}", path: { "/api/v1/tables/\($0.table)/rows/1" },
                     body: nil, minimum: .viewer, success: 200),
            Endpoint(method: "PATCH", pattern: "/api/v1/tables/{id:int}/rows/{key}", path: { "/api/v1/tables/\($0.table)/rows/1" },
                     body: ["note": "changed"], minimum: .user, success: 200),
            Endpoint(method: "DELETE", pattern: "/api/v1/tables/{id:int}/rows/{key}", path: { "/api/v1/tables/\($0.table)/rows/1" },
                     body: nil, minimum: .user, success: 204),
            // Time travel (issue 15): a row's history, and restores to a second ago (a world of
            // their own: a restore to before the world's rows would take them away).
            Endpoint(method: "GET", pattern: "/api/v1/tables/{id:int}/rows/{key}/history", path: { "/api/v1/tables/\($0.table)/rows/1/history" },
                     body: nil, minimum: .viewer, success: 200),
            Endpoint(method: "POST", pattern: "/api/v1/tables/{id:int}/rows/{key}/restore", path: { "/api/v1/tables/\($0.table)/rows/1/restore" },
                     body: ["as_of": Timestamp.format(Date().addingTimeInterval(-1))], minimum: .user, success: 200, freshWorld: true),
            Endpoint(method: "POST", pattern: "/api/v1/tables/{id:int}/rewind", path: { "/api/v1/tables/\($0.table)/rewind" },
                     body: ["as_of": Timestamp.format(Date().addingTimeInterval(-1))], minimum: .admin, success: 200, freshWorld: true),
            Endpoint(method: "POST", pattern: "/api/v1/tables/{id:int}/imports", path: { "/api/v1/tables/\($0.table)/imports" },
                     body: Array("id,note\n\(UInt16.random(in: 100...60000)),x\n".utf8), minimum: .user, success: 202, contentType: "text/csv"),
            Endpoint(method: "GET", pattern: "/api/v1/tables/{id:int}/imports", path: { "/api/v1/tables/\($0.table)/imports" },
                     body: nil, minimum: .viewer, success: 200),
            Endpoint(method: "GET", pattern: "/api/v1/imports/{id:int}", path: { "/api/v1/imports/\($0.importJob)" },
                     body: nil, minimum: .viewer, success: 200),
            // The world's import has completed, so a caller allowed to cancel is told it is too late.
            Endpoint(method: "POST", pattern: "/api/v1/imports/{id:int}/cancel", path: { "/api/v1/imports/\($0.importJob)/cancel" },
                     body: nil, minimum: .user, success: 409),
            Endpoint(method: "GET", pattern: "/api/v1/imports/{id:int}/rejects", path: { "/api/v1/imports/\($0.importJob)/rejects" },
                     body: nil, minimum: .viewer, success: 200),
            Endpoint(method: "POST", pattern: "/api/v1/tables/{id:int}/exports", path: { "/api/v1/tables/\($0.table)/exports" },
                     body: ["format": "ndjson", "compression": "gzip"], minimum: .user, success: 202),
            Endpoint(method: "GET", pattern: "/api/v1/tables/{id:int}/exports", path: { "/api/v1/tables/\($0.table)/exports" },
                     body: nil, minimum: .viewer, success: 200),
            Endpoint(method: "GET", pattern: "/api/v1/exports/{id:int}", path: { "/api/v1/exports/\($0.exportJob)" },
                     body: nil, minimum: .viewer, success: 200),
            Endpoint(method: "POST", pattern: "/api/v1/exports/{id:int}/cancel", path: { "/api/v1/exports/\($0.exportJob)/cancel" },
                     body: nil, minimum: .user, success: 409),
            Endpoint(method: "GET", pattern: "/api/v1/exports/{id:int}/download", path: { "/api/v1/exports/\($0.exportJob)/download" },
                     body: nil, minimum: .viewer, success: 200),
            Endpoint(method: "POST", pattern: "/api/v1/projects/{id:int}/query", path: { "/api/v1/projects/\($0.project)/query" },
                     body: ["sql": "SELECT 1 AS one"], minimum: .viewer, success: 200),
            Endpoint(method: "GET", pattern: "/api/v1/projects/{id:int}/runs", path: { "/api/v1/projects/\($0.project)/runs" },
                     body: nil, minimum: .viewer, success: 200),
            Endpoint(method: "GET", pattern: "/api/v1/runs/{id:int}", path: { "/api/v1/runs/\($0.run)" },
                     body: nil, minimum: .viewer, success: 200),
            Endpoint(method: "GET", pattern: "/api/v1/projects/{id:int}/queries", path: { "/api/v1/projects/\($0.project)/queries" },
                     body: nil, minimum: .viewer, success: 200),
            Endpoint(method: "POST", pattern: "/api/v1/projects/{id:int}/queries", path: { "/api/v1/projects/\($0.project)/queries" },
                     body: ["name": "n_\(unique())", "sql": "SELECT 1 AS one"], minimum: .user, success: 201),
            Endpoint(method: "GET", pattern: "/api/v1/queries/{id:int}", path: { "/api/v1/queries/\($0.savedQuery)" },
                     body: nil, minimum: .viewer, success: 200),
            Endpoint(method: "PATCH", pattern: "/api/v1/queries/{id:int}", path: { "/api/v1/queries/\($0.savedQuery)" },
                     body: ["description": "changed"], minimum: .user, success: 200),
            Endpoint(method: "DELETE", pattern: "/api/v1/queries/{id:int}", path: { "/api/v1/queries/\($0.savedQuery)" },
                     body: nil, minimum: .user, success: 204),
            Endpoint(method: "POST", pattern: "/api/v1/queries/{id:int}/runs", path: { "/api/v1/queries/\($0.savedQuery)/runs" },
                     body: ["limit": 5], minimum: .viewer, success: 200),
            Endpoint(method: "GET", pattern: "/api/v1/queries/{id:int}/runs", path: { "/api/v1/queries/\($0.savedQuery)/runs" },
                     body: nil, minimum: .viewer, success: 200),
            Endpoint(method: "POST", pattern: "/api/v1/queries/{id:int}/exports", path: { "/api/v1/queries/\($0.savedQuery)/exports" },
                     body: ["format": "csv"], minimum: .user, success: 202),
            Endpoint(method: "GET", pattern: "/api/v1/queries/{id:int}/exports", path: { "/api/v1/queries/\($0.savedQuery)/exports" },
                     body: nil, minimum: .viewer, success: 200),
            Endpoint(method: "GET", pattern: "/api/v1/projects/{id:int}/history", path: { "/api/v1/projects/\($0.project)/history" },
                     body: nil, minimum: .viewer, success: 200),
            Endpoint(method: "GET", pattern: "/api/v1/datasets/{id:int}/history", path: { "/api/v1/datasets/\($0.dataset)/history" },
                     body: nil, minimum: .viewer, success: 200),
            Endpoint(method: "GET", pattern: "/api/v1/tables/{id:int}/history", path: { "/api/v1/tables/\($0.table)/history" },
                     body: nil, minimum: .viewer, success: 200),
            Endpoint(method: "GET", pattern: "/api/v1/imports/{id:int}/history", path: { "/api/v1/imports/\($0.importJob)/history" },
                     body: nil, minimum: .viewer, success: 200),
            Endpoint(method: "GET", pattern: "/api/v1/exports/{id:int}/history", path: { "/api/v1/exports/\($0.exportJob)/history" },
                     body: nil, minimum: .viewer, success: 200),
            Endpoint(method: "GET", pattern: "/api/v1/queries/{id:int}/history", path: { "/api/v1/queries/\($0.savedQuery)/history" },
                     body: nil, minimum: .viewer, success: 200),
            Endpoint(method: "GET", pattern: "/api/v1/audit", path: { _ in "/api/v1/audit" }, body: nil, minimum: .admin, success: 200),
            Endpoint(method: "GET", pattern: "/api/v1/audit/verify", path: { _ in "/api/v1/audit/verify" }, body: nil, minimum: .admin, success: 200),
            Endpoint(method: "GET", pattern: "/api/v1/trash", path: { _ in "/api/v1/trash" }, body: nil, minimum: .viewer, success: 200),
            Endpoint(method: "POST", pattern: "/api/v1/projects/{id:int}/restore", path: { "/api/v1/projects/\($0.project)/restore" },
                     body: ["version": 1], minimum: .admin, success: 200),
            Endpoint(method: "POST", pattern: "/api/v1/datasets/{id:int}/restore", path: { "/api/v1/datasets/\($0.dataset)/restore" },
                     body: ["version": 1], minimum: .admin, success: 200),
            // Version 1 has fewer columns once PATCH added one: confirmed.
            Endpoint(method: "POST", pattern: "/api/v1/tables/{id:int}/restore", path: { "/api/v1/tables/\($0.table)/restore" },
                     body: ["version": 1, "drop_columns": true], minimum: .admin, success: 200),
            Endpoint(method: "POST", pattern: "/api/v1/queries/{id:int}/restore", path: { "/api/v1/queries/\($0.savedQuery)/restore" },
                     body: ["version": 1], minimum: .admin, success: 200),
            Endpoint(method: "POST", pattern: "/api/v1/imports/{id:int}/revert", path: { "/api/v1/imports/\($0.importJob)/revert" },
                     body: nil, minimum: .admin, success: 200, freshWorld: true),
            Endpoint(method: "GET", pattern: "/api/v1/users", path: { _ in "/api/v1/users" }, body: nil, minimum: .admin, success: 200),
            Endpoint(method: "POST", pattern: "/api/v1/users", path: { _ in "/api/v1/users" },
                     body: ["email": "n-\(unique())@matrix.test", "name": "New", "role": "viewer"], minimum: .admin, success: 201),
            Endpoint(method: "GET", pattern: "/api/v1/users/{id:int}", path: { "/api/v1/users/\($0.member)" },
                     body: nil, minimum: .admin, success: 200),
            Endpoint(method: "PATCH", pattern: "/api/v1/users/{id:int}", path: { "/api/v1/users/\($0.member)" },
                     body: ["name": "Renamed"], minimum: .admin, success: 200),
            Endpoint(method: "DELETE", pattern: "/api/v1/users/{id:int}", path: { "/api/v1/users/\($0.member)" },
                     body: nil, minimum: .admin, success: 204),
            Endpoint(method: "GET", pattern: "/api/v1/tokens", path: { _ in "/api/v1/tokens" }, body: nil, minimum: .admin, success: 200),
            Endpoint(method: "POST", pattern: "/api/v1/tokens", path: { _ in "/api/v1/tokens" },
                     body: ["name": "n-\(unique())", "role": "viewer", "expires_at": tokenExpiry()], minimum: .admin, success: 201),
            Endpoint(method: "GET", pattern: "/api/v1/tokens/{id:int}", path: { "/api/v1/tokens/\($0.token)" },
                     body: nil, minimum: .admin, success: 200),
            Endpoint(method: "DELETE", pattern: "/api/v1/tokens/{id:int}", path: { "/api/v1/tokens/\($0.token)" },
                     body: nil, minimum: .admin, success: 204),
        ]
    }

    /// Routes that name no tenant object: probes, the caller themself and the public document.
    private static let tenantless: Set<String> = ["GET /healthz", "GET /readyz", "GET /api/v1/me", "GET /api/v1/openapi.json"]

    func testTheMatrixCoversEveryRoute() throws {
        let routed = Set(try ServedRoutes.list().map { "\($0.method) \($0.pattern)" }).subtracting(Self.tenantless)
        let covered = Set(Self.endpoints().map { "\($0.method) \($0.pattern)" })
        XCTAssertEqual(routed.subtracting(covered).sorted(), [], "routes missing from the isolation matrix")
        XCTAssertEqual(covered.subtracting(routed).sorted(), [], "matrix entries the router does not serve")
    }

    func testEveryRoleGets404ForEveryIdOfAnotherTenantAndChangesNothing() throws {
        let db = try StackDatabase.require()
        let (mine, theirs) = try db.makeTwoTenants("matrix")
        let owner = try db.caller(theirs, .admin)
        let foreign = try World.make(owner)
        let before = try Self.snapshot(owner, foreign)
        let foreignIDs = Set([foreign.project, foreign.dataset, foreign.table, foreign.emptyProject, foreign.emptyDataset,
                              foreign.member, Int(theirs.userID)])

        var checked = 0
        for role in [Role.admin, .user, .viewer] {
            let caller = try db.caller(mine, role)
            for endpoint in Self.endpoints() {
                let path = endpoint.path(foreign)
                for ifMatch: [(String, String)] in [[], [("If-Match", "\"1\"")]] where endpoint.method != "GET" || ifMatch.isEmpty {
                    let response = try endpoint.call(caller, foreign, headers: ifMatch)
                    guard endpoint.pattern.contains("{") else {
                        // A tenant-wide list or create: it may succeed, but only ever with the caller's own tenant.
                        if let items = try? response.json()["items"] as? [[String: Any]] {
                            // Ids are per kind: compare a list's ids with the other tenant's of that kind.
                            let kind = path.split(separator: "?")[0].split(separator: "/").last.map(String.init) ?? ""
                            let sameKind: Set<Int> = switch kind {
                            case "projects": [foreign.project, foreign.emptyProject]
                            case "users": [foreign.member, Int(theirs.userID)]
                            case "tokens": [foreign.token]
                            default: foreignIDs
                            }
                            let leaked = items.compactMap { $0["id"] as? Int }.filter { sameKind.contains($0) }
                            XCTAssertEqual(leaked, [], "\(role) \(endpoint.method) \(path) lists another tenant's objects")
                        }
                        continue
                    }
                    XCTAssertEqual(response.status, 404, "\(role) \(endpoint.method) \(path) \(ifMatch.isEmpty ? "" : "If-Match"): \(response.text)")
                    XCTAssertEqual(response.headers["content-type"], "application/problem+json")
                    XCTAssertFalse(response.text.contains("secret"), "no foreign data in the error")
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 3 * 33, "every id-bearing endpoint was tried for every role")
        XCTAssertEqual(try Self.snapshot(owner, foreign), before, "the other tenant's objects are exactly as they were")
    }

    func testRolesAreRefusedExactlyWhereTheDesignSaysAndAllowedEverywhereElse() throws {
        let db = try StackDatabase.require()
        let (mine, _) = try db.makeTwoTenants("roles")
        let admin = try db.caller(mine, .admin)
        let shared = try World.make(admin)
        for role in [Role.admin, .user, .viewer] {
            let caller = try db.caller(mine, role)
            for endpoint in Self.endpoints() {
                // A fresh world for a delete, so it never removes what the next call needs; every
                // other call leaves the shared world usable (new names, new ids, added columns).
                let world = endpoint.method == "DELETE" || endpoint.freshWorld ? try World.make(admin) : shared
                let path = endpoint.path(world)
                let response = try endpoint.call(caller, world)
                let expected = role >= endpoint.minimum ? endpoint.success : 403
                XCTAssertEqual(response.status, expected, "\(role) \(endpoint.method) \(path): \(response.text)")
                if expected == 403 {
                    XCTAssertEqual(response.headers["content-type"], "application/problem+json")
                }
            }
        }
    }

    func testARefusedRequestWritesNothing() throws {
        let db = try StackDatabase.require()
        let (mine, _) = try db.makeTwoTenants("refused")
        let admin = try db.caller(mine, .admin)
        let world = try World.make(admin)
        let viewer = try db.caller(mine, .viewer)
        let before = try Self.snapshot(admin, world)
        let versionsBefore = try db.historyVersions(of: mine)
        for endpoint in Self.endpoints() where endpoint.minimum > .viewer {
            XCTAssertEqual(try endpoint.call(viewer, world).status, 403, "\(endpoint.method) \(endpoint.pattern)")
        }
        XCTAssertEqual(try Self.snapshot(admin, world), before)
        XCTAssertEqual(try db.historyVersions(of: mine), versionsBefore, "no history version was written")
    }

    /// What a tenant's admin sees of a world: every object's body and the table's rows (the
    /// pages' matrix compares it too).
    static func snapshot(_ admin: APICaller, _ world: World) throws -> [String] {
        try [
            "/api/v1/projects/\(world.project)", "/api/v1/projects/\(world.emptyProject)",
            "/api/v1/projects/\(world.project)/datasets", "/api/v1/datasets/\(world.dataset)",
            "/api/v1/datasets/\(world.emptyDataset)", "/api/v1/datasets/\(world.dataset)/tables",
            "/api/v1/tables/\(world.table)", "/api/v1/tables/\(world.table)/rows", "/api/v1/users/\(world.member)",
            "/api/v1/tables/\(world.table)/imports", "/api/v1/imports/\(world.importJob)",
            "/api/v1/tables/\(world.table)/exports", "/api/v1/exports/\(world.exportJob)",
            "/api/v1/queries/\(world.savedQuery)", "/api/v1/projects/\(world.project)/queries",
            "/api/v1/projects/\(world.project)/runs", "/api/v1/runs/\(world.run)", "/api/v1/queries/\(world.savedQuery)/exports",
            "/api/v1/tokens/\(world.token)",
        ].map { path in
            let response = try admin.call("GET", path)
            XCTAssertEqual(response.status, 200, path)
            return response.text
        }
    }
}
