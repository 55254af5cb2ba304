import DataCovey
import Foundation
import MariaDB
import TestSupport
import XCTest

/// `GET|POST /api/v1/tables/{id}/rows` through nginx against the real typed table.
final class RowEndpointTests: XCTestCase {
    private func ordersTable(_ caller: APICaller) throws -> Int {
        let project = try caller.call("POST", "/api/v1/projects", json: ["name": "shop"]).json()["id"] as? Int ?? 0
        let dataset = try caller.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": "sales"]).json()["id"] as? Int ?? 0
        let table = try caller.call("POST", "/api/v1/datasets/\(dataset)/tables", json: [
            "name": "orders",
            "columns": [
                ["name": "id", "type": "int64", "primary_key": true],
                ["name": "amount", "type": "decimal(10,2)", "nullable": false, "default": "0.00"],
                ["name": "currency", "type": "string", "default": "EUR"],
                ["name": "paid", "type": "bool"],
                ["name": "placed_at", "type": "timestamp"],
                ["name": "day", "type": "date"],
                ["name": "attributes", "type": "json"],
                ["name": "ratio", "type": "float64"],
            ],
        ])
        XCTAssertEqual(table.status, 201, table.text)
        return try table.json()["id"] as? Int ?? 0
    }

    private let threeOrders: [[String: Any]] = [
        ["id": 1, "amount": "12.50", "paid": true, "placed_at": "2026-11-25T10:00:00Z", "day": "2026-11-25",
         "attributes": ["tags": ["a", "b"]], "ratio": 0.25],
        ["id": 2, "amount": 99.99, "currency": "USD", "paid": false],
        ["id": 3, "currency": NSNull(), "note_free": 0].filter { $0.key != "note_free" },
    ]

    private func items(_ response: HTTPTestClient.Response) throws -> [[String: Any]] {
        try response.json()["items"] as? [[String: Any]] ?? []
    }

    func testInsertedRowsComeBackTypedAndFilteredAndPaged() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("rows")
        let user = try db.caller(tenant, .user)
        let table = try ordersTable(user)

        let inserted = try user.call("POST", "/api/v1/tables/\(table)/rows", json: threeOrders)
        XCTAssertEqual(inserted.status, 201, inserted.text)
        XCTAssertEqual(try inserted.json()["inserted"] as? Int, 3)

        let all = try items(try user.call("GET", "/api/v1/tables/\(table)/rows"))
        XCTAssertEqual(all.count, 3)
        XCTAssertEqual(all[0]["id"] as? Int, 1)
        XCTAssertEqual(all[0]["amount"] as? String, "12.50", "decimals keep their digits as strings")
        XCTAssertEqual(all[0]["currency"] as? String, "EUR", "the column default")
        XCTAssertEqual(all[0]["paid"] as? Bool, true)
        XCTAssertEqual(all[0]["placed_at"] as? String, "2026-11-25T10:00:00.000000Z")
        XCTAssertEqual(all[0]["day"] as? String, "2026-11-25")
        XCTAssertEqual((all[0]["attributes"] as? [String: Any])?["tags"] as? [String], ["a", "b"])
        XCTAssertEqual(all[0]["ratio"] as? Double, 0.25)
        XCTAssertEqual(all[1]["amount"] as? String, "99.99")
        XCTAssertEqual(all[2]["amount"] as? String, "0.00")
        XCTAssertTrue(all[2]["currency"] is NSNull, "an explicit null is kept, not replaced by the default")

        XCTAssertEqual(try items(try user.call("GET", "/api/v1/tables/\(table)/rows?amount=gt.50")).compactMap { $0["id"] as? Int }, [2])
        XCTAssertEqual(try items(try user.call("GET", "/api/v1/tables/\(table)/rows?currency=is.null")).compactMap { $0["id"] as? Int }, [3])
        XCTAssertEqual(try items(try user.call("GET", "/api/v1/tables/\(table)/rows?currency=like.U%25")).compactMap { $0["id"] as? Int }, [2])
        XCTAssertEqual(try items(try user.call("GET", "/api/v1/tables/\(table)/rows?paid=eq.true&id=lt.3")).compactMap { $0["id"] as? Int }, [1])

