@testable import DataCovey
import Foundation
import TestSupport
import XCTest

/// Every edge case through all the write paths — a CSV import, an NDJSON import,
/// `POST …/rows`, `PATCH …/rows`, the table page's add-a-row form and its row edit form — on a real stack: each stores exactly the expected value or refuses it with
/// exactly the expected reason, the three agree, and each import's counters equal what the
/// table holds. Stored values are read back through the query endpoint (the server's text).
final class ValueConformanceTests: XCTestCase {
    enum Expect: Equatable {
        /// The cell as the query endpoint returns it, serialized alone in an array (`[42]`, `["1.50"]`).
        case stored(String)
        case refused(String)
    }

    struct Case {
        let column: String
        /// The CSV field's text (quoted as needed when written); nil: not a CSV case.
        let csv: String?
        /// The JSON member's literal for NDJSON and the rows API; nil: not a JSON case.
        let json: String?
        let expect: Expect
    }

    static let columns: [(String, String)] = [
        ("i", "int64"), ("f", "float64"), ("d", "decimal(30,10)"), ("m", "decimal(5,2)"), ("b", "bool"), ("s", "string"),
        ("t", "text"), ("dt", "date"), ("ts", "timestamp"), ("j", "json"),
    ]

    static func text(_ value: String) -> Expect {
        .stored(String(decoding: try! JSONSerialization.data(withJSONObject: [value], options: [.withoutEscapingSlashes]), as: UTF8.self))
    }

    static func jsonString(_ value: String) -> String {
        let array = String(decoding: try! JSONSerialization.data(withJSONObject: [value], options: [.withoutEscapingSlashes]), as: UTF8.self)
        return String(array.dropFirst().dropLast())
    }

    /// Both a CSV field and a JSON string with the same text.
    static func both(_ column: String, _ value: String, _ expect: Expect) -> Case {
        Case(column: column, csv: value, json: jsonString(value), expect: expect)
    }

    static func nested(_ depth: Int) -> String { String(repeating: "[", count: depth) + String(repeating: "]", count: depth) }

    static let intRange = "is out of range for int64 (-9223372036854775808 to 9223372036854775807)"
    static let notInteger = "must be an integer, written without a decimal point or exponent"
    static let notBool = "must be true or false (also t/f, yes/no, y/n, on/off, 1/0)"
    static let tooLong = "has 256 characters; a string holds at most 255 (use text)"
    static let utcRange = "is out of range in UTC (0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z)"

