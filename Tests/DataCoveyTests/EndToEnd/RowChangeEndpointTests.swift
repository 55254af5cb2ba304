import DataCovey
import Foundation
import MariaDB
import TestSupport
import XCTest

/// `PATCH|DELETE /api/v1/tables/{id}/rows?<filters>` and `GET|PATCH|DELETE …/rows/{key}`
/// through nginx against the real typed table: exact rows, exact answers, and nothing changed
/// by a refusal (each read back).
final class RowChangeEndpointTests: XCTestCase {
    /// A table with a column of every type, keyed by `id`.
    private func itemsTable(_ caller: APICaller, name: String = "items", key: Bool = true) throws -> Int {
        let project = try caller.call("POST", "/api/v1/projects", json: ["name": "p_\(UInt32.random(in: 0..<UInt32.max))"]).json()["id"] as? Int ?? 0
        let dataset = try caller.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": "d"]).json()["id"] as? Int ?? 0
        let table = try caller.call("POST", "/api/v1/datasets/\(dataset)/tables", json: [
            "name": name,
            "columns": [
                ["name": "id", "type": "int64", "primary_key": key],
                ["name": "amount", "type": "decimal(30,10)"],
                ["name": "name", "type": "string"],
                ["name": "note", "type": "text"],
                ["name": "paid", "type": "bool"],
                ["name": "placed_at", "type": "timestamp"],
                ["name": "day", "type": "date"],
                ["name": "attrs", "type": "json"],
                ["name": "ratio", "type": "float64"],
            ],
        ])
        XCTAssertEqual(table.status, 201, table.text)
        return try table.json()["id"] as? Int ?? 0
    }

    /// Three rows, written as raw JSON so the stored text is known to the byte.
    private static let threeRows = """
        [{"id": 1, "amount": "12345678901234567890.0123456789", "name": "apple", "note": "red and round", "paid": true,
          "placed_at": "2026-11-25T10:00:00.123456Z", "day": "2026-11-25", "attrs": {"tags":["a","b"]}, "ratio": 0.25},
         {"id": 2, "amount": "0.5", "name": "pear", "note": "green", "paid": false,
          "placed_at": "2026-11-26T08:00:00+02:00", "day": "2026-11-26", "attrs": [1,2], "ratio": 1e-3},
         {"id": 3, "name": "plum", "paid": false}]
        """
    private static let row1 = #"{"id":1,"amount":"12345678901234567890.0123456789","name":"apple","note":"red and round","paid":true,"placed_at":"2026-11-25T10:00:00.123456Z","day":"2026-11-25","attrs":{"tags":["a","b"]},"ratio":0.25}"#
    private static let row2 = #"{"id":2,"amount":"0.5000000000","name":"pear","note":"green","paid":false,"placed_at":"2026-11-26T06:00:00.000000Z","day":"2026-11-26","attrs":[1,2],"ratio":0.001}"#
    private static let row3 = #"{"id":3,"amount":null,"name":"plum","note":null,"paid":false,"placed_at":null,"day":null,"attrs":null,"ratio":null}"#

    private func filled(_ caller: APICaller, key: Bool = true) throws -> Int {
        let table = try itemsTable(caller, key: key)
        let inserted = try caller.call("POST", "/api/v1/tables/\(table)/rows", body: Array(Self.threeRows.utf8),
                                       headers: [("Content-Type", "application/json")])
        XCTAssertEqual(inserted.status, 201, inserted.text)
        return table
    }

    /// The table's rows as the rows list writes them, the exact body text.
    private func listed(_ caller: APICaller, _ table: Int) throws -> String {
        let page = try caller.call("GET", "/api/v1/tables/\(table)/rows")
        XCTAssertEqual(page.status, 200, page.text)
        return page.text
    }

