import DataCovey
import Foundation
import MariaDB
import TestSupport
import XCTest

/// Exports through nginx, the responder and the real worker, downloaded through nginx's
/// internal location, and read back by an import.
final class ExportJobTests: XCTestCase {
    private struct Fixture {
        let user: APICaller
        let db: StackDatabase
        let tenant: TenantFixture
        let dataset: Int
    }

    private func fixture(_ label: String) throws -> Fixture {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants(label)
        let user = try db.caller(tenant, .user)
        let project = try user.call("POST", "/api/v1/projects", json: ["name": "exports"]).json()["id"] as? Int ?? 0
        let dataset = try user.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": "out"]).json()["id"] as? Int ?? 0
        return Fixture(user: user, db: db, tenant: tenant, dataset: dataset)
    }

    private func table(_ fixture: Fixture, _ name: String) throws -> Int {
        let response = try fixture.user.call("POST", "/api/v1/datasets/\(fixture.dataset)/tables", json: [
            "name": name,
            "columns": [
                ["name": "id", "type": "int64", "primary_key": true],
                ["name": "ratio", "type": "float64"], ["name": "paid", "type": "bool"], ["name": "label", "type": "string"],
                ["name": "body", "type": "text"], ["name": "day", "type": "date"], ["name": "at", "type": "timestamp"],
                ["name": "meta", "type": "json"], ["name": "amount", "type": "decimal(12,3)"],
            ],
        ])
        XCTAssertEqual(response.status, 201, response.text)
        return try response.json()["id"] as? Int ?? 0
    }

    private let sample: [[String: Any]] = [
        ["id": 1, "ratio": 0.1, "paid": true, "label": "Ann, \"A\"", "body": "two\nlines\r\nand a \\ backslash", "day": "2026-11-26",
         "at": "2026-11-26T08:00:00.123456Z", "meta": ["k": [1, 2], "s": "x\"y"], "amount": "12.345"],
        ["id": 2, "ratio": NSNull(), "paid": false, "label": "", "body": NSNull(), "day": NSNull(), "at": NSNull(), "meta": NSNull(),
         "amount": NSNull()],
        ["id": 3, "ratio": -1e300, "paid": NSNull(), "label": "ünïcødé ✓", "body": "tab\there", "day": "1999-12-31",
         "at": "1970-01-01T00:00:00Z", "meta": [1, "two", NSNull()], "amount": "-0.001"],
    ]

    private func export(_ fixture: Fixture, _ table: Int, _ options: [String: Any]) throws -> [String: Any] {
        let started = try fixture.user.call("POST", "/api/v1/tables/\(table)/exports", json: options)
        XCTAssertEqual(started.status, 202, started.text)
        XCTAssertEqual(started.headers["location"], "/api/v1/exports/\(try started.json()["id"] as? Int ?? 0)")
        return try fixture.user.awaitJob(started.headers["location"] ?? "")
    }

    private func download(_ caller: APICaller, _ job: [String: Any]) throws -> HTTPTestClient.Response {
        try caller.call("GET", "/api/v1/exports/\(job["id"] as? Int ?? 0)/download")
    }

