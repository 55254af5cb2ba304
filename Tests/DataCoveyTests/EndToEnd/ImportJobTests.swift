import DataCovey
import Foundation
import MariaDB
import TestSupport
import XCTest

/// Imports through nginx, the responder and the real worker process into real tables.
final class ImportJobTests: XCTestCase {
    /// A table with a column of every type, owned by a fresh tenant's user.
    private func everyTypeTable(_ label: String) throws -> (APICaller, Int, StackDatabase, TenantFixture) {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants(label)
        let user = try db.caller(tenant, .user)
        let project = try user.call("POST", "/api/v1/projects", json: ["name": "imports"]).json()["id"] as? Int ?? 0
        let dataset = try user.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": "raw"]).json()["id"] as? Int ?? 0
        return (user, try everyTypeTable(user, dataset: dataset, name: "everything"), db, tenant)
    }

    private func everyTypeTable(_ user: APICaller, dataset: Int, name: String) throws -> Int {
        let table = try user.call("POST", "/api/v1/datasets/\(dataset)/tables", json: [
            "name": name,
            "columns": [
                ["name": "id", "type": "int64", "primary_key": true],
                ["name": "ratio", "type": "float64"],
                ["name": "paid", "type": "bool"],
                ["name": "label", "type": "string"],
                ["name": "body", "type": "text"],
                ["name": "day", "type": "date"],
                ["name": "at", "type": "timestamp"],
                ["name": "meta", "type": "json"],
                ["name": "amount", "type": "decimal(12,3)", "nullable": false, "default": "0.000"],
            ],
        ])
        XCTAssertEqual(table.status, 201, table.text)
        return try table.json()["id"] as? Int ?? 0
    }

    private func upload(_ caller: APICaller, _ table: Int, _ body: String, type: String = "text/csv", query: String = "",
                        headers: [(String, String)] = []) throws -> HTTPTestClient.Response {
        try caller.call("POST", "/api/v1/tables/\(table)/imports\(query.isEmpty ? "" : "?\(query)")", body: Array(body.utf8),
                        headers: [("Content-Type", type)] + headers)
    }

    /// Uploads and waits for the job to end; returns the ended job.
    private func imported(_ caller: APICaller, _ table: Int, _ body: String, type: String = "text/csv",
                          query: String = "") throws -> [String: Any] {
        let response = try upload(caller, table, body, type: type, query: query)
        XCTAssertEqual(response.status, 202, response.text)
        XCTAssertEqual(response.headers["location"], "/api/v1/imports/\(try response.json()["id"] as? Int ?? 0)")
        return try caller.awaitJob(response.headers["location"] ?? "")
    }

    private func rows(_ caller: APICaller, _ table: Int) throws -> [[String: Any]] {
        try caller.call("GET", "/api/v1/tables/\(table)/rows?limit=1000").json()["items"] as? [[String: Any]] ?? []
    }

    private func rejects(_ caller: APICaller, _ job: [String: Any]) throws -> [String] {
        let items = try caller.call("GET", "/api/v1/imports/\(job["id"] as? Int ?? 0)/rejects").json()["items"] as? [[String: Any]] ?? []
        return items.map { "\($0["line"] as? Int ?? 0) \($0["column"] as? String ?? "-") \($0["reason"] as? String ?? "")" }
    }