        let first = try user.call("GET", "/api/v1/tables/\(table)/rows?limit=2")
        XCTAssertEqual(try items(first).compactMap { $0["id"] as? Int }, [1, 2])
        let cursor = try XCTUnwrap(try first.json()["next_cursor"] as? String)
        let second = try user.call("GET", "/api/v1/tables/\(table)/rows?limit=2&cursor=\(cursor)")
        XCTAssertEqual(try items(second).compactMap { $0["id"] as? Int }, [3])
        XCTAssertTrue(try second.json()["next_cursor"] is NSNull)
    }

    /// Walks every page of `query` one row at a time, following `next_cursor`.
    private func walk(_ caller: APICaller, _ table: Int, _ query: String) throws -> [Int] {
        var ids: [Int] = []
        var cursor: String?
        for _ in 0..<20 {
            let suffix = cursor.map { "&cursor=\($0)" } ?? ""
            let page = try caller.call("GET", "/api/v1/tables/\(table)/rows?limit=1&\(query)\(suffix)")
            XCTAssertEqual(page.status, 200, page.text)
            ids += try items(page).compactMap { $0["id"] as? Int }
            cursor = try page.json()["next_cursor"] as? String
            if cursor == nil { return ids }
        }
        XCTFail("paging did not end")
        return ids
    }

    func testOrderedPagesVisitEveryRowOnceWithTiesAndNulls() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("order")
        let user = try db.caller(tenant, .user)
        let table = try ordersTable(user)
        let rows: [[String: Any]] = [
            ["id": 1, "amount": "5.00", "currency": "EUR", "ratio": 0.1, "placed_at": "2026-01-02T00:00:00.5Z"],
            ["id": 2, "amount": "12345678.91", "currency": NSNull(), "ratio": NSNull()],
            ["id": 3, "amount": "5.00", "currency": "USD", "ratio": 0.30000000000000004, "placed_at": "2026-01-01T00:00:00Z"],
            ["id": 4, "amount": "0.10", "currency": NSNull(), "ratio": 0.1],
            ["id": 5, "amount": "5.00", "currency": "EUR", "ratio": 0.3, "placed_at": "2026-01-02T00:00:00.5Z"],
        ]
        XCTAssertEqual(try user.call("POST", "/api/v1/tables/\(table)/rows", json: rows).status, 201)

        XCTAssertEqual(try walk(user, table, "order=amount.asc"), [4, 1, 3, 5, 2])
        XCTAssertEqual(try walk(user, table, "order=amount.desc"), [2, 5, 3, 1, 4])
        XCTAssertEqual(try walk(user, table, "order=currency"), [2, 4, 1, 5, 3], "NULLs first ascending")
        XCTAssertEqual(try walk(user, table, "order=currency.desc"), [3, 5, 1, 4, 2], "NULLs last descending")
        XCTAssertEqual(try walk(user, table, "order=ratio.asc"), [2, 1, 4, 5, 3], "doubles resume at their exact value")
        XCTAssertEqual(try walk(user, table, "order=placed_at.desc"), [5, 1, 3, 4, 2], "microseconds kept in the cursor")
        XCTAssertEqual(try walk(user, table, "order=amount.desc&currency=eq.EUR"), [5, 1], "filters and order combine")

        let first = try user.call("GET", "/api/v1/tables/\(table)/rows?limit=2&order=amount.asc")
        let cursor = try XCTUnwrap(try first.json()["next_cursor"] as? String)
        for other in ["order=amount.desc", "order=currency.asc", ""] {
            let mismatched = try user.call("GET", "/api/v1/tables/\(table)/rows?limit=2&\(other)&cursor=\(cursor)")
            XCTAssertEqual(mismatched.status, 400, "a cursor only resumes the order it came from: \(other)")
            XCTAssertEqual((try mismatched.json()["errors"] as? [[String: Any]])?.first?["field"] as? String, "cursor")
        }
    }

    func testABadRowRejectsTheWholeRequestWithEveryProblemNamed() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("badrows")
        let user = try db.caller(tenant, .user)
        let table = try ordersTable(user)
        let response = try user.call("POST", "/api/v1/tables/\(table)/rows", json: [
            ["id": 10, "amount": "1.00"],
            ["id": 11, "amount": "abc", "paid": "maybe", "colour": "red"],
            ["amount": "2.00"],
            ["id": 13, "amount": NSNull(), "day": "25/11/2026", "placed_at": "noon"],
        ])
        XCTAssertEqual(response.status, 422, response.text)
        let fields = Set((try response.json()["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String })
        // amount is NOT NULL with a default: null stores the default, as a missing member does.
        XCTAssertEqual(fields, ["1.amount", "1.paid", "1.colour", "2.id", "3.day", "3.placed_at"])
        XCTAssertEqual(try items(try user.call("GET", "/api/v1/tables/\(table)/rows")).count, 0, "all or nothing")

        XCTAssertEqual(try user.call("POST", "/api/v1/tables/\(table)/rows", json: [["id": 1]]).status, 201)
        let duplicate = try user.call("POST", "/api/v1/tables/\(table)/rows", json: [["id": 2], ["id": 1]])
        XCTAssertEqual(duplicate.status, 409)
        XCTAssertEqual(try items(try user.call("GET", "/api/v1/tables/\(table)/rows")).compactMap { $0["id"] as? Int }, [1],
                       "row 2 was rolled back with the duplicate")

        for (query, field) in [("nope=eq.1", "nope"), ("id=eq.x", "id"), ("id=between.1", "id"), ("attributes=eq.1", "attributes"),
                               ("id=like.1", "id"), ("order=nope.desc", "order"), ("order=id.sideways", "order"),
                               ("order=attributes", "order"), ("cursor=zzz", "cursor")] {
            let bad = try user.call("GET", "/api/v1/tables/\(table)/rows?\(query)")
            XCTAssertEqual(bad.status, 400, query)
            XCTAssertEqual((try bad.json()["errors"] as? [[String: Any]])?.first?["field"] as? String, field, query)
        }
        for body in ["{\"id\": 1}", "[]", "[1, 2]", "not json"] {
            XCTAssertEqual(try user.call("POST", "/api/v1/tables/\(table)/rows", body: Array(body.utf8),
                                         headers: [("Content-Type", "application/json")]).status, 400, body)
        }
    }

    func testRowsOfAnotherTenantAreNotFoundAndViewersOnlyRead() throws {
        let db = try StackDatabase.require()
        let (mine, theirs) = try db.makeTwoTenants("rowiso")
        let owner = try db.caller(theirs, .user)
        let table = try ordersTable(owner)
        XCTAssertEqual(try owner.call("POST", "/api/v1/tables/\(table)/rows", json: [["id": 1]]).status, 201)
        let intruder = try db.caller(mine, .admin)
        XCTAssertEqual(try intruder.call("GET", "/api/v1/tables/\(table)/rows").status, 404)
        XCTAssertEqual(try intruder.call("POST", "/api/v1/tables/\(table)/rows", json: [["id": 2]]).status, 404)
        let viewer = try db.caller(theirs, .viewer)
        XCTAssertEqual(try items(try viewer.call("GET", "/api/v1/tables/\(table)/rows")).count, 1)
        XCTAssertEqual(try viewer.call("POST", "/api/v1/tables/\(table)/rows", json: [["id": 3]]).status, 403)
        XCTAssertEqual(try items(try owner.call("GET", "/api/v1/tables/\(table)/rows")).count, 1)
    }

    /// Every change to a table's rows is in the tenant's audit log: who, which table, how many
    /// rows; a refused insert leaves no entry, and the other tenant sees none of it.
    func testRowChangesAreInTheAuditLog() throws {
        let db = try StackDatabase.require()
        let (tenant, other) = try db.makeTwoTenants("rowaudit")
        let user = try db.caller(tenant, .user)
        let table = try ordersTable(user)
        XCTAssertEqual(try user.call("POST", "/api/v1/tables/\(table)/rows", json: threeOrders).status, 201)
        XCTAssertEqual(try user.call("POST", "/api/v1/tables/\(table)/rows", json: [["id": 1]]).status, 409)
        let admin = try db.caller(tenant, .admin)
        let entries = try items(try admin.call("GET", "/api/v1/audit?kind=rows"))
        XCTAssertEqual(entries.count, 1, "the refused insert is not recorded")
        let entry = try XCTUnwrap(entries.first)
        XCTAssertEqual(entry["entity_id"] as? Int, table)
        XCTAssertEqual(entry["operation"] as? String, "insert")
        XCTAssertEqual(entry["version"] as? Int, 1)
        XCTAssertEqual((entry["changed_by"] as? [String: Any])?["id"] as? Int, Int(user.userID))
        let record = try XCTUnwrap(entry["record"] as? [String: Any])
        XCTAssertEqual(record["table_id"] as? Int, table)
        XCTAssertEqual(record["rows"] as? Int, 3)
        XCTAssertEqual(try items(try db.caller(other, .admin).call("GET", "/api/v1/audit?kind=rows")).count, 0)
    }
}
