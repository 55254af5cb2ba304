import Foundation
import TestSupport
import XCTest
@testable import DataCovey

/// The read side of `GET /api/v1/tables/{id}/rows` (PostgREST conventions) through nginx:
/// every operator on every comparable type, `not.`, `or`/`and` nesting, `in` with quoted
/// commas, `select`, several order columns paged with ties and NULLs, `Content-Range`, CSV and
/// NDJSON pages, 406, and bad inputs refused naming their parameter.
final class RowQueryTests: XCTestCase {
    private func table(_ caller: APICaller) throws -> Int {
        let project = try caller.call("POST", "/api/v1/projects", json: ["name": "reads"]).json()["id"] as? Int ?? 0
        let dataset = try caller.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": "facts"]).json()["id"] as? Int ?? 0
        let table = try caller.call("POST", "/api/v1/datasets/\(dataset)/tables", json: [
            "name": "things",
            "columns": [
                ["name": "id", "type": "int64", "primary_key": true],
                ["name": "n", "type": "int64"],
                ["name": "amount", "type": "decimal(30,10)"],
                ["name": "name", "type": "string"],
                ["name": "flag", "type": "bool"],
                ["name": "at", "type": "timestamp"],
                ["name": "day", "type": "date"],
                ["name": "doc", "type": "json"],
            ],
        ])
        XCTAssertEqual(table.status, 201, table.text)
        let id = try table.json()["id"] as? Int ?? 0
        let rows: [[String: Any]] = [
            ["id": 1, "n": 10, "amount": "12345678901234567890.0000000001", "name": "Alpha", "flag": true,
             "at": "2026-01-01T00:00:00.000001Z", "day": "2026-01-01", "doc": ["a": 1]],
            ["id": 2, "n": 20, "amount": "12345678901234567890.0000000002", "name": "alpha", "flag": false,
             "at": "2026-01-02T00:00:00Z", "day": "2026-01-02"],
            ["id": 3, "n": NSNull(), "amount": "0.5", "name": "b,c", "flag": NSNull(), "at": NSNull(), "day": NSNull()],
            ["id": 4, "n": 20, "amount": "-1", "name": "Beta \"q\"", "flag": true, "at": "2026-01-03T12:00:00.5Z", "day": "2026-01-03"],
            ["id": 5, "n": 30, "amount": NSNull(), "name": NSNull(), "flag": false, "at": "2026-01-01T00:00:00.000001Z", "day": "2026-01-01"],
            ["id": 6, "n": 10, "amount": "12345678901234567890.0000000001", "name": "ALPHA", "flag": true, "at": NSNull(), "day": NSNull()],
        ]
        let inserted = try caller.call("POST", "/api/v1/tables/\(id)/rows", json: rows)
        XCTAssertEqual(inserted.status, 201, inserted.text)
        return id
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    private func query(_ pairs: [(String, String)]) -> String {
        pairs.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: Self.unreserved)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: Self.unreserved)!)" }
            .joined(separator: "&")
    }

    private func ids(_ caller: APICaller, _ table: Int, _ pairs: [(String, String)], file: StaticString = #filePath, line: UInt = #line) throws -> [Int] {
        let response = try caller.call("GET", "/api/v1/tables/\(table)/rows?\(query(pairs))")
        XCTAssertEqual(response.status, 200, "\(pairs): \(response.text)", file: file, line: line)
        return (try response.json()["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
    }

    func testEveryOperatorOnEveryTypeSelectsTheExactRows() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("ops")
        let user = try db.caller(tenant, .user)
        let table = try table(user)
        let cases: [([(String, String)], [Int])] = [
            // int64
            ([("n", "eq.20")], [2, 4]), ([("n", "neq.20")], [1, 5, 6]), ([("n", "lt.20")], [1, 6]), ([("n", "lte.20")], [1, 2, 4, 6]),
            ([("n", "gt.20")], [5]), ([("n", "gte.20")], [2, 4, 5]), ([("n", "not.eq.20")], [1, 5, 6]), ([("n", "not.lt.20")], [2, 4, 5]),
            ([("n", "in.(10,30)")], [1, 5, 6]), ([("n", "not.in.(10,30)")], [2, 4]), ([("n", "in.()")], []),
            ([("n", "is.null")], [3]), ([("n", "not.is.null")], [1, 2, 4, 5, 6]),
            // decimal: long digits compared exactly, never as doubles
            ([("amount", "eq.12345678901234567890.0000000001")], [1, 6]), ([("amount", "gt.12345678901234567890.0000000001")], [2]),
            ([("amount", "gte.12345678901234567890.0000000001")], [1, 2, 6]), ([("amount", "lt.0")], [4]),
            ([("amount", "neq.12345678901234567890.0000000001")], [2, 3, 4]),
            ([("amount", "in.(12345678901234567890.0000000002,0.5)")], [2, 3]), ([("amount", "lte.0.5")], [3, 4]),
            // text: like counts case, ilike does not; eq compares under the table's case-insensitive collation
            ([("name", "like.alpha")], [2]), ([("name", "like.A%")], [1, 6]), ([("name", "like.Al_ha")], [1]),
            ([("name", "ilike.alpha")], [1, 2, 6]), ([("name", "ilike.%PHA")], [1, 2, 6]), ([("name", "not.ilike.alpha")], [3, 4]),
            ([("name", "not.like.alpha")], [1, 3, 4, 6]), ([("name", "eq.alpha")], [1, 2, 6]), ([("name", "in.(\"b,c\",Beta)")], [3]),
            ([("name", "in.(\"b,c\",\"Beta \\\"q\\\"\")")], [3, 4]), ([("name", "gt.b")], [3, 4]), ([("name", "is.null")], [5]),
            // bool
            ([("flag", "is.true")], [1, 4, 6]), ([("flag", "is.false")], [2, 5]), ([("flag", "is.null")], [3]),
            ([("flag", "not.is.true")], [2, 3, 5]), ([("flag", "eq.true")], [1, 4, 6]), ([("flag", "neq.true")], [2, 5]),
            // timestamp: every microsecond counts
            ([("at", "eq.2026-01-01T00:00:00.000001Z")], [1, 5]), ([("at", "gt.2026-01-01T00:00:00.000001Z")], [2, 4]),
            ([("at", "lt.2026-01-01T00:00:00.000002Z")], [1, 5]), ([("at", "lte.2026-01-01T00:00:00Z")], []),
            ([("at", "in.(2026-01-03T12:00:00.5Z,2026-01-02T00:00:00Z)")], [2, 4]),
            // date
            ([("day", "gte.2026-01-02")], [2, 4]), ([("day", "in.(2026-01-01,2026-01-03)")], [1, 4, 5]), ([("day", "not.eq.2026-01-01")], [2, 4]),
            // json: only is.null
            ([("doc", "is.null")], [2, 3, 4, 5, 6]), ([("doc", "not.is.null")], [1]),
            // or / and, nested, negated, quoted values with commas and parentheses
            ([("or", "(n.eq.30,name.eq.\"b,c\")")], [3, 5]),
            ([("or", "(n.gt.20,and(flag.is.true,n.lt.20))")], [1, 5, 6]),
            ([("not.or", "(n.eq.10,n.is.null)")], [2, 4, 5]),
            ([("and", "(n.gte.10,or(flag.is.false,day.is.null))")], [2, 5, 6]),
            ([("n", "eq.10"), ("or", "(name.like.A%,flag.is.false)")], [1, 6]),
            ([("or", "(and(n.eq.20,not.or(flag.is.false,amount.lt.0)),id.eq.3)")], [3]),
            ([("or", "(name.in.(\"b,c\",alpha),amount.eq.-1)")], [1, 2, 3, 4, 6]),
            ([("or", "(name.eq.\"Beta \\\"q\\\"\",at.gte.2026-01-03T00:00:00Z)")], [4]),
            ([("or", "(n.eq.10)"), ("and", "(flag.is.true)"), ("id", "gt.1")], [6]),
        ]
        for (pairs, expected) in cases {
            XCTAssertEqual(try ids(user, table, pairs), expected, "\(pairs)")
        }
    }

    func testBadFiltersAreRefusedNamingTheirParameter() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("badops")
        let user = try db.caller(tenant, .user)
        let table = try table(user)
        let cases: [([(String, String)], String)] = [
            ([("n", "neq.x")], "n"), ([("n", "between.1")], "n"), ([("n", "not.between.1")], "n"), ([("n", "is.true")], "n"),
            ([("flag", "is.maybe")], "flag"), ([("n", "in.1,2")], "n"), ([("n", "in.(1,x)")], "n"), ([("n", "in.(1,2")], "n"),
            ([("name", "in.(\"open)")], "name"), ([("n", "like.1")], "n"), ([("doc", "eq.1")], "doc"), ([("nope", "eq.1")], "nope"),
            ([("or", "(n.eq.1")], "or"), ([("or", "n.eq.1")], "or"), ([("or", "(nope.eq.1)")], "or"), ([("or", "(n.zz.1)")], "or"),
            ([("and", "(n.eq.x)")], "and"), ([("and", "(n.eq.1))")], "and"), ([("or", "(n)")], "or"),
            ([("not.and", "(or(n.eq.1,flag.is.x))")], "not.and"), ([("amount", "eq.abc")], "amount"),
            ([("select", "nope")], "select"), ([("select", "")], "select"), ([("select", "id,id")], "select"),
            ([("order", "n.asc,n.desc")], "order"), ([("order", "n.up")], "order"), ([("order", "doc")], "order"),
            ([("order", "n.asc.nullsnever")], "order"), ([("cursor", "zzz")], "cursor"),
        ]
        for (pairs, field) in cases {
            let response = try user.call("GET", "/api/v1/tables/\(table)/rows?\(query(pairs))")
            XCTAssertEqual(response.status, 400, "\(pairs): \(response.text)")
            XCTAssertEqual((try response.json()["errors"] as? [[String: Any]])?.first?["field"] as? String, field, "\(pairs): \(response.text)")
        }
    }

    func testSelectPicksAndOrdersTheColumns() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("select")
        let user = try db.caller(tenant, .user)
        let table = try table(user)
        let response = try user.call("GET", "/api/v1/tables/\(table)/rows?select=amount,id&limit=2&order=id.desc")
        XCTAssertEqual(response.status, 200, response.text)
        XCTAssertTrue(response.text.hasPrefix("{\"items\":[{\"amount\":\"12345678901234567890.0000000001\",\"id\":6},{\"amount\":null,\"id\":5}],\"next_cursor\":\""),
                      response.text)
        // The order column need not be selected: the cursor still resumes it.
        let cursor = try XCTUnwrap(try response.json()["next_cursor"] as? String)
        let next = try user.call("GET", "/api/v1/tables/\(table)/rows?select=name&limit=2&order=n.desc&cursor=\(cursor)")
        XCTAssertEqual(next.status, 400, "a cursor of order id.desc is refused by order n.desc")
        let named = try user.call("GET", "/api/v1/tables/\(table)/rows?select=name&order=n.desc,id.asc")
        XCTAssertEqual(named.text, "{\"items\":[{\"name\":null},{\"name\":\"alpha\"},{\"name\":\"Beta \\\"q\\\"\"},{\"name\":\"Alpha\"},{\"name\":\"ALPHA\"},{\"name\":\"b,c\"}],\"next_cursor\":null}")
    }

    /// Walks every page of `pairs`, `limit` rows at a time, following `next_cursor`.
    private func walk(_ caller: APICaller, _ table: Int, _ pairs: [(String, String)], limit: Int) throws -> [Int] {
        var all: [Int] = []
        var cursor: String?
        for _ in 0..<20 {
            let response = try caller.call("GET", "/api/v1/tables/\(table)/rows?\(query(pairs + [("limit", "\(limit)")] + (cursor.map { [("cursor", $0)] } ?? [])))")
            XCTAssertEqual(response.status, 200, response.text)
            all += (try response.json()["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
            cursor = try response.json()["next_cursor"] as? String
            if cursor == nil { return all }
        }
        XCTFail("paging did not end")
        return all
    }

    func testSeveralOrderColumnsPageEveryRowOnceWithTiesAndNulls() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("multiorder")
        let user = try db.caller(tenant, .user)
        let table = try table(user)
        let cases: [(String, [Int])] = [
            ("n.desc,name.asc", [5, 2, 4, 1, 6, 3]),
            ("n,name", [3, 1, 6, 2, 4, 5]),
            ("flag.asc.nullslast,n.desc.nullsfirst", [5, 2, 4, 6, 1, 3]),
            ("flag.desc.nullsfirst,at.asc.nullslast", [3, 1, 4, 6, 5, 2]),
            ("day.desc,at.asc", [4, 2, 1, 5, 3, 6]),
            ("amount.desc,id.desc", [2, 6, 1, 3, 4, 5]),
            ("amount.asc.nullslast,name.desc", [4, 3, 6, 1, 2, 5]),
            ("at.desc.nullsfirst,day,n.desc", [6, 3, 4, 2, 5, 1]),
        ]
        for (order, expected) in cases {
            for limit in [1, 2, 4] {
                XCTAssertEqual(try walk(user, table, [("order", order)], limit: limit), expected, "order=\(order) limit=\(limit)")
            }
        }
        XCTAssertEqual(try walk(user, table, [("order", "n.desc,name.asc"), ("flag", "is.true")], limit: 1), [4, 1, 6])
    }

    func testContentRangeCountsExactlyEstimatedOrNot() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("counts")
        let user = try db.caller(tenant, .user)
        let table = try table(user)
        func get(_ path: String, prefer: String? = nil) throws -> HTTPTestClient.Response {
            let response = try user.call("GET", "/api/v1/tables/\(table)/rows\(path)", headers: prefer.map { [("Prefer", $0)] } ?? [])
            XCTAssertEqual(response.status, 200, response.text)
            return response
        }
        let first = try get("?limit=2")
        XCTAssertEqual(first.headers["content-range"], "0-1/*")
        XCTAssertNil(first.headers["preference-applied"])
        let cursor = try XCTUnwrap(try first.json()["next_cursor"] as? String)
        XCTAssertEqual(try get("?limit=2&cursor=\(cursor)").headers["content-range"], "2-3/*")
        XCTAssertEqual(try get("?limit=2&cursor=\(cursor)", prefer: "count=exact").headers["content-range"], "2-3/6")
        XCTAssertEqual(try get("?n=eq.99").headers["content-range"], "*/*")
        let exact = try get("?limit=2", prefer: "count=exact")
        XCTAssertEqual(exact.headers["content-range"], "0-1/6")
        XCTAssertEqual(exact.headers["preference-applied"], "count=exact")
        XCTAssertEqual(try get("?n=eq.20", prefer: "return=minimal, count=exact").headers["content-range"], "0-1/2")
        XCTAssertEqual(try get("?n=eq.99", prefer: "count=exact").headers["content-range"], "*/0")
        let estimated = try get("?limit=2&or=(n.eq.10,n.is.null)", prefer: "count=estimated")
        XCTAssertEqual(estimated.headers["content-range"], "0-1/3", "a small table's estimate is its exact count")
        XCTAssertEqual(estimated.headers["preference-applied"], "count=estimated")
        XCTAssertEqual(try get("?limit=2", prefer: "count=planned").headers["content-range"], "0-1/*")
    }

    func testCSVAndNDJSONPagesAreWrittenAsExportsWriteThem() throws {
        let db = try StackDatabase.require()
        let (tenant, other) = try db.makeTwoTenants("rowformats")
        let user = try db.caller(tenant, .user)
        let table = try table(user)
        let path = "/api/v1/tables/\(table)/rows?select=id,amount,name,flag,at,day&limit=3"
        let csv = try user.call("GET", path, headers: [("Accept", "text/csv")])
        XCTAssertEqual(csv.status, 200, csv.text)
        XCTAssertEqual(csv.headers["content-type"], "text/csv; charset=utf-8")
        XCTAssertEqual(csv.headers["content-range"], "0-2/*")
        XCTAssertEqual(csv.text, "id,amount,name,flag,at,day\r\n"
            + "1,12345678901234567890.0000000001,Alpha,true,2026-01-01T00:00:00.000001Z,2026-01-01\r\n"
            + "2,12345678901234567890.0000000002,alpha,false,2026-01-02T00:00:00.000000Z,2026-01-02\r\n"
            + "3,0.5000000000,\"b,c\",,,\r\n")
        let link = try XCTUnwrap(csv.headers["link"])
        XCTAssertTrue(link.hasPrefix("</api/v1/tables/\(table)/rows?") && link.hasSuffix(">; rel=\"next\""), link)
        let next = try user.call("GET", String(link.dropFirst().prefix(while: { $0 != ">" })), headers: [("Accept", "text/csv")])
        XCTAssertEqual(next.text, "id,amount,name,flag,at,day\r\n"
            + "4,-1.0000000000,\"Beta \"\"q\"\"\",true,2026-01-03T12:00:00.500000Z,2026-01-03\r\n"
            + "5,,,false,2026-01-01T00:00:00.000001Z,2026-01-01\r\n"
            + "6,12345678901234567890.0000000001,ALPHA,true,,\r\n")
        XCTAssertEqual(next.headers["content-range"], "3-5/*")
        XCTAssertNil(next.headers["link"], "the last page links to no next one")

        let ndjson = try user.call("GET", path + "&order=id.desc", headers: [("Accept", "text/csv;q=0.5, application/x-ndjson")])
        XCTAssertEqual(ndjson.status, 200, ndjson.text)
        XCTAssertEqual(ndjson.headers["content-type"], "application/x-ndjson")
        XCTAssertEqual(ndjson.text,
            "{\"id\":6,\"amount\":\"12345678901234567890.0000000001\",\"name\":\"ALPHA\",\"flag\":true,\"at\":null,\"day\":null}\n"
            + "{\"id\":5,\"amount\":null,\"name\":null,\"flag\":false,\"at\":\"2026-01-01T00:00:00.000001Z\",\"day\":\"2026-01-01\"}\n"
            + "{\"id\":4,\"amount\":\"-1.0000000000\",\"name\":\"Beta \\\"q\\\"\",\"flag\":true,\"at\":\"2026-01-03T12:00:00.500000Z\",\"day\":\"2026-01-03\"}\n")
        XCTAssertNotNil(ndjson.headers["link"])
        let json = try user.call("GET", "/api/v1/tables/\(table)/rows?select=doc&id=eq.1", headers: [("Accept", "application/x-ndjson")])
        XCTAssertEqual(json.text, "{\"doc\":{\"a\":1}}\n", "json as its stored text")

        let refused = try user.call("GET", path, headers: [("Accept", "application/xml")])
        XCTAssertEqual(refused.status, 406, refused.text)
        XCTAssertEqual(refused.headers["content-type"], "application/problem+json")
        XCTAssertEqual(try user.call("GET", path, headers: [("Accept", "text/html;q=0.9, */*;q=0.1")]).headers["content-type"], "application/json")

        let viewer = try db.caller(tenant, .viewer)
        XCTAssertEqual(try viewer.call("GET", path, headers: [("Accept", "text/csv"), ("Prefer", "count=exact")]).headers["content-range"], "0-2/6")
        let intruder = try db.caller(other, .admin)
        XCTAssertEqual(try intruder.call("GET", path, headers: [("Accept", "text/csv")]).status, 404)
        XCTAssertEqual(try intruder.call("GET", path, headers: [("Accept", "application/xml")]).status, 404)
    }

    /// Exports read the same filters through the text protocol (values as literals, no binds):
    /// each export writes exactly the rows the API's page holds for the same filters.
    func testExportsFilterWithEveryOperatorAsTheRowsAPIDoes() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("exportops")
        let user = try db.caller(tenant, .user)
        let table = try table(user)
        let cases: [[(String, String)]] = [
            [("or", "(name.in.(\"b,c\",\"Beta \\\"q\\\"\"),amount.eq.12345678901234567890.0000000002)"), ("flag", "not.is.false")],
            [("amount", "gte.12345678901234567890.0000000001"), ("name", "like.A%")],
            [("name", "ilike.ALPHA"), ("n", "not.in.(20)")],
            [("at", "in.(2026-01-03T12:00:00.5Z,2026-01-01T00:00:00.000001Z)"), ("day", "lte.2026-01-02")],
            [("and", "(n.gte.10,or(flag.is.false,day.is.null))"), ("not.or", "(id.eq.6)")],
            [("flag", "is.true"), ("at", "neq.2026-01-03T12:00:00.5Z"), ("doc", "is.null")],
            [("n", "lt.0")],
        ]
        for pairs in cases {
            let expected = try ids(user, table, pairs)
            let filter = Dictionary(pairs, uniquingKeysWith: { first, _ in first })
            let started = try user.call("POST", "/api/v1/tables/\(table)/exports", json: ["columns": ["id"], "filter": filter])
            XCTAssertEqual(started.status, 202, "\(pairs): \(started.text)")
            let job = try user.awaitJob(started.headers["location"] ?? "")
            let body = try user.call("GET", "/api/v1/exports/\(job["id"] as? Int ?? 0)/download").text
            XCTAssertEqual(body, "id\r\n" + expected.map { "\($0)\r\n" }.joined(), "\(pairs)")
        }
        XCTAssertEqual(try ids(user, table, cases[0]), [3, 4])
        XCTAssertEqual(try ids(user, table, cases[4]), [2, 5])
        let bad = try user.call("POST", "/api/v1/tables/\(table)/exports", json: ["filter": ["or": "(n.eq.x)"]])
        XCTAssertEqual(bad.status, 400, bad.text)
        XCTAssertEqual((try bad.json()["errors"] as? [[String: Any]])?.first?["field"] as? String, "filter.or")
    }

    /// Integers beyond a double's 53 bits compare exactly (the filter's text is not a double).
    func testLargeIntegersCompareExactly() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("bigints")
        let user = try db.caller(tenant, .user)
        let project = try user.call("POST", "/api/v1/projects", json: ["name": "big"]).json()["id"] as? Int ?? 0
        let dataset = try user.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": "ints"]).json()["id"] as? Int ?? 0
        let table = try user.call("POST", "/api/v1/datasets/\(dataset)/tables", json: [
            "name": "ints", "columns": [["name": "id", "type": "int64"], ["name": "v", "type": "int64"]],
        ]).json()["id"] as? Int ?? 0
        let inserted = try user.call("POST", "/api/v1/tables/\(table)/rows", body: Array("""
            [{"id": 1, "v": 9007199254740992}, {"id": 2, "v": 9007199254740993}, {"id": 3, "v": 9223372036854775807}]
            """.utf8), headers: [("Content-Type", "application/json")])
        XCTAssertEqual(inserted.status, 201, inserted.text)
        XCTAssertEqual(try ids(user, table, [("v", "eq.9007199254740993")]), [2])
        XCTAssertEqual(try ids(user, table, [("v", "gt.9007199254740992")]), [2, 3])
        XCTAssertEqual(try ids(user, table, [("v", "in.(9007199254740992,9223372036854775807)")]), [1, 3])
        XCTAssertEqual(try walk(user, table, [("order", "v.desc")], limit: 1), [3, 2, 1])
    }

    /// Above `RowStore.exactCountBelow` rows an estimated count is the planner's estimate.
    func testAnEstimatedCountOfALargeTableIsThePlannersEstimate() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("estimate")
        let user = try db.caller(tenant, .user)
        let project = try user.call("POST", "/api/v1/projects", json: ["name": "many"]).json()["id"] as? Int ?? 0
        let dataset = try user.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": "counted"]).json()["id"] as? Int ?? 0
        let created = try user.call("POST", "/api/v1/datasets/\(dataset)/tables", json: [
            "name": "many", "columns": [["name": "v", "type": "int64"]],
        ])
        XCTAssertEqual(created.status, 201, created.text)
        let table = try created.json()["id"] as? Int ?? 0
        for half in [1...6_000, 6_001...12_000] {  // at most 10,000 rows a request
            let body = "[" + half.map { "{\"v\":\($0)}" }.joined(separator: ",") + "]"
            let inserted = try user.call("POST", "/api/v1/tables/\(table)/rows", body: Array(body.utf8), headers: [("Content-Type", "application/json")])
            XCTAssertEqual(inserted.status, 201, inserted.text)
        }
        let exact = try user.call("GET", "/api/v1/tables/\(table)/rows?limit=5", headers: [("Prefer", "count=exact")])
        XCTAssertEqual(exact.headers["content-range"], "0-4/12000")
        let estimated = try user.call("GET", "/api/v1/tables/\(table)/rows?limit=5", headers: [("Prefer", "count=estimated")])
        let range = try XCTUnwrap(estimated.headers["content-range"])
        XCTAssertTrue(range.hasPrefix("0-4/"), range)
        let total = try XCTUnwrap(Int(range.dropFirst(4)), range)
        XCTAssertTrue((RowStore.exactCountBelow + 1...20_000).contains(Int64(total)), "InnoDB's estimate of 12,000 rows: \(total)")
        XCTAssertEqual(estimated.headers["preference-applied"], "count=estimated")
    }

    /// The table page's "this view as CSV/JSON" through nginx with a viewer's session: every row
    /// the page's conditions select, in its order, as an export writes it; another tenant's 404.
    func testTheTablePageDownloadsItsViewAndCountsItsFacets() throws {
        let db = try StackDatabase.require()
        let (tenant, other) = try db.makeTwoTenants("viewdl")
        let table = try table(try db.caller(tenant, .user))
        func browser(_ tenant: TenantFixture) throws -> BrowserClient {
            let userID = try db.caller(tenant, .viewer).userID
            let ops = try db.ops()
            defer { ops.close() }
            let subject = try ops.query("SELECT auth0_sub FROM users WHERE id = \(userID)")[0].decode(String.self, at: 0)
            let client = BrowserClient(db: db)
            try client.signIn(subject: subject)
            return client
        }
        let viewer = try browser(tenant)
        let view = "f_column=n&f_op=not.is.null&f_value=&f_column=name&f_op=in&f_value=" + query([("", "(\"b,c\",alpha,\"Beta \\\"q\\\"\")")]).dropFirst()
            + "&order=n.desc,id.desc"
        let csv = try viewer.get("/tables/\(table)/view.csv?\(view)")
        XCTAssertEqual(csv.status, 200, csv.text)
        XCTAssertEqual(csv.headers["content-disposition"], "attachment; filename=\"things.csv\"")
        XCTAssertEqual(csv.text, "id,n,amount,name,flag,at,day,doc\r\n"
            + "4,20,-1.0000000000,\"Beta \"\"q\"\"\",true,2026-01-03T12:00:00.500000Z,2026-01-03,\r\n"
            + "2,20,12345678901234567890.0000000002,alpha,false,2026-01-02T00:00:00.000000Z,2026-01-02,\r\n"
            + "6,10,12345678901234567890.0000000001,ALPHA,true,,,\r\n"
            + "1,10,12345678901234567890.0000000001,Alpha,true,2026-01-01T00:00:00.000001Z,2026-01-01,\"{\"\"a\"\":1}\"\r\n")
        let json = try viewer.get("/tables/\(table)/view.json?\(view)")
        XCTAssertEqual(json.status, 200, json.text)
        let objects = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.body)) as? [[String: Any]])
        XCTAssertEqual(objects.compactMap { $0["id"] as? Int }, [4, 2, 6, 1])
        XCTAssertEqual(objects.compactMap { $0["amount"] as? String }.last, "12345678901234567890.0000000001")

        let page = try viewer.get("/tables/\(table)?tab=data&_facet=n&\(view)")
        XCTAssertEqual(page.status, 200)
        for value in ["20", "10"] {
            XCTAssertTrue(page.text.contains(">\(value)</a></td><td>2</td>"), "n=\(value) counted twice among the view's rows")
        }
        XCTAssertFalse(page.text.contains("<td>30</td>"), "n=30 is not in the view")
        let refused = try viewer.get("/tables/\(table)?tab=data&_facet=doc")
        XCTAssertTrue(refused.text.contains("doc is a json column"), "a json column has no facet")

        XCTAssertEqual(try browser(other).get("/tables/\(table)/view.csv").status, 404)
    }
}
