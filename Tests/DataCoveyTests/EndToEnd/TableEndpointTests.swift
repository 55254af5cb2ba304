import DataCovey
import Foundation
import MariaDB
import TestSupport
import XCTest

/// `/api/v1/datasets/{id}/tables` and `/api/v1/tables/{id}` through nginx, against the real
/// MariaDB tables they create.
final class TableEndpointTests: XCTestCase {
    private func dataset(_ caller: APICaller) throws -> Int {
        let project = try caller.call("POST", "/api/v1/projects", json: ["name": "tables_home"]).json()["id"] as? Int ?? 0
        return try caller.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": "main"]).json()["id"] as? Int ?? 0
    }

    private let orders: [String: Any] = [
        "name": "orders",
        "columns": [
            ["name": "id", "type": "int64", "primary_key": true],
            ["name": "amount", "type": "decimal(10,2)", "nullable": false, "default": "0.00"],
            ["name": "currency", "type": "string", "default": "EU'R\\"],
            ["name": "paid", "type": "bool", "default": false],
            ["name": "placed_at", "type": "timestamp"],
            ["name": "day", "type": "date", "default": "2026-11-25"],
            ["name": "note", "type": "text"],
            ["name": "attributes", "type": "json"],
            ["name": "ratio", "type": "float64", "default": 0.5],
        ],
    ]

    /// The physical table's columns as MariaDB describes them.
    private func physicalColumns(_ db: StackDatabase, tableID: Int) throws -> [String] {
        let superuser = try db.superuser()
        defer { superuser.close() }
        let (database, table) = try superuser.physicalTable(of: tableID)
        return try superuser.query("""
            SELECT CONCAT(COLUMN_NAME, ' ', COLUMN_TYPE, ' ', IS_NULLABLE, ' ', IFNULL(COLUMN_DEFAULT, '-'), ' ', COLUMN_KEY)
            FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = \(database) AND TABLE_NAME = \(table) ORDER BY ORDINAL_POSITION
            """).map { try $0.decode(String.self, at: 0) }
    }

    func testCreatingATableCreatesTheTypedMariaDBTable() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("tables")
        let user = try db.caller(tenant, .user)
        let datasetID = try dataset(user)
        let created = try user.call("POST", "/api/v1/datasets/\(datasetID)/tables", json: orders)
        XCTAssertEqual(created.status, 201, created.text)
        let json = try created.json()
        let id = json["id"] as? Int ?? 0
        XCTAssertEqual(json["row_count_estimate"] as? Int, 0)
        XCTAssertTrue(json["row_count"] is NSNull, "the exact count only on request")
        XCTAssertEqual(try user.call("POST", "/api/v1/tables/\(id)/rows", json: [["id": 1], ["id": 2]]).status, 201)
        XCTAssertEqual(try user.call("GET", "/api/v1/tables/\(id)?count=exact").json()["row_count"] as? Int, 2)
        XCTAssertEqual(try user.call("GET", "/api/v1/tables/\(id)?count=sometimes").status, 400)
        let columns = json["columns"] as? [[String: Any]] ?? []
        XCTAssertEqual(columns.compactMap { $0["name"] as? String },
                       ["id", "amount", "currency", "paid", "placed_at", "day", "note", "attributes", "ratio"])
        XCTAssertEqual(columns.first?["primary_key"] as? Bool, true)
        XCTAssertEqual(columns.first?["nullable"] as? Bool, false)
        XCTAssertEqual(columns[2]["default"] as? String, "EU'R\\")

        // The row id's unique key reads MUL: system versioning (sql/0023) adds the row's end to
        // every unique key, so only current rows must differ.
        XCTAssertEqual(try physicalColumns(db, tableID: id), [
            "_dc_row_id bigint(20) NO - MUL",
            "id bigint(20) NO - PRI",
            "amount decimal(10,2) NO 0.00 ",
            "currency varchar(255) YES 'EU''R\\\\' ",
            "paid tinyint(1) YES 0 ",
            "placed_at datetime(6) YES NULL ",
            "day date YES '2026-11-25' ",
            "note mediumtext YES NULL ",
            "attributes longtext YES NULL ",
            "ratio double YES 0.5 ",
        ])

        let read = try user.call("GET", "/api/v1/tables/\(id)")
        XCTAssertEqual(read.status, 200)
        XCTAssertEqual(read.headers["etag"], "\"1\"")
        let listed = try user.call("GET", "/api/v1/datasets/\(datasetID)/tables").json()["items"] as? [[String: Any]]
        XCTAssertEqual(listed?.compactMap { $0["name"] as? String }, ["orders"])