    func testCSVAndNDJSONOfEveryTypeLoadTheSameValues() throws {
        let (user, csvTable, _, _) = try everyTypeTable("roundtrip")
        // A BOM, CRLF line ends, a quoted comma, doubled quotes, a quoted line break, an empty
        // unquoted field (NULL), a quoted empty field (""), and a last line without a newline.
        let csv = "\u{FEFF}id,ratio,paid,label,body,day,at,meta,amount\r\n"
            + "1,0.25,true,\"Ann, \"\"A\"\"\",\"two\nlines\",2026-11-26,2026-11-26T08:00:00.123456Z,\"{\"\"k\"\": [1, 2]}\",12.345\r\n"
            + "2,,false,,\"\",,,,\r\n"
            + "3,-1e3,0,tab\there,back\\slash,1999-12-31,2026-01-01 10:00:00,null,-0.5"
        let csvJob = try imported(user, csvTable, csv)
        XCTAssertEqual(csvJob["status"] as? String, "completed", "\(csvJob)")
        XCTAssertEqual(csvJob["rows_loaded"] as? Int, 3)
        XCTAssertEqual(csvJob["rows_rejected"] as? Int, 0)
        XCTAssertEqual(csvJob["percent"] as? Double, 100)
        XCTAssertEqual(csvJob["bytes_read"] as? Int, csv.utf8.count)

        let ndjson = """
            {"id": 1, "ratio": 0.25, "paid": true, "label": "Ann, \\"A\\"", "body": "two\\nlines", "day": "2026-11-26", "at": "2026-11-26T08:00:00.123456Z", "meta": {"k": [1, 2]}, "amount": "12.345"}
            {"id": 2, "ratio": null, "paid": false, "label": null, "body": "", "day": null, "at": null, "meta": null}

            {"id": 3, "ratio": -1000, "paid": "0", "label": "tab\\there", "body": "back\\\\slash", "day": "1999-12-31", "at": "2026-01-01 10:00:00", "meta": null, "amount": -0.5}
            """
        let dataset = try user.call("GET", "/api/v1/tables/\(csvTable)").json()["dataset_id"] as? Int ?? 0
        let ndjsonTable = try everyTypeTable(user, dataset: dataset, name: "from_ndjson")
        let ndUser = user
        let ndJob = try imported(ndUser, ndjsonTable, ndjson, type: "application/x-ndjson")
        XCTAssertEqual(ndJob["status"] as? String, "completed", "\(ndJob)")
        XCTAssertEqual(ndJob["rows_loaded"] as? Int, 3)

        let fromCSV = try rows(user, csvTable)
        let fromNDJSON = try rows(ndUser, ndjsonTable)
        XCTAssertEqual(fromCSV.count, 3)
        guard fromCSV.count == 3 else { return }
        XCTAssertEqual(try JSONSerialization.data(withJSONObject: fromCSV, options: [.sortedKeys]),
                       try JSONSerialization.data(withJSONObject: fromNDJSON, options: [.sortedKeys]),
                       "CSV and NDJSON give the same rows")
        XCTAssertEqual(fromCSV[0]["label"] as? String, "Ann, \"A\"")
        XCTAssertEqual(fromCSV[0]["body"] as? String, "two\nlines")
        XCTAssertEqual(fromCSV[0]["at"] as? String, "2026-11-26T08:00:00.123456Z")
        XCTAssertEqual((fromCSV[0]["meta"] as? [String: Any])?["k"] as? [Int], [1, 2])
        XCTAssertEqual(fromCSV[0]["amount"] as? String, "12.345")
        XCTAssertTrue(fromCSV[1]["ratio"] is NSNull, "an empty unquoted field is NULL")
        XCTAssertEqual(fromCSV[1]["body"] as? String, "", "a quoted empty field is the empty string")
        XCTAssertEqual(fromCSV[1]["amount"] as? String, "0.000", "a missing value takes the column default")
        XCTAssertEqual(fromCSV[2]["ratio"] as? Double, -1000)
        XCTAssertEqual(fromCSV[2]["paid"] as? Bool, false)
        XCTAssertEqual(fromCSV[2]["label"] as? String, "tab\there")
        XCTAssertEqual(fromCSV[2]["body"] as? String, "back\\slash")
        XCTAssertEqual(fromCSV[2]["at"] as? String, "2026-01-01T10:00:00.000000Z")
    }