    private func list(_ rows: String...) -> String { #"{"items":["# + rows.joined(separator: ",") + #"],"next_cursor":null}"# }

    private func patch(_ caller: APICaller, _ path: String, _ body: String, prefer: String? = nil) throws -> HTTPTestClient.Response {
        var headers = [("Content-Type", "application/json")]
        if let prefer { headers.append(("Prefer", prefer)) }
        return try caller.call("PATCH", path, body: Array(body.utf8), headers: headers)
    }

    private func problem(_ response: HTTPTestClient.Response) throws -> (detail: String, fields: [String: String]) {
        let json = try response.json()
        var fields: [String: String] = [:]
        for error in json["errors"] as? [[String: Any]] ?? [] { fields[error["field"] as? String ?? ""] = error["message"] as? String ?? "" }
        return (json["detail"] as? String ?? "", fields)
    }

    func testPatchSetsEveryTypeExactlyAndAnswersAsPreferred() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("rowpatch")
        let user = try db.caller(tenant, .user)
        let table = try filled(user)
        let rows = "/api/v1/tables/\(table)/rows"

        let changed = try patch(user, "\(rows)?id=eq.3", """
            {"amount": "98765432109876543210.9876543210", "name": "plum\\u00e9", "note": "ripe", "paid": "yes",
             "placed_at": "2026-12-01T00:30:00.5+01:00", "day": "2026-12-31", "attrs": {"b": 1, "a": 100000000000000000000},
             "ratio": 0.30000000000000004}
            """, prefer: "return=representation, count=exact")
        XCTAssertEqual(changed.status, 200, changed.text)
        let row3 = #"{"id":3,"amount":"98765432109876543210.9876543210","name":"plumé","note":"ripe","paid":true,"placed_at":"2026-11-30T23:30:00.500000Z","day":"2026-12-31","attrs":{"b": 1, "a": 100000000000000000000},"ratio":0.30000000000000004}"#
        XCTAssertEqual(changed.text, #"{"items":["# + row3 + "]}")
        XCTAssertEqual(changed.headers["content-range"], "*/1")
        XCTAssertEqual(changed.headers["preference-applied"], "return=representation, count=exact")
        XCTAssertEqual(try listed(user, table), list(Self.row1, Self.row2, row3))

        // The default answer is 204, with the count when it is asked for.
        let minimal = try patch(user, "\(rows)?paid=eq.true", #"{"note": null}"#, prefer: "count=exact")
        XCTAssertEqual(minimal.status, 204, minimal.text)
        XCTAssertEqual(minimal.headers["content-range"], "*/2")
        XCTAssertEqual(minimal.text, "")
        let quiet = try patch(user, "\(rows)?id=eq.2", #"{"note": "green again"}"#)
        XCTAssertEqual(quiet.status, 204)
        XCTAssertNil(quiet.headers["content-range"])

        // A filter on every comparable type selects exactly its rows; the new images come back.
        let filters: [(String, [Int])] = [
            ("id=gt.1", [2, 3]), ("amount=eq.12345678901234567890.0123456789", [1]),
            ("amount=lt.98765432109876543210.987654321", [1, 2]), ("name=eq.pear", [2]), ("note=like.green%25", [2]),
            ("paid=eq.false", [2]), ("placed_at=eq.2026-11-26T06:00:00Z", [2]), ("placed_at=gt.2026-11-30T23:30:00.4999Z", [3]),
            ("day=lt.2026-11-26", [1]), ("ratio=eq.0.001", [2]), ("attrs=is.null", []), ("ratio=gt.0.2&paid=eq.true", [1, 3]),
        ]
        for (index, (filter, ids)) in filters.enumerated() {
            let response = try patch(user, "\(rows)?\(filter)", #"{"attrs": [\#(index)]}"#, prefer: "return=representation,count=exact")
            XCTAssertEqual(response.status, 200, "\(filter): \(response.text)")
            let items = try response.json()["items"] as? [[String: Any]] ?? []
            XCTAssertEqual(items.compactMap { $0["id"] as? Int }, ids, filter)
            XCTAssertTrue(items.allSatisfy { $0["attrs"] as? [Int] == [index] }, filter)
            XCTAssertEqual(response.headers["content-range"], "*/\(ids.count)", filter)
        }

        // NULL, and back; every row at once when asked for.
        let all = try patch(user, "\(rows)?all=true", #"{"ratio": null, "day": "0001-01-01"}"#, prefer: "count=exact")
        XCTAssertEqual(all.status, 204, all.text)
        XCTAssertEqual(all.headers["content-range"], "*/3")
        let days = try user.call("GET", "\(rows)?day=eq.0001-01-01&ratio=is.null").json()["items"] as? [[String: Any]] ?? []
        XCTAssertEqual(days.compactMap { $0["id"] as? Int }, [1, 2, 3])
    }

    func testDeleteByFilterAnswersTheDeletedRows() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("rowdelete")
        let user = try db.caller(tenant, .user)
        let table = try filled(user)
        let rows = "/api/v1/tables/\(table)/rows"

        let gone = try user.call("DELETE", "\(rows)?amount=lt.1", headers: [("Prefer", "return=representation")])
        XCTAssertEqual(gone.status, 200, gone.text)
        XCTAssertEqual(gone.text, #"{"items":["# + Self.row2 + "]}")
        XCTAssertNil(gone.headers["content-range"])
        XCTAssertEqual(try listed(user, table), list(Self.row1, Self.row3))

        let none = try user.call("DELETE", "\(rows)?name=eq.nothing", headers: [("Prefer", "count=exact")])
        XCTAssertEqual(none.status, 204)
        XCTAssertEqual(none.headers["content-range"], "*/0")

        let rest = try user.call("DELETE", "\(rows)?all=true", headers: [("Prefer", "count=exact")])
        XCTAssertEqual(rest.status, 204, rest.text)
        XCTAssertEqual(rest.headers["content-range"], "*/2")
        XCTAssertEqual(try listed(user, table), list())
    }

    /// Every refusal answers its status and reason and changes nothing: the rows read back the same.
    func testRefusalsChangeNothing() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("rowrefuse")
        let user = try db.caller(tenant, .user)
        let table = try filled(user)
        let rows = "/api/v1/tables/\(table)/rows"
        let before = try listed(user, table)
        XCTAssertEqual(before, list(Self.row1, Self.row2, Self.row3))

        let cases: [(String, String, String?, String?, Int, String, [String: String])] = [
            // method, query, body, prefer, status, detail, fields
            ("PATCH", "", #"{"name": "x"}"#, nil, 400,
             "Say which rows to change with a filter such as ?id=eq.7; to change every row, add ?all=true.", ["filter": "is required"]),
            ("DELETE", "", nil, nil, 400,
             "Say which rows to change with a filter such as ?id=eq.7; to change every row, add ?all=true.", ["filter": "is required"]),
            ("DELETE", "?all=yes", nil, nil, 400, "all must be true or false.", ["all": "must be true or false"]),
            ("DELETE", "?colour=eq.red", nil, nil, 400, "There is no column colour to filter on.", ["colour": "is not a column"]),
            // A reader's parameter would be ignored by a change: limit=1 must not look like a cap.
            ("DELETE", "?id=gt.0&limit=1", nil, nil, 400, "limit reads rows; a change takes filters, all and max_affected only.",
             ["limit": "does not apply to a change"]),
            ("PATCH", "?id=eq.1&order=id.desc", #"{"name": "x"}"#, nil, 400,
             "order reads rows; a change takes filters, all and max_affected only.", ["order": "does not apply to a change"]),
            ("PATCH", "?id=eq.1", "{}", nil, 400, "The body sets no column; name at least one with its new value.", [:]),
            ("PATCH", "?id=eq.1", "[{\"name\": \"x\"}]", nil, 400,
             "The body must be a JSON object of the new values, such as {\"status\": \"paid\"}.", [:]),
            ("PATCH", "?id=eq.1", #"{"name": "x",}"#, nil, 400, "The body is not valid JSON: it has a trailing comma (at byte 14).", [:]),
            ("PATCH", "?id=eq.1", #"{"colour": "red", "paid": "maybe", "amount": 1e400, "name": 12}"#, nil, 422,
             "4 values do not fit the table; no row was changed.",
             ["colour": "is not a column of the table", "paid": "must be true or false (also t/f, yes/no, y/n, on/off, 1/0)",
              "amount": "is out of range for decimal(30,10)", "name": "must be a string, not a number"]),
            ("PATCH", "?id=eq.1", #"{"id": null}"#, nil, 422, "1 value does not fit the table; no row was changed.", ["id": "may not be null"]),
            ("PATCH", "?id=eq.1", #"{"id": 2}"#, nil, 409, "The change would give two rows the same primary key; no row was changed.", [:]),
            ("PATCH", "?all=true", #"{"id": 7}"#, nil, 409, "The change would give two rows the same primary key; no row was changed.", [:]),
            ("PATCH", "?paid=eq.false&max_affected=1", #"{"name": "x"}"#, nil, 409,
             "2 rows match; at most 1 may be changed (max_affected), so nothing was changed.", [:]),
            ("DELETE", "?all=true", nil, "max-affected=2", 409, "3 rows match; at most 2 may be changed (max_affected), so nothing was changed.", [:]),
            ("DELETE", "?all=true&max_affected=0", nil, "max-affected=5", 409,
             "3 rows match; at most 0 may be changed (max_affected), so nothing was changed.", [:]),
            ("DELETE", "?all=true&max_affected=-1", nil, nil, 400, "max_affected must be a whole number, 0 or more.",
             ["max_affected": "must be a whole number, 0 or more"]),
            ("DELETE", "?all=true", nil, "max-affected=lots", 400, "Prefer: max-affected must be a whole number, 0 or more.",
             ["Prefer": "has an invalid max-affected"]),
        ]
        for (method, query, body, prefer, status, detail, fields) in cases {
            var headers: [(String, String)] = []
            if body != nil { headers.append(("Content-Type", "application/json")) }
            if let prefer { headers.append(("Prefer", prefer)) }
            let response = try user.call(method, rows + query, body: body.map { Array($0.utf8) }, headers: headers)
            let label = "\(method) \(query) \(body ?? "")"
            XCTAssertEqual(response.status, status, "\(label): \(response.text)")
            XCTAssertEqual(response.headers["content-type"], "application/problem+json", label)
            let (shownDetail, shownFields) = try problem(response)
            XCTAssertEqual(shownDetail, detail, label)
            XCTAssertEqual(shownFields, fields, label)
            XCTAssertEqual(try listed(user, table), before, "\(label) changed nothing")
        }
        // Within the cap, the change happens.
        let capped = try user.call("DELETE", "\(rows)?paid=eq.false&max_affected=2", headers: [("Prefer", "count=exact")])
        XCTAssertEqual(capped.status, 204, capped.text)
        XCTAssertEqual(capped.headers["content-range"], "*/2")
        XCTAssertEqual(try listed(user, table), list(Self.row1))
        let admin = try db.caller(tenant, .admin)
        let entries = try admin.call("GET", "/api/v1/audit?kind=rows").json()["items"] as? [[String: Any]] ?? []
        XCTAssertEqual(entries.compactMap { $0["operation"] as? String }, ["delete", "insert"], "refusals left no audit entry")
    }

    func testRowsAddressedByTheirKey() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("rowkey")
        let user = try db.caller(tenant, .user)
        let table = try filled(user)
        let rows = "/api/v1/tables/\(table)/rows"

        let one = try user.call("GET", "\(rows)/1")
        XCTAssertEqual(one.status, 200, one.text)
        XCTAssertEqual(one.text, Self.row1)
        XCTAssertEqual(try user.call("GET", "\(rows)/9").status, 404)
        let bad = try user.call("GET", "\(rows)/x")
        XCTAssertEqual(bad.status, 400)
        XCTAssertEqual(try problem(bad).fields, ["key": "must be an integer"])

        let changed = try patch(user, "\(rows)/2", #"{"name": "quince", "attrs": null}"#)
        XCTAssertEqual(changed.status, 200, changed.text)
        let row2 = Self.row2.replacingOccurrences(of: #""pear""#, with: #""quince""#).replacingOccurrences(of: "[1,2]", with: "null")
        XCTAssertEqual(changed.text, row2)
        XCTAssertEqual(try user.call("GET", "\(rows)/2").text, row2)
        XCTAssertEqual(try patch(user, "\(rows)/9", #"{"name": "x"}"#).status, 404)
        // Changing the key itself: to a free key it moves, to a taken one it is refused.
        let moved = try patch(user, "\(rows)/3", #"{"id": 30}"#)
        XCTAssertEqual(moved.status, 200, moved.text)
        XCTAssertEqual(try moved.json()["id"] as? Int, 30)
        XCTAssertEqual(try patch(user, "\(rows)/30", #"{"id": 1}"#).status, 409)
        XCTAssertEqual(try patch(user, "\(rows)/30", #"{"paid": "maybe"}"#).status, 422)

        let deleted = try user.call("DELETE", "\(rows)/30", headers: [("Prefer", "return=representation")])
        XCTAssertEqual(deleted.status, 200, deleted.text)
        XCTAssertEqual(deleted.text, Self.row3.replacingOccurrences(of: #""id":3"#, with: #""id":30"#))
        XCTAssertEqual(try user.call("DELETE", "\(rows)/1").status, 204)
        XCTAssertEqual(try user.call("DELETE", "\(rows)/1").status, 404)
        XCTAssertEqual(try listed(user, table), list(row2))

        // A table without a single-column key has no row addresses.
        let unkeyed = try filled(user, key: false)
        for method in ["GET", "DELETE"] {
            let response = try user.call(method, "/api/v1/tables/\(unkeyed)/rows/1")
            XCTAssertEqual(response.status, 409, method)
            XCTAssertEqual(try problem(response).detail, "The table has no primary key, so its rows have no address; select them with filters.")
        }
        XCTAssertEqual(try listed(user, unkeyed), list(Self.row1, Self.row2, Self.row3))

        // A text key with a space and an accent in its address. (nginx decodes the path before
        // routing, so a key holding "/" has no address: such rows are selected with filters.)
        let project = try user.call("POST", "/api/v1/projects", json: ["name": "keys_\(table)"]).json()["id"] as? Int ?? 0
        let dataset = try user.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": "d"]).json()["id"] as? Int ?? 0
        let created = try user.call("POST", "/api/v1/datasets/\(dataset)/tables", json: [
            "name": "named", "columns": [["name": "code", "type": "string", "primary_key": true], ["name": "n", "type": "int64"]],
        ])
        XCTAssertEqual(created.status, 201, created.text)
        let named = try created.json()["id"] as? Int ?? 0
        XCTAssertEqual(try user.call("POST", "/api/v1/tables/\(named)/rows", json: [["code": "a bé", "n": 1], ["code": "a", "n": 2]]).status, 201)
        let found = try user.call("GET", "/api/v1/tables/\(named)/rows/a%20b%C3%A9")
        XCTAssertEqual(found.status, 200, found.text)
        XCTAssertEqual(found.text, #"{"code":"a bé","n":1}"#)
    }

    /// A key of every type that can be one is read from the path by its column's type, exactly:
    /// a long decimal, a timestamp with microseconds (in any zone), a date, text, a float.
    func testAKeyOfEveryTypeAddressesItsRow() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("rowkeytypes")
        let user = try db.caller(tenant, .user)
        let project = try user.call("POST", "/api/v1/projects", json: ["name": "keytypes"]).json()["id"] as? Int ?? 0
        let dataset = try user.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": "d"]).json()["id"] as? Int ?? 0
        // (type, the key as inserted, a neighbour, the key in the path, the key as the API writes it)
        let keys: [(String, Any, Any, String, String)] = [
            ("int64", 9007199254740993 as Int64, 9007199254740992 as Int64, "9007199254740993", "9007199254740993"),
            ("decimal(30,10)", "12345678901234567890.0123456789", "12345678901234567890.0123456788",
             "12345678901234567890.0123456789", #""12345678901234567890.0123456789""#),
            ("timestamp", "2026-11-25T10:00:00.123456Z", "2026-11-25T10:00:00.123455Z", "2026-11-25T11:00:00.123456%2B01:00",
             #""2026-11-25T10:00:00.123456Z""#),
            ("date", "2026-11-25", "2026-11-24", "2026-11-25", #""2026-11-25""#),
            ("string", "Zoë", "Zoey", "Zo%C3%AB", #""Zoë""#),
            ("float64", 0.1, 0.30000000000000004, "0.1", "0.1"),
        ]
        for (index, (type, key, neighbour, path, written)) in keys.enumerated() {
            let created = try user.call("POST", "/api/v1/datasets/\(dataset)/tables", json: [
                "name": "k\(index)", "columns": [["name": "k", "type": type, "primary_key": true], ["name": "v", "type": "int64"]],
            ])
            XCTAssertEqual(created.status, 201, "\(type): \(created.text)")
            let rows = "/api/v1/tables/\(try created.json()["id"] as? Int ?? 0)/rows"
            XCTAssertEqual(try user.call("POST", rows, json: [["k": neighbour, "v": 2], ["k": key, "v": 1]]).status, 201, type)
            let found = try user.call("GET", "\(rows)/\(path)")
            XCTAssertEqual(found.status, 200, "\(type): \(found.text)")
            XCTAssertEqual(found.text, #"{"k":\#(written),"v":1}"#, type)
            let changed = try patch(user, "\(rows)/\(path)", #"{"v": 10}"#)
            XCTAssertEqual(changed.text, #"{"k":\#(written),"v":10}"#, type)
            XCTAssertEqual(try user.call("DELETE", "\(rows)/\(path)").status, 204, type)
            XCTAssertEqual(try user.call("GET", "\(rows)/\(path)").status, 404, type)
            XCTAssertEqual((try user.call("GET", rows).json()["items"] as? [[String: Any]])?.compactMap { $0["v"] as? Int }, [2],
                           "\(type): the neighbour is untouched")
        }
    }

    func testViewersOnlyReadAndOtherTenantsTablesAreNotFound() throws {
        let db = try StackDatabase.require()
        let (mine, theirs) = try db.makeTwoTenants("rowchangeiso")
        let owner = try db.caller(theirs, .user)
        let table = try filled(owner)
        let rows = "/api/v1/tables/\(table)/rows"
        let before = try listed(owner, table)

        let viewer = try db.caller(theirs, .viewer)
        XCTAssertEqual(try viewer.call("GET", "\(rows)/1").text, Self.row1, "viewers read a row by its key")
        let intruder = try db.caller(mine, .admin)
        let requests: [(String, String, String?)] = [
            ("PATCH", "\(rows)?id=eq.1", #"{"name": "x"}"#), ("DELETE", "\(rows)?id=eq.1", nil), ("DELETE", "\(rows)?all=true", nil),
            ("PATCH", "\(rows)/1", #"{"name": "x"}"#), ("DELETE", "\(rows)/1", nil), ("GET", "\(rows)/1", nil),
        ]
        for (method, path, body) in requests {
            let headers = body == nil ? [] : [("Content-Type", "application/json")]
            let asIntruder = try intruder.call(method, path, body: body.map { Array($0.utf8) }, headers: headers)
            XCTAssertEqual(asIntruder.status, 404, "\(method) \(path) by another tenant's admin")
            if method != "GET" {
                XCTAssertEqual(try viewer.call(method, path, body: body.map { Array($0.utf8) }, headers: headers).status, 403, "\(method) \(path) by a viewer")
            }
        }
        XCTAssertEqual(try listed(owner, table), before)
        let entries = try db.caller(theirs, .admin).call("GET", "/api/v1/audit?kind=rows").json()["items"] as? [[String: Any]] ?? []
        XCTAssertEqual(entries.count, 1, "only the insert")
        XCTAssertEqual((try intruder.call("GET", "/api/v1/audit?kind=rows").json()["items"] as? [[String: Any]])?.count, 0)
    }

    /// Changes of the same rows at once each lock, count and change them whole, in turn: every
    /// one answers its count, and the audit log has one entry per change.
    func testConcurrentChangesOfTheSameRowsEachTakeThemWhole() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("rowchangeconcurrent")
        let user = try db.caller(tenant, .user)
        let table = try filled(user)
        let rows = "/api/v1/tables/\(table)/rows"
        let answers = (0..<8).map { _ in LockedBox<(Int, String?)>((0, nil)) }
        // Each thread only sends a request with the caller's token.
        nonisolated(unsafe) let caller = user
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            let response = try? caller.call("PATCH", "\(rows)?all=true", body: Array(#"{"ratio": \#(index)}"#.utf8),
                                            headers: [("Content-Type", "application/json"), ("Prefer", "count=exact")])
            answers[index].set((response?.status ?? 0, response?.headers["content-range"]))
        }
        for index in 0..<8 {
            XCTAssertEqual(answers[index].get().0, 204, "change \(index)")
            XCTAssertEqual(answers[index].get().1, "*/3", "change \(index)")
        }
        let ratios = Set((try user.call("GET", rows).json()["items"] as? [[String: Any]] ?? []).compactMap { $0["ratio"] as? Double })
        XCTAssertEqual(ratios.count, 1, "one change was last, for every row")
        let entries = try db.caller(tenant, .admin).call("GET", "/api/v1/audit?kind=rows&operation=update").json()["items"] as? [[String: Any]] ?? []
        XCTAssertEqual(entries.count, 8)
        XCTAssertTrue(entries.allSatisfy { ($0["record"] as? [String: Any])?["rows"] as? Int == 3 })
    }

    /// Each change is one audit entry: who, which table, how many rows, and the filter or key.
    func testChangesAreInTheAuditLogWithTheirFilterOrKey() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("rowchangeaudit")
        let user = try db.caller(tenant, .user)
        let other = try db.caller(tenant, .user)
        let table = try filled(user)
        let rows = "/api/v1/tables/\(table)/rows"
        XCTAssertEqual(try patch(user, "\(rows)?paid=eq.false&name=like.p%25", #"{"note": "x"}"#).status, 204)
        XCTAssertEqual(try other.call("DELETE", "\(rows)/1").status, 204)
        XCTAssertEqual(try patch(other, "\(rows)/3", #"{"note": "y"}"#).status, 200)
        XCTAssertEqual(try user.call("DELETE", "\(rows)?all=true").status, 204)

        let admin = try db.caller(tenant, .admin)
        let entries = (try admin.call("GET", "/api/v1/audit?kind=rows").json()["items"] as? [[String: Any]] ?? [])
            .sorted { ($0["version"] as? Int ?? 0) < ($1["version"] as? Int ?? 0) }
        let summary = entries.map { entry -> [String] in
            let record = entry["record"] as? [String: Any] ?? [:]
            return [entry["operation"] as? String ?? "", "\((entry["changed_by"] as? [String: Any])?["id"] as? Int ?? 0)",
                    "\(record["table_id"] as? Int ?? 0)", "\(record["rows"] as? Int ?? -1)",
                    record["filter"] as? String ?? "", record["key"] as? String ?? ""]
        }
        let (u, o, t) = ("\(user.userID)", "\(other.userID)", "\(table)")
        XCTAssertEqual(summary, [
            ["insert", u, t, "3", "", ""],
            ["update", u, t, "2", "paid=eq.false&name=like.p%", ""],
            ["delete", o, t, "1", "", "1"],
            ["update", o, t, "1", "", "3"],
            ["delete", u, t, "2", "all=true", ""],
        ])
        XCTAssertTrue(entries.allSatisfy { $0["entity_id"] as? Int == table })
    }
}