    static let cases: [Case] = {
        var cases: [Case] = [
            // int64: bounds ±1, exact beyond 2^53, no fractions, no clamping.
            Case(column: "i", csv: "9223372036854775807", json: "9223372036854775807", expect: .stored("[9223372036854775807]")),
            Case(column: "i", csv: "9223372036854775808", json: "9223372036854775808", expect: .refused(intRange)),
            Case(column: "i", csv: "-9223372036854775808", json: "-9223372036854775808", expect: .stored("[-9223372036854775808]")),
            Case(column: "i", csv: "-9223372036854775809", json: "-9223372036854775809", expect: .refused(intRange)),
            Case(column: "i", csv: "9007199254740993", json: "9007199254740993", expect: .stored("[9007199254740993]")),
            Case(column: "i", csv: "9007199254740993.0", json: "9007199254740993.0", expect: .refused(notInteger)),
            Case(column: "i", csv: "1e3", json: "1e3", expect: .refused(notInteger)),
            Case(column: "i", csv: "007", json: "\"007\"", expect: .stored("[7]")),
            Case(column: "i", csv: "+7", json: "\"+7\"", expect: .stored("[7]")),
            // float64: finite, in range, no hex; -0 is 0 in MariaDB.
            Case(column: "f", csv: "0.1", json: "0.1", expect: .stored("[0.1]")),
            Case(column: "f", csv: "-2.5e-3", json: "-2.5e-3", expect: .stored("[-0.0025]")),
            Case(column: "f", csv: "-0.0", json: "-0.0", expect: .stored("[0]")),
            Case(column: "f", csv: "1e309", json: "1e309", expect: .refused("is out of range for float64")),
            Case(column: "f", csv: "1e-400", json: "1e-400", expect: .refused("is too small for float64: it would be stored as 0")),
            Case(column: "f", csv: "NaN", json: "\"NaN\"", expect: .refused("must be a finite number: NaN and infinities cannot be stored")),
            Case(column: "f", csv: "Infinity", json: "\"Infinity\"", expect: .refused("must be a finite number: NaN and infinities cannot be stored")),
            Case(column: "f", csv: "0x1p3", json: "\"0x1p3\"", expect: .refused("must be a number")),
            // decimal: every digit kept, none rounded away.
            Case(column: "d", csv: "1234567890123.0123456789", json: "1234567890123.0123456789", expect: text("1234567890123.0123456789")),
            Case(column: "d", csv: "+1.5", json: "\"+1.5\"", expect: text("1.5000000000")),
            Case(column: "d", csv: ".5", json: "\".5\"", expect: text("0.5000000000")),
            Case(column: "d", csv: "00001.50", json: "\"00001.50\"", expect: text("1.5000000000")),
            Case(column: "d", csv: "1e2", json: "1e2", expect: text("100.0000000000")),
            Case(column: "d", csv: "1.00000000001", json: "1.00000000001",
                 expect: .refused("has more than 10 decimal places, the most decimal(30,10) keeps")),
            Case(column: "m", csv: "999.99", json: "999.99", expect: text("999.99")),
            Case(column: "m", csv: "1000", json: "1000", expect: .refused("is out of range for decimal(5,2)")),
            Case(column: "m", csv: "-999.995", json: "-999.995", expect: .refused("has more than 2 decimal places, the most decimal(5,2) keeps")),
            // bool: JSON 1/0 and true/false; a JSON 2 is no boolean.
            Case(column: "b", csv: nil, json: "true", expect: .stored("[true]")),
            Case(column: "b", csv: nil, json: "1", expect: .stored("[true]")),
            Case(column: "b", csv: nil, json: "0", expect: .stored("[false]")),
            Case(column: "b", csv: nil, json: "2", expect: .refused(notBool)),
            both("b", "maybe", .refused(notBool)),
            // dates at both ends of the range.
            both("dt", "0001-01-01", text("0001-01-01")),
            both("dt", "9999-12-31", text("9999-12-31")),
            both("dt", "2026-02-29", .refused("is not a day of the calendar between 0001-01-01 and 9999-12-31")),
            both("dt", "2026/01/02", .refused("must be a date like 2026-11-25")),
            // timestamps: zones, both ends, microseconds, nothing carried out of range.
            both("ts", "2026-11-26T08:00:00.123456Z", text("2026-11-26T08:00:00.123456Z")),
            both("ts", "2026-11-26T08:00:00+02:00", text("2026-11-26T06:00:00.000000Z")),
            both("ts", "2026-01-01T00:30:00+01:00", text("2025-12-31T23:30:00.000000Z")),
            both("ts", "9999-12-31T23:59:59.999999Z", text("9999-12-31T23:59:59.999999Z")),
            both("ts", "9999-12-31T23:59:59-01:00", .refused(utcRange)),
            both("ts", "0001-01-01T00:00:00+01:00", .refused(utcRange)),
            both("ts", "0001-01-01 00:00:00", text("0001-01-01T00:00:00.000000Z")),
            both("ts", "2026-11-26T08:00:00.1234567Z", .refused("has more than 6 fractional digits: a timestamp keeps microseconds")),
            // json: kept as written, nesting at MariaDB's limit.
            Case(column: "j", csv: #"{"b": 1, "a": 100000000000000000000}"#, json: #"{"b": 1, "a": 100000000000000000000}"#,
                 expect: text(#"{"b": 1, "a": 100000000000000000000}"#)),
            Case(column: "j", csv: #"{"a":1,"a":2}"#, json: #"{"a":1,"a":2}"#, expect: text(#"{"a":1,"a":2}"#)),
            Case(column: "j", csv: "1.50", json: "1.50", expect: text("1.50")),
            Case(column: "j", csv: nested(31), json: nested(31), expect: text(nested(31))),
            Case(column: "j", csv: nested(32), json: nested(32), expect: .refused("is nested 32 levels deep; JSON in MariaDB may nest at most 31")),
            Case(column: "j", csv: nested(33), json: nested(33), expect: .refused("is nested 33 levels deep; JSON in MariaDB may nest at most 31")),
            Case(column: "j", csv: nested(1000), json: nested(1000),
                 expect: .refused("is nested 1000 levels deep; JSON in MariaDB may nest at most 31")),
            Case(column: "j", csv: "[1,]", json: nil, expect: .refused("must be JSON: it has a trailing comma (at byte 4)")),
            Case(column: "j", csv: "null", json: "null", expect: .stored("[null]")),
            // strings: 255 characters of every width and with combining marks fit, 256 never.
            both("s", String(repeating: "e\u{301}", count: 127), text(String(repeating: "e\u{301}", count: 127))),
            both("s", String(repeating: "e\u{301}", count: 128), .refused(tooLong)),
            both("s", String(repeating: "\r\n", count: 127), text(String(repeating: "\r\n", count: 127))),
            both("s", String(repeating: "\r\n", count: 128), .refused(tooLong)),
            Case(column: "s", csv: nil, json: "12", expect: .refused("must be a string, not a number")),
            // text: any length of UTF-8 a string cannot hold; no number stands in for text.
            both("t", String(repeating: "é", count: 300), text(String(repeating: "é", count: 300))),
            Case(column: "t", csv: nil, json: "true", expect: .refused("must be a string, not true")),
        ]
        for character in ["a", "é", "€", "😀"] {
            cases.append(both("s", String(repeating: character, count: 255), text(String(repeating: character, count: 255))))
            cases.append(both("s", String(repeating: character, count: 256), .refused(tooLong)))
        }
        for word in ["t", "true", "TRUE", "y", "yes", "on", "1"] { cases.append(both("b", word, .stored("[true]"))) }
        for word in ["f", "false", "no", "N", "off", "0"] { cases.append(both("b", word, .stored("[false]"))) }
        return cases
    }()

    /// The cases cover the registry: every column type has a column here, and cases it stores
    /// and refuses, so a new type's converter runs through all three paths (or this fails).
    func testEveryRegisteredTypeHasCases() throws {
        for type in ColumnTypes.all {
            let columns = Self.columns.filter { column in
                ColumnType(column.1).map { ObjectIdentifier(Swift.type(of: $0.kind)) == ObjectIdentifier(type) } ?? false
            }.map(\.0)
            XCTAssertFalse(columns.isEmpty, "\(type.syntax) has a conformance column")
            let cases = Self.cases.filter { columns.contains($0.column) }
            XCTAssertTrue(cases.contains { if case .stored = $0.expect { true } else { false } }, "\(type.syntax) has a stored case")
            XCTAssertTrue(cases.contains { if case .refused = $0.expect { true } else { false } }, "\(type.syntax) has a refused case")
        }
        XCTAssertTrue(Self.columns.allSatisfy { ColumnType($0.1) != nil })
    }

    private func table(_ fixture: QueryFixture) throws -> (table: Int, name: String) {
        let datasets = try fixture.user.call("GET", "/api/v1/projects/\(fixture.project)/datasets").json()["items"] as? [[String: Any]] ?? []
        let sales = datasets.first { $0["name"] as? String == "sales" }?["id"] as? Int ?? 0
        let name = "conf_\(UInt32.random(in: 0..<UInt32.max))"
        let created = try fixture.user.call("POST", "/api/v1/datasets/\(sales)/tables", json: [
            "name": name,
            "columns": [["name": "id", "type": "int64", "primary_key": true]] + Self.columns.map { ["name": $0.0, "type": $0.1] },
        ])
        XCTAssertEqual(created.status, 201, created.text)
        return (try created.json()["id"] as? Int ?? 0, name)
    }

    /// The stored cells by id, read through the query endpoint.
    private func stored(_ fixture: QueryFixture, _ name: String, column: String) throws -> [Int: String] {
        // A json column answers as the JSON value; its text (what was stored) comes as a string.
        let selected = column == "j" ? "CAST(j AS CHAR)" : column
        let answer = try fixture.query("SELECT id, \(selected) FROM sales.\(name) ORDER BY id")
        XCTAssertEqual(answer.status, 200, answer.text)
        var cells: [Int: String] = [:]
        for row in try answer.json()["rows"] as? [[Any]] ?? [] {
            let cell = String(decoding: try JSONSerialization.data(withJSONObject: [row[1]], options: [.withoutEscapingSlashes]), as: UTF8.self)
            cells[row[0] as? Int ?? -1] = cell
        }
        return cells
    }

    /// The reason the table page gives next to a column's field, as plain text.
    private static func formProblem(in page: String, column: String) -> String {
        guard let start = page.range(of: #"class="dc-error" id="row-problem-"#),
              let close = page[start.upperBound...].range(of: ">"),
              let end = page[close.upperBound...].range(of: "</p>") else { return "(no problem shown)" }
        let shown = String(page[close.upperBound..<end.lowerBound])
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        return shown.hasPrefix(column + " ") ? String(shown.dropFirst(column.count + 1)) : shown
    }

    private static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) || text.isEmpty else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Runs an import and returns (job, rejects by line).
    private func importFile(_ fixture: QueryFixture, _ table: Int, _ body: String, type: String) throws -> ([String: Any], [Int: (String, String)]) {
        let started = try fixture.user.call("POST", "/api/v1/tables/\(table)/imports?max_bad_records=100000", body: Array(body.utf8),
                                            headers: [("Content-Type", type)])
        XCTAssertEqual(started.status, 202, started.text)
        let job = try fixture.user.awaitJob(started.headers["location"] ?? "")
        XCTAssertEqual(job["status"] as? String, "completed", "\(job)")
        let rejects = try fixture.user.call("GET", "/api/v1/imports/\(job["id"] as? Int ?? 0)/rejects?limit=1000").json()["items"] as? [[String: Any]] ?? []
        var byLine: [Int: (String, String)] = [:]
        for reject in rejects {
            byLine[reject["line"] as? Int ?? 0] = (reject["column"] as? String ?? "", reject["reason"] as? String ?? "")
        }
        return (job, byLine)
    }

    func testEveryCaseGivesTheSameOutcomeOnEveryPath() throws {
        let fixture = try QueryFixture.make("conformance")
        let cases = Self.cases
        XCTAssertGreaterThanOrEqual(cases.count, 75)
        var outcomes: [String: [Int: Expect]] = [:]  // path -> case index -> outcome

        // CSV: one file, a row per case, the case's column filled and the others empty (NULL).
        let csvTarget = try table(fixture)
        var csv = "id," + Self.columns.map(\.0).joined(separator: ",") + "\n"
        var csvLines: [Int: Int] = [:]
        var line = 2
        for (index, item) in cases.enumerated() {
            guard let field = item.csv else { continue }
            csv += "\(index)," + Self.columns.map { $0.0 == item.column ? Self.csvField(field) : "" }.joined(separator: ",") + "\n"
            csvLines[line] = index
            line += field.filter { $0 == "\n" || $0 == "\r\n" }.count + 1
        }
        let (csvJob, csvRejects) = try importFile(fixture, csvTarget.table, csv, type: "text/csv")
        // NDJSON: a line per case.
        let ndTarget = try table(fixture)
        var ndjson = ""
        var ndLines: [Int: Int] = [:]
        line = 1
        for (index, item) in cases.enumerated() {
            guard let literal = item.json else { continue }
            ndjson += "{\"id\": \(index), \"\(item.column)\": \(literal)}\n"
            ndLines[line] = index
            line += 1
        }
        let (ndJob, ndRejects) = try importFile(fixture, ndTarget.table, ndjson, type: "application/x-ndjson")
        // The rows API: a request per case (a request is all or nothing).
        let postTarget = try table(fixture)
        var postRefusals: [Int: String] = [:]
        for (index, item) in cases.enumerated() {
            guard let literal = item.json else { continue }
            let body = Array("[{\"id\": \(index), \"\(item.column)\": \(literal)}]".utf8)
            let response = try fixture.user.call("POST", "/api/v1/tables/\(postTarget.table)/rows", body: body,
                                                 headers: [("Content-Type", "application/json")])
            XCTAssertTrue([201, 422].contains(response.status), "\(index): \(response.status) \(response.text.prefix(300))")
            if response.status == 422 {
                let errors = try response.json()["errors"] as? [[String: Any]] ?? []
                XCTAssertEqual(errors.first?["field"] as? String, "0.\(item.column)", "\(index)")
                postRefusals[index] = errors.first?["message"] as? String ?? ""
            }
        }

        // The table page's add-a-row form: a CSV case's text as the field's value, a form per case.
        let formTarget = try table(fixture)
        let browser = BrowserClient(db: fixture.db)
        let ops = try fixture.db.ops()
        defer { ops.close() }
        _ = try browser.signIn(subject: try ops.query("SELECT auth0_sub FROM users WHERE id = \(fixture.user.userID)")[0].decode(String.self, at: 0))
        let csrf = BrowserClient.csrfToken(in: try browser.get("/tables/\(formTarget.table)").text) ?? ""
        var formRefusals: [Int: String] = [:]
        for (index, item) in cases.enumerated() {
            guard let text = item.csv else { continue }
            let response = try browser.post("/tables/\(formTarget.table)/rows", form: [
                ("csrf_token", csrf), ("value.id", "\(index)"), ("set.id", "value"), ("value.\(item.column)", text), ("set.\(item.column)", "value"),
            ])
            XCTAssertTrue([303, 422].contains(response.status), "form \(index): \(response.status) \(response.text.prefix(300))")
            if response.status == 422 { formRefusals[index] = Self.formProblem(in: response.text, column: item.column) }
        }
        // The changing paths: `PATCH …/rows?id=eq.<case>` with the case's member, and the table
        // page's edit form with the case's text, each on a row that held only its id.
        let patchTarget = try table(fixture)
        let editTarget = try table(fixture)
        for target in [patchTarget, editTarget] {
            // One insert, in case order: row ids 1, 2, … follow the cases.
            let blank = try fixture.user.call("POST", "/api/v1/tables/\(target.table)/rows", json: cases.indices.map { ["id": $0] })
            XCTAssertEqual(blank.status, 201, blank.text)
        }
        var patchRefusals: [Int: String] = [:]
        for (index, item) in cases.enumerated() {
            guard let literal = item.json else { continue }
            let response = try fixture.user.call("PATCH", "/api/v1/tables/\(patchTarget.table)/rows?id=eq.\(index)",
                                                 body: Array("{\"\(item.column)\": \(literal)}".utf8), headers: [("Content-Type", "application/json")])
            XCTAssertTrue([204, 422].contains(response.status), "PATCH \(index): \(response.status) \(response.text.prefix(300))")
            if response.status == 422 {
                let errors = try response.json()["errors"] as? [[String: Any]] ?? []
                XCTAssertEqual(errors.first?["field"] as? String, item.column, "\(index)")
                patchRefusals[index] = errors.first?["message"] as? String ?? ""
            }
        }
        var editRefusals: [Int: String] = [:]
        for (index, item) in cases.enumerated() {
            guard let text = item.csv else { continue }
            let response = try browser.post("/tables/\(editTarget.table)/rows/\(index + 1)/edit", form: [
                ("csrf_token", csrf), ("value.\(item.column)", text), ("set.\(item.column)", "value"),
            ])
            XCTAssertTrue([303, 422].contains(response.status), "edit \(index): \(response.status) \(response.text.prefix(300))")
            if response.status == 422 { editRefusals[index] = Self.formProblem(in: response.text, column: item.column) }
        }
        for (path, target, refusals) in [("PATCH", patchTarget, patchRefusals), ("edit form", editTarget, editRefusals)] {
            var byCase: [Int: Expect] = refusals.mapValues { .refused($0) }
            for (column, _) in Self.columns {
                for (id, cell) in try stored(fixture, target.name, column: column) where cases[id].column == column && refusals[id] == nil {
                    byCase[id] = .stored(cell)
                }
            }
            outcomes[path] = byCase
        }

        var formed: [Int: Expect] = formRefusals.mapValues { .refused($0) }
        for (column, _) in Self.columns {
            for (id, cell) in try stored(fixture, formTarget.name, column: column) where cases[id].column == column { formed[id] = .stored(cell) }
        }
        outcomes["form"] = formed

        for (path, target, refusals, lines) in [("csv", csvTarget, csvRejects, csvLines), ("ndjson", ndTarget, ndRejects, ndLines)] {
            var byCase: [Int: Expect] = [:]
            for (rejectLine, (column, reason)) in refusals {
                guard let index = lines[rejectLine] else { XCTFail("\(path): a reject on line \(rejectLine), which holds no case"); continue }
                XCTAssertEqual(column, cases[index].column, "\(path) case \(index)")
                byCase[index] = .refused(reason)
            }
            for (column, _) in Self.columns {
                for (id, cell) in try stored(fixture, target.name, column: column) where cases[id].column == column {
                    byCase[id] = .stored(cell)
                }
            }
            outcomes[path] = byCase
        }
        var posted: [Int: Expect] = postRefusals.mapValues { .refused($0) }
        for (column, _) in Self.columns {
            for (id, cell) in try stored(fixture, postTarget.name, column: column) where cases[id].column == column { posted[id] = .stored(cell) }
        }
        outcomes["rows API"] = posted

        // GET …/rows gives each stored cell as the query endpoint does (a json column as its
        // JSON value, compared with the query's json answer).
        let listed = try fixture.user.call("GET", "/api/v1/tables/\(postTarget.table)/rows?limit=1000").json()["items"] as? [[String: Any]] ?? []
        XCTAssertEqual(listed.count, posted.values.filter { if case .stored = $0 { true } else { false } }.count)
        let queried = try fixture.query("SELECT id, i, f, d, m, b, s, t, dt, ts, j FROM sales.\(postTarget.name) ORDER BY id")
        let queriedRows = try queried.json()["rows"] as? [[Any]] ?? []
        func serialized(_ value: Any) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: [value], options: [.withoutEscapingSlashes, .sortedKeys]), as: UTF8.self)
        }
        for (row, item) in zip(queriedRows, listed) {
            for (offset, (column, _)) in Self.columns.enumerated() {
                XCTAssertEqual(try serialized(item[column] ?? NSNull()), try serialized(row[offset + 1]),
                               "GET rows and the query agree on case \(row[0]) column \(column)")
            }
        }

        for (index, item) in cases.enumerated() {
            let label = "case \(index) (\(item.column) \((item.csv ?? item.json ?? "").prefix(40).debugDescription))"
            if item.csv != nil {
                XCTAssertEqual(outcomes["csv"]?[index], item.expect, "CSV, \(label)")
                XCTAssertEqual(outcomes["form"]?[index], item.expect, "add-a-row form, \(label)")
                XCTAssertEqual(outcomes["edit form"]?[index], item.expect, "row edit form, \(label)")
            }
            if item.json != nil {
                XCTAssertEqual(outcomes["ndjson"]?[index], item.expect, "NDJSON, \(label)")
                XCTAssertEqual(outcomes["rows API"]?[index], item.expect, "rows API, \(label)")
                XCTAssertEqual(outcomes["PATCH"]?[index], item.expect, "PATCH rows, \(label)")
            }
        }

        // The counters are what the tables hold.
        for (job, target) in [(csvJob, csvTarget), (ndJob, ndTarget)] {
            let count = try fixture.query("SELECT COUNT(*) FROM sales.\(target.name)").json()["rows"] as? [[Int]]
            XCTAssertEqual(job["rows_loaded"] as? Int, count?.first?.first, "rows_loaded equals COUNT(*)")
            XCTAssertEqual((job["rows_loaded"] as? Int ?? 0) + (job["rows_rejected"] as? Int ?? 0),
                           target == csvTarget ? csvLines.count : ndLines.count)
        }

        // Both export formats, parsed back by the importers, give every stored cell again:
        // what the platform writes out, it reads in unchanged.
        for format in ["csv", "ndjson"] {
            let started = try fixture.user.call("POST", "/api/v1/tables/\(postTarget.table)/exports",
                                                json: ["format": format, "escape_formulas": false])
            XCTAssertEqual(started.status, 202, started.text)
            let export = try fixture.user.awaitJob(started.headers["location"] ?? "")
            XCTAssertEqual(export["status"] as? String, "completed", "\(export)")
            let file = try fixture.user.call("GET", "/api/v1/exports/\(export["id"] as? Int ?? 0)/download")
            XCTAssertEqual(file.status, 200)
            let copy = try table(fixture)
            let (job, rejects) = try importFile(fixture, copy.table, file.text, type: format == "csv" ? "text/csv" : "application/x-ndjson")
            XCTAssertTrue(rejects.isEmpty, "\(format) export read back: \(rejects)")
            XCTAssertEqual(job["rows_loaded"] as? Int, posted.values.filter { if case .stored = $0 { true } else { false } }.count)
            for (column, _) in Self.columns {
                XCTAssertEqual(try stored(fixture, copy.name, column: column), try stored(fixture, postTarget.name, column: column),
                               "\(format) export read back, column \(column)")
            }
        }
    }