    func testEveryBadRowIsNamedAndMaxBadRecordsDecides() throws {
        let (user, table, _, _) = try everyTypeTable("rejects")
        let bad = "id,label,day,amount,paid\n"
            + "1,fine,2026-01-01,1.5,true\n"
            + "x,wrong type,2026-01-01,1,true\n"
            + "3,\(String(repeating: "l", count: 256)),2026-01-01,1,true\n"
            + "4,bad date,2026-02-30,1,true\n"
            + "5,missing a field,2026-01-01,1\n"
            + "6,\u{FFFD}ok,2026-01-01,1,true\n"
        var bytes = Array(bad.utf8)
        bytes += [UInt8(ascii: "7"), UInt8(ascii: ","), 0xC3, 0x28] + Array(",2026-01-01,1,true\n".utf8)
        let strict = try user.call("POST", "/api/v1/tables/\(table)/imports?max_bad_records=4", body: bytes,
                                   headers: [("Content-Type", "text/csv")])
        XCTAssertEqual(strict.status, 202)
        let failed = try user.awaitJob("/api/v1/imports/\(try strict.json()["id"] as? Int ?? 0)")
        XCTAssertEqual(failed["status"] as? String, "failed")
        XCTAssertEqual(failed["error"] as? String,
                       "5 rows were rejected, more than max_bad_records (4); the first is on line 3: column id must be an integer.")
        XCTAssertEqual(try rows(user, table).count, 0, "a failed import adds no rows")
        XCTAssertEqual(try rejects(user, failed), [
            "3 id must be an integer", "4 label has 256 characters; a string holds at most 255 (use text)",
            "5 day is not a day of the calendar between 0001-01-01 and 9999-12-31",
            "6 - has 4 fields, expected 5", "8 label is not valid UTF-8",
        ])

        let lenient = try user.call("POST", "/api/v1/tables/\(table)/imports?max_bad_records=5", body: bytes,
                                    headers: [("Content-Type", "text/csv")])
        let completed = try user.awaitJob("/api/v1/imports/\(try lenient.json()["id"] as? Int ?? 0)")
        XCTAssertEqual(completed["status"] as? String, "completed")
        XCTAssertEqual(completed["rows_loaded"] as? Int, 2)
        XCTAssertEqual(completed["rows_rejected"] as? Int, 5)
        XCTAssertEqual(try rows(user, table).compactMap { $0["id"] as? Int }, [1, 6])
        let csv = try user.call("GET", "/api/v1/imports/\(completed["id"] as? Int ?? 0)/rejects", headers: [("Accept", "text/csv")])
        XCTAssertEqual(csv.headers["content-type"], "text/csv; charset=utf-8")
        XCTAssertTrue(csv.text.hasPrefix("line,column,value,reason\r\n3,id,x,must be an integer\r\n"), csv.text)

        let dry = try imported(user, table, "id,label\n10,a\n11,b\nz,c\n", query: "dry_run=true&max_bad_records=1")
        XCTAssertEqual(dry["status"] as? String, "completed")
        XCTAssertEqual(dry["rows_loaded"] as? Int, 2, "a dry run counts the rows it would load")
        XCTAssertEqual(dry["rows_rejected"] as? Int, 1)
        XCTAssertEqual(try rows(user, table).compactMap { $0["id"] as? Int }, [1, 6], "a dry run writes nothing")
    }

    func testReplaceSwapsTheContentsAndAppendAdds() throws {
        let (user, table, _, _) = try everyTypeTable("replace")
        XCTAssertEqual(try imported(user, table, "id\n1\n2\n")["status"] as? String, "completed")
        XCTAssertEqual(try imported(user, table, "id\n3\n")["status"] as? String, "completed")
        XCTAssertEqual(try rows(user, table).compactMap { $0["id"] as? Int }, [1, 2, 3])
        let replaced = try imported(user, table, "id;label\n7;'a;b'\n8;x\n", query: "mode=replace&delimiter=%3B&quote=%27")
        XCTAssertEqual(replaced["status"] as? String, "completed", "\(replaced)")
        XCTAssertEqual(try rows(user, table).compactMap { $0["id"] as? Int }, [7, 8])
        XCTAssertEqual(try rows(user, table).first?["label"] as? String, "a;b")
        let failed = try imported(user, table, "id\n9\nnot-a-number\n", query: "mode=replace")
        XCTAssertEqual(failed["status"] as? String, "failed")
        XCTAssertEqual(try rows(user, table).compactMap { $0["id"] as? Int }, [7, 8], "a failed replace keeps the old rows")
        let noHeader = try imported(user, table, "20,0.5,true,l,b,2026-01-01,2026-01-01T00:00:00Z,{},1\n", query: "header=false")
        XCTAssertEqual(noHeader["status"] as? String, "completed", "\(noHeader)")
        XCTAssertEqual(try rows(user, table).compactMap { $0["id"] as? Int }, [7, 8, 20])
    }