        XCTAssertEqual(try user.call("DELETE", "/api/v1/tables/\(id)").status, 204)
        XCTAssertEqual(try user.call("GET", "/api/v1/tables/\(id)").status, 404)
        let superuser = try db.superuser()
        XCTAssertEqual(try superuser.scalar("""
            SELECT COUNT(*) FROM information_schema.TABLES t JOIN datacovey.datasets d ON d.data_database = t.TABLE_SCHEMA
            WHERE d.id = \(Int64(datasetID))
            """), 0, "the physical table moved out of the dataset's database")
        XCTAssertEqual(try superuser.scalar("""
            SELECT COUNT(*) FROM information_schema.TABLES t JOIN datacovey.dataset_tables d ON d.physical_name = t.TABLE_NAME
            WHERE d.id = \(Int64(id)) AND t.TABLE_SCHEMA = 'dcd_0'
            """), 1, "into the trash database")
        XCTAssertEqual(try user.call("DELETE", "/api/v1/datasets/\(datasetID)").status, 204)
    }

    func testBadDefinitionsNameTheFieldAndCreateNothing() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("tabledefs")
        let user = try db.caller(tenant, .user)
        let datasetID = try dataset(user)
        let cases: [([String: Any], String)] = [
            (["name": "t", "columns": []], "columns"),
            (["name": "t", "columns": [["name": "a", "type": "varchar"]]], "columns.0.type"),
            (["name": "t", "columns": [["name": "a", "type": "decimal(70,2)"]]], "columns.0.type"),
            (["name": "t", "columns": [["name": "a", "type": "int64"], ["name": "A", "type": "text"]]], "columns.1.name"),
            (["name": "t", "columns": [["name": "a b", "type": "int64"]]], "columns.0.name"),
            (["name": "t", "columns": [["name": "a", "type": "int64", "default": "x"]]], "columns.0.default"),
            (["name": "t", "columns": [["name": "a", "type": "int64", "default": 1.5]]], "columns.0.default"),
            (["name": "t", "columns": [["name": "a", "type": "decimal(4,2)", "default": "123.4"]]], "columns.0.default"),
            (["name": "t", "columns": [["name": "a", "type": "date", "default": "25/11/2026"]]], "columns.0.default"),
            (["name": "t", "columns": [["name": "a", "type": "text", "primary_key": true]]], "columns.0.primary_key"),
            (["name": "t", "columns": [["name": "a", "type": "int64", "primary_key": true, "nullable": true]]], "columns.0.nullable"),
            (["name": "t", "columns": [["name": "a", "type": "int64", "colour": "red"]]], "columns.0.colour"),
            (["name": "t", "autodetect": true, "columns": [["name": "a", "type": "int64"]]], "columns"),
            (["name": "table", "columns": [["name": "a", "type": "int64"]]], "name"),
            (["name": "t", "columns": [["name": "_dc_row_id", "type": "int64"]]], "columns.0.name"),
        ]
        for (body, field) in cases {
            let response = try user.call("POST", "/api/v1/datasets/\(datasetID)/tables", json: body)
            XCTAssertEqual(response.status, 400, "\(field): \(response.text)")
            XCTAssertEqual((try response.json()["errors"] as? [[String: Any]])?.first?["field"] as? String, field, response.text)
        }
        XCTAssertEqual(try db.ops().scalar("SELECT COUNT(*) FROM dataset_tables WHERE tenant_id = \(tenant.tenantID)"), 0)
        let autodetect = try user.call("POST", "/api/v1/datasets/\(datasetID)/tables", json: ["name": "later", "autodetect": true])
        XCTAssertEqual(autodetect.status, 201)
        XCTAssertTrue(try autodetect.json()["row_count_estimate"] is NSNull, "no physical table until the first import")
        XCTAssertEqual(try user.call("POST", "/api/v1/datasets/\(datasetID)/tables", json: ["name": "LATER", "autodetect": true]).status, 409)
    }

    func testAnotherTenantsTablesAreNotFoundAndViewersOnlyRead() throws {
        let db = try StackDatabase.require()
        let (mine, theirs) = try db.makeTwoTenants("tableiso")
        let owner = try db.caller(theirs, .user)
        let theirDataset = try dataset(owner)
        let theirTable = try owner.call("POST", "/api/v1/datasets/\(theirDataset)/tables", json: orders).json()["id"] as? Int ?? 0
        let intruder = try db.caller(mine, .admin)
        XCTAssertEqual(try intruder.call("GET", "/api/v1/datasets/\(theirDataset)/tables").status, 404)
        XCTAssertEqual(try intruder.call("POST", "/api/v1/datasets/\(theirDataset)/tables", json: orders).status, 404)
        XCTAssertEqual(try intruder.call("GET", "/api/v1/tables/\(theirTable)").status, 404)
        XCTAssertEqual(try intruder.call("DELETE", "/api/v1/tables/\(theirTable)").status, 404)
        XCTAssertEqual(try physicalColumns(db, tableID: theirTable).count, 10, "their table is untouched")

        let viewer = try db.caller(theirs, .viewer)
        XCTAssertEqual(try viewer.call("GET", "/api/v1/tables/\(theirTable)").status, 200)
        XCTAssertEqual(try viewer.call("POST", "/api/v1/datasets/\(theirDataset)/tables", json: orders).status, 403)
        XCTAssertEqual(try viewer.call("DELETE", "/api/v1/tables/\(theirTable)").status, 403)
    }

    /// A column may carry a description (issue 18, sql/0019): given at creation or when a column
    /// is added, shown by GET, kept in the table's history, refused past 2,000 characters.
    func testColumnsCarryTheirDescriptions() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("coldesc")
        let user = try db.caller(tenant, .user)
        let datasetID = try dataset(user)
        let created = try user.call("POST", "/api/v1/datasets/\(datasetID)/tables", json: ["name": "described", "columns": [
            ["name": "id", "type": "int64", "description": "The order number from the shop"], ["name": "note", "type": "text"],
        ]])
        XCTAssertEqual(created.status, 201, created.text)
        let table = try created.json()["id"] as? Int ?? 0
        XCTAssertEqual(try user.call("PATCH", "/api/v1/tables/\(table)", json: ["add_columns": [["name": "paid", "type": "bool", "description": "Paid in full"]]]).status, 200)
        let columns = try user.call("GET", "/api/v1/tables/\(table)").json()["columns"] as? [[String: Any]] ?? []
        XCTAssertEqual(columns.map { $0["description"] as? String ?? "null" }, ["The order number from the shop", "null", "Paid in full"])
        XCTAssertTrue(columns[1]["description"] is NSNull, "a column without one shows null")
        let newest = try user.call("GET", "/api/v1/tables/\(table)/history").json()["items"] as? [[String: Any]] ?? []
        let recorded = ((newest.first?["record"] as? [String: Any])?["columns"] as? [[String: Any]] ?? []).map { $0["description"] as? String ?? "null" }
        XCTAssertEqual(recorded, ["The order number from the shop", "null", "Paid in full"])
        let long = try user.call("POST", "/api/v1/datasets/\(datasetID)/tables", json: ["name": "long", "columns": [
            ["name": "a", "type": "int64", "description": String(repeating: "x", count: 2001)],
        ]])
        XCTAssertEqual(long.status, 400)
        XCTAssertEqual((try long.json()["errors"] as? [[String: Any]])?.first?["field"] as? String, "columns.0.description")
    }

    func testPatchRenamesAndAppendsNullableColumns() throws {
        let db = try StackDatabase.require()
        let (tenant, theirs) = try db.makeTwoTenants("tablepatch")
        let user = try db.caller(tenant, .user)
        let datasetID = try dataset(user)
        let id = try user.call("POST", "/api/v1/datasets/\(datasetID)/tables",
                               json: ["name": "events", "columns": [["name": "id", "type": "int64", "primary_key": true]]]).json()["id"] as? Int ?? 0

        let renamed = try user.call("PATCH", "/api/v1/tables/\(id)", json: ["name": "clicks"], headers: [("If-Match", "\"1\"")])
        XCTAssertEqual(renamed.status, 200, renamed.text)
        XCTAssertEqual(renamed.headers["etag"], "\"2\"")
        XCTAssertEqual(try user.call("PATCH", "/api/v1/tables/\(id)", json: ["name": "again"], headers: [("If-Match", "\"1\"")]).status, 412)

        let widened = try user.call("PATCH", "/api/v1/tables/\(id)", json: [
            "add_columns": [["name": "url", "type": "string"], ["name": "weight", "type": "float64", "default": 1]],
        ], headers: [("If-Match", "\"2\"")])
        XCTAssertEqual(widened.status, 200, widened.text)
        XCTAssertEqual(widened.headers["etag"], "\"3\"", "adding columns is a new version of the table")
        XCTAssertEqual((try widened.json()["columns"] as? [[String: Any]])?.compactMap { $0["position"] as? Int }, [0, 1, 2])
        XCTAssertEqual(try physicalColumns(db, tableID: id), [
            "_dc_row_id bigint(20) NO - MUL", "id bigint(20) NO - PRI", "url varchar(255) YES NULL ", "weight double YES 1 ",
        ])

        let required = try user.call("PATCH", "/api/v1/tables/\(id)", json: ["add_columns": [["name": "must", "type": "int64", "nullable": false]]])
        XCTAssertEqual(required.status, 400)
        XCTAssertEqual((try required.json()["errors"] as? [[String: Any]])?.first?["field"] as? String, "add_columns.0.nullable")
        let clash = try user.call("PATCH", "/api/v1/tables/\(id)", json: ["add_columns": [["name": "URL", "type": "text"]]])
        XCTAssertEqual((try clash.json()["errors"] as? [[String: Any]])?.first?["field"] as? String, "add_columns.0.name")
        XCTAssertEqual(try physicalColumns(db, tableID: id).count, 4, "refused patches change nothing")

        XCTAssertEqual(try db.caller(tenant, .viewer).call("PATCH", "/api/v1/tables/\(id)", json: ["name": "x"]).status, 403)
        XCTAssertEqual(try db.caller(theirs, .admin).call("PATCH", "/api/v1/tables/\(id)", json: ["name": "x"]).status, 404)
        let later = try user.call("POST", "/api/v1/datasets/\(datasetID)/tables", json: ["name": "later", "autodetect": true]).json()["id"] as? Int ?? 0
        XCTAssertEqual(try user.call("PATCH", "/api/v1/tables/\(later)", json: ["add_columns": [["name": "a", "type": "int64"]]]).status, 409)
    }
}