    /// Whole-file shapes, through both import formats (the rows API takes a JSON array, where
    /// none of these arise): a byte order mark, CRLF and CR-only line ends, blank lines, no
    /// final line end, quotes and line breaks inside fields, and empty files. Each stores
    /// exactly the rows written, and the job's counters are `COUNT(*)`.
    func testFileShapesLoadTheRowsWritten() throws {
        let fixture = try QueryFixture.make("conformfiles")
        let rows: [(Int, String)] = [(1, "plain"), (2, "say \"hi\", twice"), (3, "two\nlines"), (4, "crlf\r\ninside")]
        func csv(_ lineEnd: String, bom: Bool = false, blank: Bool = false, final: Bool = true) -> String {
            var lines = ["id,s"] + rows.map { "\($0.0),\(Self.csvField($0.1))" }
            if blank { lines.insert("", at: 2) }
            return (bom ? "\u{FEFF}" : "") + lines.joined(separator: lineEnd) + (final ? lineEnd : "")
        }
        func ndjson(_ lineEnd: String, bom: Bool = false, blank: Bool = false, final: Bool = true) -> String {
            var lines = rows.map { "{\"id\": \($0.0), \"s\": \(Self.jsonString($0.1))}" }
            if blank { lines.insert("  ", at: 1) }
            return (bom ? "\u{FEFF}" : "") + lines.joined(separator: lineEnd) + (final ? lineEnd : "")
        }
        let files: [(String, String, String)] = [
            ("CSV, LF", csv("\n"), "text/csv"),
            ("CSV, CRLF", csv("\r\n"), "text/csv"),
            ("CSV, CR only", csv("\r"), "text/csv"),
            ("CSV, byte order mark", csv("\n", bom: true), "text/csv"),
            ("CSV, blank line", csv("\r\n", blank: true), "text/csv"),
            ("CSV, no final line end", csv("\r", final: false), "text/csv"),
            ("CSV, a delimiter ending every line", csv(",\n"), "text/csv"),
            ("NDJSON, LF", ndjson("\n"), "application/x-ndjson"),
            ("NDJSON, CRLF", ndjson("\r\n"), "application/x-ndjson"),
            ("NDJSON, byte order mark", ndjson("\n", bom: true), "application/x-ndjson"),
            ("NDJSON, blank line", ndjson("\n", blank: true), "application/x-ndjson"),
            ("NDJSON, no final line end", ndjson("\r\n", final: false), "application/x-ndjson"),
        ]
        let expected = String(decoding: try JSONSerialization.data(withJSONObject: rows.map { [$0.0, $0.1] }), as: UTF8.self)
        for (label, body, type) in files {
            let target = try table(fixture)
            let (job, rejects) = try importFile(fixture, target.table, body, type: type)
            XCTAssertTrue(rejects.isEmpty, "\(label): \(rejects)")
            let answer = try fixture.query("SELECT id, s FROM sales.\(target.name) ORDER BY id")
            let stored = String(decoding: try JSONSerialization.data(withJSONObject: try answer.json()["rows"] ?? []), as: UTF8.self)
            XCTAssertEqual(stored, expected, label)
            XCTAssertEqual(job["rows_loaded"] as? Int, rows.count, label)
        }
        // Empty files, and files of nothing but a header or blank lines, load nothing and say so.
        for (label, body, type) in [("empty CSV", "", "text/csv"), ("CSV header only", "id,s\r", "text/csv"),
                                    ("empty NDJSON", "", "application/x-ndjson"), ("blank NDJSON", "\n \r\n\n", "application/x-ndjson")] {
            let target = try table(fixture)
            let (job, rejects) = try importFile(fixture, target.table, body, type: type)
            XCTAssertTrue(rejects.isEmpty, label)
            XCTAssertEqual(job["rows_loaded"] as? Int, 0, label)
            XCTAssertEqual(job["rows_rejected"] as? Int, 0, label)
            let count = try fixture.query("SELECT COUNT(*) FROM sales.\(target.name)").json()["rows"] as? [[Int]]
            XCTAssertEqual(count?.first?.first, 0, label)
        }
    }