    func testFileLevelProblemsFailTheJobAndAnEmptyFileLoadsNothing() throws {
        let (user, table, _, _) = try everyTypeTable("filelevel")
        let unterminated = try imported(user, table, "id,label\n1,ok\n2,\"never closed\n3,x\n")
        XCTAssertEqual(unterminated["status"] as? String, "failed")
        XCTAssertEqual(unterminated["error"] as? String,
                       "The file cannot be read past this point: unterminated quoted field starting on line 3.")
        let header = try imported(user, table, "id,colour\n1,red\n")
        XCTAssertEqual(header["error"] as? String,
                       "The header names \"colour\", which is not a column of the table (line 1, field 2).")
        let empty = try imported(user, table, "")
        XCTAssertEqual(empty["status"] as? String, "completed")
        XCTAssertEqual(empty["rows_loaded"] as? Int, 0)
        XCTAssertEqual(try rows(user, table).count, 0)
    }

    func testBadRequestsAreRefusedBeforeAnyJobExists() throws {
        let (user, table, db, tenant) = try everyTypeTable("badupload")
        let json = try upload(user, table, "{}", type: "application/json")
        XCTAssertEqual(json.status, 415)
        XCTAssertEqual(json.headers["content-type"], "application/problem+json")
        for (query, field) in [("format=xml", "format"), ("mode=merge", "mode"), ("max_bad_records=-1", "max_bad_records"),
                               ("delimiter=ab", "delimiter"), ("header=maybe", "header"), ("colour=red", "colour")] {
            let bad = try upload(user, table, "id\n1\n", query: query)
            XCTAssertEqual(bad.status, 400, query)
            XCTAssertEqual((try bad.json()["errors"] as? [[String: Any]])?.first?["field"] as? String, field, query)
        }
        let limit = Int(db.stack.environment["DATACOVEY_MAX_BODY_BYTES"] ?? "") ?? 0
        XCTAssertGreaterThan(limit, 0)
        let oversized = try upload(user, table, "id\n" + String(repeating: "1\n", count: limit / 2 + 1024))
        XCTAssertEqual(oversized.status, 413)
        XCTAssertEqual(try user.call("GET", "/api/v1/tables/\(table)/imports").json()["items"] as? [Any] != nil, true)
        XCTAssertEqual((try user.call("GET", "/api/v1/tables/\(table)/imports").json()["items"] as? [Any])?.count, 0,
                       "no job was created")
        XCTAssertEqual(try db.ops().scalar("SELECT COUNT(*) FROM import_jobs WHERE tenant_id = \(tenant.tenantID)"), 0)
    }

    private func multipart(_ boundary: String, fields: [(String, String)], file: (name: String, content: String)?) -> [UInt8] {
        var body = ""
        for (name, value) in fields {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        if let file {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.name)\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n\(file.content)\r\n"
        }
        return Array((body + "--\(boundary)--\r\n").utf8)
    }