    private func gunzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let path = NSTemporaryDirectory() + "dc-export-\(UUID().uuidString).gz"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (status, output) = try ChildProcess.run(["/bin/sh", "-c", "gzip -dc '\(path)'"], environment: ProcessInfo.processInfo.environment)
        XCTAssertEqual(status, 0)
        return Array(output.utf8)
    }

    private func rows(_ caller: APICaller, _ table: Int) throws -> String {
        let items = try caller.call("GET", "/api/v1/tables/\(table)/rows?limit=1000").json()["items"] ?? []
        return String(decoding: try JSONSerialization.data(withJSONObject: items, options: [.sortedKeys]), as: UTF8.self)
    }

    func testEveryFormatRoundTripsEveryTypeThroughAnImport() throws {
        let fixture = try fixture("exportrt")
        let source = try table(fixture, "source")
        XCTAssertEqual(try fixture.user.call("POST", "/api/v1/tables/\(source)/rows", json: sample).status, 201)
        let original = try rows(fixture.user, source)

        for (index, (format, compression)) in [("csv", "none"), ("ndjson", "none"), ("csv", "gzip"), ("ndjson", "gzip")].enumerated() {
            let job = try export(fixture, source, ["format": format, "compression": compression])
            XCTAssertEqual(job["status"] as? String, "completed", "\(job)")
            XCTAssertEqual(job["rows_exported"] as? Int, 3)
            XCTAssertEqual(job["percent"] as? Double, 100)
            XCTAssertEqual(job["download_url"] as? String, "/api/v1/exports/\(job["id"] as? Int ?? 0)/download")
            let file = try download(fixture.user, job)
            XCTAssertEqual(file.status, 200)
            let suffix = format + (compression == "gzip" ? ".gz" : "")
            XCTAssertEqual(file.headers["content-disposition"], "attachment; filename=\"source-\(job["id"] as? Int ?? 0).\(suffix)\"")
            XCTAssertEqual(file.headers["content-type"], compression == "gzip" ? "application/gzip"
                           : format == "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson")
            XCTAssertNil(file.headers["x-accel-redirect"], "nginx consumes the redirect")
            XCTAssertEqual(Int64(file.body.count), Int64(job["bytes_written"] as? Int ?? -1))
            let content = compression == "gzip" ? try gunzip(file.body) : file.body

            let copy = try table(fixture, "copy_\(index)")
            let upload = try fixture.user.call("POST", "/api/v1/tables/\(copy)/imports", body: content,
                                               headers: [("Content-Type", format == "csv" ? "text/csv" : "application/x-ndjson")])
            XCTAssertEqual(upload.status, 202)
            let imported = try fixture.user.awaitJob("/api/v1/imports/\(try upload.json()["id"] as? Int ?? 0)")
            XCTAssertEqual(imported["status"] as? String, "completed", "\(format)/\(compression): \(imported)")
            XCTAssertEqual(try rows(fixture.user, copy), original, "\(format)/\(compression) gives back the same values")
        }
        let csv = try download(fixture.user, try export(fixture, source, [:]))
        XCTAssertEqual(csv.text.split(separator: "\r\n", omittingEmptySubsequences: false).first,
                       "id,ratio,paid,label,body,day,at,meta,amount")
    }

    func testColumnsAndFiltersChooseWhatIsWritten() throws {
        let fixture = try fixture("exportsel")
        let source = try table(fixture, "source")
        XCTAssertEqual(try fixture.user.call("POST", "/api/v1/tables/\(source)/rows", json: sample).status, 201)
        let job = try export(fixture, source, ["columns": ["label", "id"], "filter": ["id": "gt.1", "day": "is.null"]])
        XCTAssertEqual(job["rows_exported"] as? Int, 1)
        XCTAssertEqual(try download(fixture.user, job).text, "label,id\r\n\"\",2\r\n")

        for (body, field) in [(["columns": ["nope"]] as [String: Any], "columns.0"), (["filter": ["id": "between.1"]], "filter.id"),
                              (["format": "xml"], "format"), (["compression": "zip"], "compression"), (["colour": 1], "colour"),
                              (["columns": []], "columns")] {
            let bad = try fixture.user.call("POST", "/api/v1/tables/\(source)/exports", json: body)
            XCTAssertEqual(bad.status, 400, "\(body)")
            XCTAssertEqual((try bad.json()["errors"] as? [[String: Any]])?.first?["field"] as? String, field, "\(body)")
        }
        let exports = try fixture.user.call("GET", "/api/v1/tables/\(source)/exports").json()["items"] as? [Any]
        XCTAssertEqual(exports?.count, 1, "no job was created for a bad request")
    }

    func testAnotherTenantsExportsAreInvisibleAndViewersDownloadButDoNotStart() throws {
        let fixture = try fixture("exportiso")
        let source = try table(fixture, "source")
        XCTAssertEqual(try fixture.user.call("POST", "/api/v1/tables/\(source)/rows", json: sample).status, 201)
        let job = try export(fixture, source, ["format": "csv"])
        let id = job["id"] as? Int ?? 0
        let (stranger, _) = try fixture.db.makeTwoTenants("exportiso2")
        let intruder = try fixture.db.caller(stranger, .admin)
        for path in ["/api/v1/exports/\(id)", "/api/v1/exports/\(id)/download", "/api/v1/tables/\(source)/exports"] {
            let response = try intruder.call("GET", path)
            XCTAssertEqual(response.status, 404, path)
            XCTAssertFalse(response.text.contains("Ann"), "no file content leaks")
        }
        XCTAssertEqual(try intruder.call("POST", "/api/v1/exports/\(id)/cancel").status, 404)
        XCTAssertEqual(try intruder.call("POST", "/api/v1/tables/\(source)/exports", json: [:]).status, 404)

        let viewer = try fixture.db.caller(fixture.tenant, .viewer)
        XCTAssertEqual(try download(viewer, job).status, 200)
        XCTAssertEqual(try viewer.call("POST", "/api/v1/tables/\(source)/exports", json: [:]).status, 403)
        XCTAssertEqual(try viewer.call("POST", "/api/v1/exports/\(id)/cancel").status, 403)

        let direct = try fixture.db.stack.http("GET", "/_protected_downloads/\(fixture.tenant.tenantID)/")
        XCTAssertEqual(direct.status, 404, "the internal location is unreachable from outside")
    }

    func testAPendingExportCannotBeDownloadedAndCancelEndsIt() throws {
        let fixture = try fixture("exportcancel")
        let source = try table(fixture, "source")
        // Stop the worker so the job stays pending, cancel it, then bring the worker back.
        let ctl = ProcessInfo.processInfo.environment["DATACOVEY_TEST_STACKCTL"] ?? ""
        XCTAssertEqual(try ChildProcess.run([ctl, "worker-stop"], environment: ProcessInfo.processInfo.environment).status, 0)
        defer { _ = try? ChildProcess.run([ctl, "worker-start"], environment: ProcessInfo.processInfo.environment) }
        let started = try fixture.user.call("POST", "/api/v1/tables/\(source)/exports", json: [:])
        let id = try started.json()["id"] as? Int ?? 0
        let early = try download(fixture.user, ["id": id])
        XCTAssertEqual(early.status, 409)
        XCTAssertEqual(try early.json()["detail"] as? String, "The export is pending; its file can be downloaded once it has completed.")
        let cancelled = try fixture.user.call("POST", "/api/v1/exports/\(id)/cancel")
        XCTAssertEqual(cancelled.status, 200)
        XCTAssertEqual(try cancelled.json()["status"] as? String, "failed")
        XCTAssertEqual(try cancelled.json()["error"] as? String, "cancelled")
        XCTAssertEqual(try fixture.user.call("POST", "/api/v1/exports/\(id)/cancel").status, 409, "an ended job stays ended")
        XCTAssertEqual(try download(fixture.user, ["id": id]).status, 409)
    }
}