    /// CSV lines that are not well formed are refused with their line, column, the field as
    /// written and the reason; a value in the field a trailing delimiter opens is too many fields.
    func testMalformedCSVLinesNameLineAndColumn() throws {
        let fixture = try QueryFixture.make("conformcsv")
        let target = try table(fixture)
        let body = "id,s,i,\n1, \"a\",,\n2,\"b\"x,,\n3,c,5,\n4,d,,extra\n"
        let started = try fixture.user.call("POST", "/api/v1/tables/\(target.table)/imports?max_bad_records=10", body: Array(body.utf8),
                                            headers: [("Content-Type", "text/csv")])
        XCTAssertEqual(started.status, 202, started.text)
        let job = try fixture.user.awaitJob(started.headers["location"] ?? "")
        XCTAssertEqual(job["rows_loaded"] as? Int, 1, "\(job)")
        let rejects = try fixture.user.call("GET", "/api/v1/imports/\(job["id"] as? Int ?? 0)/rejects").json()["items"] as? [[String: Any]] ?? []
        let seen = rejects.map { "\($0["line"] as? Int ?? 0) \($0["column"] as? String ?? "-") \($0["value"] as? String ?? "-"): \($0["reason"] as? String ?? "")" }
        XCTAssertEqual(seen, [
            "2 s  \"a\": a quote inside a field that does not start with one (a field is quoted only when the quote is its first character, with no space before it)",
            "3 s bx: text after the closing quote of a quoted field (a quote inside a quoted field is written twice: \"\")",
            "5 - -: has 4 fields, expected 3",
        ])
        let count = try fixture.query("SELECT COUNT(*) FROM sales.\(target.name)").json()["rows"] as? [[Int]]
        XCTAssertEqual(count?.first?.first, 1)
    }