    func testAMultipartFormUploadStreamsItsFileField() throws {
        let (user, table, _, _) = try everyTypeTable("multipart")
        let boundary = "----DataCoveyBoundary\(UInt32.random(in: 0..<UInt32.max))"
        // The content holds a line that looks like a boundary but is not this one.
        let ndjson = "{\"id\": 1, \"label\": \"----DataCoveyBoundary\"}\r\n{\"id\": \"x\"}\r\n{\"id\": 3, \"body\": \"a\\r\\nb\"}\r\n"
        let body = multipart(boundary, fields: [("max_bad_records", "1"), ("mode", "append")], file: ("rows.ndjson", ndjson))
        let response = try user.call("POST", "/api/v1/tables/\(table)/imports", body: body,
                                     headers: [("Content-Type", "multipart/form-data; boundary=\(boundary)")])
        XCTAssertEqual(response.status, 202, response.text)
        XCTAssertEqual((try response.json()["options"] as? [String: Any])?["format"] as? String, "ndjson", "from the file name")
        let job = try user.awaitJob(response.headers["location"] ?? "")
        XCTAssertEqual(job["status"] as? String, "completed", "\(job)")
        XCTAssertEqual(job["rows_loaded"] as? Int, 2)
        XCTAssertEqual(job["rows_rejected"] as? Int, 1)
        XCTAssertEqual(try rows(user, table).compactMap { $0["label"] as? String }, ["----DataCoveyBoundary"])

        let csv = multipart(boundary, fields: [("format", "csv")], file: ("data.txt", "id\n9\n"))
        let second = try user.call("POST", "/api/v1/tables/\(table)/imports", body: csv,
                                   headers: [("Content-Type", "multipart/form-data; boundary=\"\(boundary)\"")])
        XCTAssertEqual(try user.awaitJob(second.headers["location"] ?? "")["rows_loaded"] as? Int, 1)

        let type = [("Content-Type", "multipart/form-data; boundary=\(boundary)")]
        for (label, bad, field) in [
            ("no file", multipart(boundary, fields: [("mode", "append")], file: nil), nil as String?),
            ("unknown field", multipart(boundary, fields: [("colour", "red")], file: ("a.csv", "id\n1\n")), "colour"),
            ("bad option", multipart(boundary, fields: [("mode", "merge")], file: ("a.csv", "id\n1\n")), "mode"),
            ("truncated", Array(multipart(boundary, fields: [], file: ("a.csv", "id\n1\n")).dropLast(12)), nil),
        ] {
            let refused = try user.call("POST", "/api/v1/tables/\(table)/imports", body: bad, headers: type)
            XCTAssertEqual(refused.status, 400, label)
            XCTAssertEqual(refused.headers["content-type"], "application/problem+json", label)
            if let field {
                XCTAssertEqual((try refused.json()["errors"] as? [[String: Any]])?.first?["field"] as? String, field, label)
            }
        }
        let noBoundary = try user.call("POST", "/api/v1/tables/\(table)/imports", body: csv, headers: [("Content-Type", "multipart/form-data")])
        XCTAssertEqual(noBoundary.status, 400)
        XCTAssertEqual((try user.call("GET", "/api/v1/tables/\(table)/imports").json()["items"] as? [Any])?.count, 2,
                       "no job for a refused form")
    }

