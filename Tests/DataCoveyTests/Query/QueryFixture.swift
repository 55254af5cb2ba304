import DataCovey
import Foundation
import TestSupport
import XCTest

/// A project with two datasets for query tests: `sales.orders` (every column type) and
/// `crm.customers`, filled through the rows API.
struct QueryFixture {
    let db: StackDatabase
    let tenant: TenantFixture
    let other: TenantFixture
    let user: APICaller
    let project: Int
    let orders: Int
    let customers: Int

    static func make(_ label: String) throws -> QueryFixture {
        let db = try StackDatabase.require()
        let (tenant, other) = try db.makeTwoTenants(label)
        let user = try db.caller(tenant, .user)
        func create(_ path: String, _ json: Any) throws -> Int {
            let response = try user.call("POST", path, json: json)
            XCTAssertEqual(response.status, 201, "\(path): \(response.text)")
            return try response.json()["id"] as? Int ?? 0
        }
        let project = try create("/api/v1/projects", ["name": "queries"])
        let sales = try create("/api/v1/projects/\(project)/datasets", ["name": "sales"])
        let crm = try create("/api/v1/projects/\(project)/datasets", ["name": "crm"])
        let orders = try create("/api/v1/datasets/\(sales)/tables", [
            "name": "orders",
            "columns": [
                ["name": "id", "type": "int64", "primary_key": true], ["name": "customer", "type": "int64"],
                ["name": "amount", "type": "decimal(10,2)"], ["name": "ratio", "type": "float64"], ["name": "paid", "type": "bool"],
                ["name": "label", "type": "string"], ["name": "body", "type": "text"], ["name": "day", "type": "date"],
                ["name": "at", "type": "timestamp"], ["name": "meta", "type": "json"],
            ],
        ])
        let customers = try create("/api/v1/datasets/\(crm)/tables", [
            "name": "customers", "columns": [["name": "id", "type": "int64", "primary_key": true], ["name": "name", "type": "string"]],
        ])
        let orderRows: [[String: Any]] = [
            ["id": 1, "customer": 10, "amount": "12.50", "ratio": 0.5, "paid": true, "label": "first", "body": "long, \"quoted\"",
             "day": "2026-01-02", "at": "2026-01-02T10:00:00.123456Z", "meta": ["k": 1]],
            ["id": 2, "customer": 10, "amount": "7.25", "ratio": 1.5, "paid": false, "label": "second", "body": NSNull(),
             "day": "2026-01-03", "at": "2026-01-03T11:30:00Z", "meta": NSNull()],
            ["id": 3, "customer": 20, "amount": "100.00", "ratio": -2.25, "paid": true, "label": "third", "body": "x",
             "day": "2026-02-01", "at": "2026-02-01T00:00:00Z", "meta": [1, 2]],
        ]
        XCTAssertEqual(try user.call("POST", "/api/v1/tables/\(orders)/rows", json: orderRows).status, 201)
        XCTAssertEqual(try user.call("POST", "/api/v1/tables/\(customers)/rows",
                                     json: [["id": 10, "name": "Ada"], ["id": 20, "name": "Grace"]]).status, 201)
        return QueryFixture(db: db, tenant: tenant, other: other, user: user, project: project, orders: orders, customers: customers)
    }

    /// POSTs an ad hoc query as `caller` (default: the fixture's user).
    func query(_ sql: String, params: Any? = nil, limit: Int? = nil, as caller: APICaller? = nil,
               headers: [(String, String)] = []) throws -> HTTPTestClient.Response {
        var body: [String: Any] = ["sql": sql]
        if let params { body["params"] = params }
        if let limit { body["limit"] = limit }
        return try (caller ?? user).call("POST", "/api/v1/projects/\(project)/query", json: body, headers: headers)
    }

    /// The physical `dcd_…`.`tbl_…` of a table, read as the operators' account.
    func physicalName(ofTable table: Int) throws -> (database: String, table: String) {
        let ops = try db.ops()
        defer { ops.close() }
        let row = try ops.query("""
            SELECT d.data_database, t.physical_name FROM dataset_tables t JOIN datasets d ON d.id = t.dataset_id WHERE t.id = \(table)
            """)[0]
        return try row.decode((String, String).self)
    }
}

/// The rows of a JSON query answer, re-serialized so they compare as exact text.
func rowsText(_ response: HTTPTestClient.Response) throws -> String {
    let rows = try response.json()["rows"] ?? []
    return String(decoding: try JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys]), as: UTF8.self)
}