    /// Row objects: one rule for member names on both JSON paths — case-insensitive, each
    /// column once, no trailing commas.
    func testRowObjectsFollowOneRuleOnBothJSONPaths() throws {
        let fixture = try QueryFixture.make("conformrows")
        let target = try table(fixture)
        let bodies = [#"{"id": 1, "s": "x", "S": "y"}"#, #"{"id": 2, "s": "x", "s": "y"}"#, #"{"id": 3, "nope": 1}"#]
        let reasons = ["is given twice (member names match columns without regard to case)",
                       "is given twice (member names match columns without regard to case)", "is not a column of the table"]
        let (job, rejects) = try importFile(fixture, target.table, bodies.joined(separator: "\n") + "\n{\"id\": 4,}\n{\"ID\": 5}\n",
                                            type: "application/x-ndjson")
        XCTAssertEqual(job["rows_loaded"] as? Int, 1)
        XCTAssertEqual(rejects[1]?.1, reasons[0])
        XCTAssertEqual(rejects[2]?.1, reasons[1])
        XCTAssertEqual(rejects[3]?.1, reasons[2])
        XCTAssertEqual(rejects[4]?.1, "the line is not valid JSON: it has a trailing comma (at byte 10)")
        for (body, reason) in zip(bodies, reasons) {
            let response = try fixture.user.call("POST", "/api/v1/tables/\(target.table)/rows", body: Array("[\(body)]".utf8),
                                                 headers: [("Content-Type", "application/json")])
            XCTAssertEqual(response.status, 422, response.text)
            XCTAssertEqual((try response.json()["errors"] as? [[String: Any]])?.first?["message"] as? String, reason)
        }
        for body in [#"[{"id": 6},]"#, #"[{"id": 6,}]"#, #"{"id": 6}"#] {
            let response = try fixture.user.call("POST", "/api/v1/tables/\(target.table)/rows", body: Array(body.utf8),
                                                 headers: [("Content-Type", "application/json")])
            XCTAssertEqual(response.status, 400, "\(body): \(response.text)")
        }
        XCTAssertEqual(try fixture.user.call("POST", "/api/v1/tables/\(target.table)/rows", body: Array(#"[{"ID": 6}]"#.utf8),
                                             headers: [("Content-Type", "application/json")]).status, 201)
    }

    /// Query parameters and saved defaults arrive through Foundation's decoder, which reads
    /// numbers through Double: a number it would change is refused (400, naming it), the same
    /// digits as a string are taken exactly, and numbers Double holds exactly work as numbers.
    func testParameterNumbersAreExactOrRefused() throws {
        let fixture = try QueryFixture.make("conformparams")
        let sql = "SELECT CAST(:v AS CHAR) FROM sales.orders WHERE id = 1"
        // 100000000000000000000 is 1e20 exactly, so Double holds it and it is taken.
        for literal in ["1234567890123.0123456789", "9007199254740993.0", "1e-400", "0.30000000000000001"] {
            let body = Array("{\"sql\": \"\(sql)\", \"params\": {\"v\": \(literal)}}".utf8)
            let refused = try fixture.user.call("POST", "/api/v1/projects/\(fixture.project)/query", body: body,
                                                headers: [("Content-Type", "application/json")])
            XCTAssertEqual(refused.status, 400, "\(literal): \(refused.text)")
            XCTAssertEqual(try refused.json()["detail"] as? String,
                           "The body is not valid JSON: it has the number \(literal), which cannot be read exactly as a JSON number here: write it as a string (\"…\") (at byte \(body.count - literal.utf8.count - 1)).")
        }
        XCTAssertEqual(try rowsText(try fixture.query(sql, params: ["v": "1234567890123.0123456789"])), #"[["1234567890123.0123456789"]]"#)
        XCTAssertEqual(try rowsText(try fixture.query(sql, params: ["v": 0.5])), #"[["0.5"]]"#)
        XCTAssertEqual(try rowsText(try fixture.query(sql, params: ["v": 9007199254740993])), #"[["9007199254740993"]]"#)

        // A saved query's default: refused as a number Double would change, kept exactly as a string.
        let saved = Array(#"{"name": "exact", "sql": "SELECT id FROM sales.orders WHERE amount < :cap", "parameters": [{"name": "cap", "type": "decimal(30,10)", "default": 1234567890123.0123456789}]}"#.utf8)
        XCTAssertEqual(try fixture.user.call("POST", "/api/v1/projects/\(fixture.project)/queries", body: saved,
                                             headers: [("Content-Type", "application/json")]).status, 400)
        let created = try fixture.user.call("POST", "/api/v1/projects/\(fixture.project)/queries", json: [
            "name": "exact", "sql": "SELECT id FROM sales.orders WHERE amount < :cap",
            "parameters": [["name": "cap", "type": "decimal(30,10)", "default": "1234567890123.0123456789"]],
        ])
        XCTAssertEqual(created.status, 201, created.text)
        let parameters = try created.json()["parameters"] as? [[String: Any]]
        XCTAssertEqual(parameters?.first?["default"] as? String, "1234567890123.0123456789")
    }

    /// What was stored comes back as it was written: GET rows and the query endpoint give a
    /// json column's value as the JSON text MariaDB holds (no 1e+20, keys in their order), and
    /// timestamps with all six digits, up to the last microsecond of 9999.
    func testReadersGiveBackWhatWasWritten() throws {
        let fixture = try QueryFixture.make("conformread")
        let target = try table(fixture)
        let body = #"[{"id": 1, "j": {"b": 1, "a": 100000000000000000000}, "ts": "9999-12-31T23:59:59.999999Z", "d": "0.0000000001"}]"#
        XCTAssertEqual(try fixture.user.call("POST", "/api/v1/tables/\(target.table)/rows", body: Array(body.utf8),
                                             headers: [("Content-Type", "application/json")]).status, 201)
        let rows = try fixture.user.call("GET", "/api/v1/tables/\(target.table)/rows")
        XCTAssertTrue(rows.text.contains(#""j":{"b": 1, "a": 100000000000000000000}"#), rows.text)
        XCTAssertTrue(rows.text.contains(#""ts":"9999-12-31T23:59:59.999999Z""#), rows.text)
        XCTAssertTrue(rows.text.contains(#""d":"0.0000000001""#), rows.text)
        let query = try fixture.query("SELECT j, ts FROM sales.\(target.name)")
        XCTAssertEqual(query.status, 200, query.text)
        XCTAssertTrue(query.text.contains(#"[{"b": 1, "a": 100000000000000000000},"9999-12-31T23:59:59.999999Z"]"#), query.text)
        XCTAssertEqual((try query.json()["columns"] as? [[String: Any]])?.compactMap { $0["type"] as? String }, ["json", "timestamp"])
    }
}