    func testTheFirstImportOfAnAutodetectTableDefinesItsColumns() throws {
        let (user, everything, _, _) = try everyTypeTable("autodetect")
        let dataset = try user.call("GET", "/api/v1/tables/\(everything)").json()["dataset_id"] as? Int ?? 0
        let created = try user.call("POST", "/api/v1/datasets/\(dataset)/tables", json: ["name": "guessed", "autodetect": true])
        XCTAssertEqual(created.status, 201, created.text)
        let table = try created.json()["id"] as? Int ?? 0
        XCTAssertEqual(try user.call("GET", "/api/v1/tables/\(table)/rows").status, 409, "no columns before the first import")
        let csv = "id,score,ok,day,at,label,story\n"
            + "1,1.5,true,2026-01-01,2026-01-01T10:00:00Z,a,\(String(repeating: "s", count: 300))\n"
            + "2,,false,2026-01-02,2026-01-02 11:00:00,,short\n"
            + "-3,7,TRUE,2026-01-03,2026-01-03T12:00:00.5Z,c,x\n"
        let job = try imported(user, table, csv)
        XCTAssertEqual(job["status"] as? String, "completed", "\(job)")
        XCTAssertEqual(job["rows_loaded"] as? Int, 3)
        let definition = try user.call("GET", "/api/v1/tables/\(table)").json()
        let columns = (definition["columns"] as? [[String: Any]] ?? []).map { "\($0["name"] as? String ?? "") \($0["type"] as? String ?? "")" }
        XCTAssertEqual(columns, ["id int64", "score float64", "ok bool", "day date", "at timestamp", "label string", "story text"])
        XCTAssertEqual(try rows(user, table).compactMap { $0["id"] as? Int }, [1, 2, -3])
        XCTAssertEqual(try imported(user, table, "id,score\n4,2\n")["rows_loaded"] as? Int, 1, "later imports load into those columns")

        // Headers that cannot be column names get the column ColumnNames makes of them, and a
        // later import with the same header (or NDJSON members so named) loads into it.
        let real = try user.call("POST", "/api/v1/datasets/\(dataset)/tables", json: ["name": "real_world", "autodetect": true])
        let realTable = try real.json()["id"] as? Int ?? 0
        let realJob = try imported(user, realTable, "id,select,On Street,2nd place\n1,2,Main St,x\n")
        XCTAssertEqual(realJob["status"] as? String, "completed", "\(realJob)")
        let realColumns = (try user.call("GET", "/api/v1/tables/\(realTable)").json()["columns"] as? [[String: Any]] ?? [])
            .map { "\($0["name"] as? String ?? "") \($0["label"] as? String ?? "-")" }
        // The header as written stays as the column's label.
        XCTAssertEqual(realColumns, ["id -", "select_ select", "on_street On Street", "c_2nd_place 2nd place"])
        func mapping(_ job: [String: Any]) -> [String] {
            (job["header_mapping"] as? [[String: Any]] ?? []).map { "\($0["header"] as? String ?? "") → \($0["column"] as? String ?? "")" }
        }
        XCTAssertEqual(mapping(realJob), ["select → select_", "On Street → on_street", "2nd place → c_2nd_place"])
        let again = try imported(user, realTable, "On Street,id\nHigh St,2\n")
        XCTAssertEqual(again["rows_loaded"] as? Int, 1)
        XCTAssertEqual(mapping(again), ["On Street → on_street"])
        let ndjson = try upload(user, realTable, #"{"id": 3, "On Street": "Mill Rd", "select": 4}"# + "\n"
                                    + #"{"id": 5, "On Street": "Elm Rd"}"# + "\n", type: "application/x-ndjson")
        let ndJob = try user.awaitJob("/api/v1/imports/\(try ndjson.json()["id"] as? Int ?? 0)")
        XCTAssertEqual(ndJob["rows_loaded"] as? Int, 2)
        XCTAssertEqual(mapping(ndJob), ["On Street → on_street", "select → select_"], "each member once, in the order first met")
        let plain = try imported(user, realTable, "id\n6\n")
        XCTAssertTrue(plain["header_mapping"] is NSNull, "null when every header is a column name: \(plain)")

        XCTAssertEqual(try rows(user, realTable).compactMap { $0["on_street"] as? String }, ["Main St", "High St", "Mill Rd", "Elm Rd"])
    }

    /// A first import that the file itself then fails, or a dry run, leaves the table waiting
    /// for its definition (issue 13): the columns it inferred are taken back, so a corrected
    /// file defines the table afresh.
    func testAFailedOrDryFirstImportTakesItsDefinitionBack() throws {
        let (user, everything, _, _) = try everyTypeTable("autodetectundo")
        let dataset = try user.call("GET", "/api/v1/tables/\(everything)").json()["dataset_id"] as? Int ?? 0
        let table = try user.call("POST", "/api/v1/datasets/\(dataset)/tables", json: ["name": "undone", "autodetect": true])
            .json()["id"] as? Int ?? 0
        func columns() throws -> [String] {
            (try user.call("GET", "/api/v1/tables/\(table)").json()["columns"] as? [[String: Any]] ?? [])
                .map { "\($0["name"] as? String ?? "") \($0["type"] as? String ?? "")" }
        }
        // Past the sample, a value the inferred int64 cannot hold fails the import (no bad records allowed).
        let failing = "n,s\n" + (1...1001).map { "\($0),x\n" }.joined() + "1.5,y\n"
        let failed = try imported(user, table, failing)
        XCTAssertEqual(failed["status"] as? String, "failed", "\(failed)")
        XCTAssertEqual(try columns(), [], "the failed first import's definition is taken back")
        XCTAssertEqual(try user.call("GET", "/api/v1/tables/\(table)/rows").status, 409)

        let dry = try imported(user, table, "a,b\n1,x\n", query: "dry_run=true")
        XCTAssertEqual(dry["status"] as? String, "completed", "\(dry)")
        XCTAssertEqual(dry["rows_loaded"] as? Int, 1)
        XCTAssertEqual(try columns(), [], "a dry run only shows what would load")

        let good = try imported(user, table, "n,s\n1.5,y\n2,z\n")
        XCTAssertEqual(good["status"] as? String, "completed", "\(good)")
        XCTAssertEqual(try columns(), ["n float64", "s string"])
        XCTAssertEqual(try rows(user, table).count, 2)
    }

    /// Detection keeps only types the file's values read back as (issue 13): a zip code with a
    /// leading zero stays a string, a quoted empty string makes its column text, and an NDJSON
    /// file's columns come in the order its members are written.
    func testAutodetectKeepsWhatTheFileHoldsAsWritten() throws {
        let (user, everything, _, _) = try everyTypeTable("autodetectexact")
        let dataset = try user.call("GET", "/api/v1/tables/\(everything)").json()["dataset_id"] as? Int ?? 0
        func detected(_ name: String, _ body: String, type: String) throws -> (columns: [String], job: [String: Any]) {
            let table = try user.call("POST", "/api/v1/datasets/\(dataset)/tables", json: ["name": name, "autodetect": true])
                .json()["id"] as? Int ?? 0
            let started = try user.call("POST", "/api/v1/tables/\(table)/imports", body: Array(body.utf8), headers: [("Content-Type", type)])
            let job = try user.awaitJob(started.headers["location"] ?? "")
            let definition = try user.call("GET", "/api/v1/tables/\(table)").json()
            let columns = (definition["columns"] as? [[String: Any]] ?? []).map { "\($0["name"] as? String ?? "") \($0["type"] as? String ?? "")" }
            return (columns, job)
        }
        let zip = try detected("zips", "zip,amount,n\n08123,1,5\n12345,\"\",+6\n", type: "text/csv")
        XCTAssertEqual(zip.job["status"] as? String, "completed", "\(zip.job)")
        XCTAssertEqual(zip.columns, ["zip string", "amount string", "n string"])
        let nd = try detected("members", #"{"b": 1, "a": "x", "c": [1]}"# + "\n" + #"{"a": "y", "b": 2.5, "c": null}"# + "\n",
                              type: "application/x-ndjson")
        XCTAssertEqual(nd.job["status"] as? String, "completed", "\(nd.job)")
        XCTAssertEqual(nd.columns, ["b float64", "a string", "c json"])
    }

    func testARetriedUploadReturnsTheSameJobAndCancelStopsAPendingOne() throws {
        let (user, table, _, _) = try everyTypeTable("retry")
        let key = [("Idempotency-Key", "upload-\(UUID().uuidString)")]
        let first = try upload(user, table, "id\n1\n", headers: key)
        let second = try upload(user, table, "id\n1\n", headers: key)
        XCTAssertEqual(first.status, 202)
        XCTAssertEqual(second.status, 202)
        XCTAssertEqual(try first.json()["id"] as? Int, try second.json()["id"] as? Int)
        _ = try user.awaitJob("/api/v1/imports/\(try first.json()["id"] as? Int ?? 0)")
        XCTAssertEqual(try rows(user, table).count, 1, "the retry loaded nothing twice")

        let ended = try user.call("POST", "/api/v1/imports/\(try first.json()["id"] as? Int ?? 0)/cancel")
        XCTAssertEqual(ended.status, 409)
    }

    func testAnotherTenantsJobsAreInvisibleAndViewersOnlyRead() throws {
        let (owner, table, db, tenant) = try everyTypeTable("jobiso")
        let job = try imported(owner, table, "id\n1\nx\n", query: "max_bad_records=1")
        let id = job["id"] as? Int ?? 0
        let (stranger, _) = try db.makeTwoTenants("jobiso2")
        let intruder = try db.caller(stranger, .admin)
        for path in ["/api/v1/imports/\(id)", "/api/v1/imports/\(id)/rejects", "/api/v1/tables/\(table)/imports"] {
            XCTAssertEqual(try intruder.call("GET", path).status, 404, path)
        }
        XCTAssertEqual(try intruder.call("POST", "/api/v1/imports/\(id)/cancel").status, 404)
        XCTAssertEqual(try upload(intruder, table, "id\n5\n").status, 404)
        let viewer = try db.caller(tenant, .viewer)
        XCTAssertEqual(try viewer.call("GET", "/api/v1/imports/\(id)").status, 200)
        XCTAssertEqual(try rejects(viewer, job), ["3 id must be an integer"])
        XCTAssertEqual(try upload(viewer, table, "id\n5\n").status, 403)
        XCTAssertEqual(try rows(owner, table).compactMap { $0["id"] as? Int }, [1])
    }
}
