import DataCovey
import Foundation
import TestSupport
import XCTest

/// An import never counts a row the table did not gain (issue 18, defect 1): `LOAD DATA LOCAL`
/// skips a row whose primary key exists, in the table or earlier in the file, with only a
/// warning; such an import now fails whole, adds nothing, and says why.
final class ImportDuplicateKeyTests: XCTestCase {
    func testRepeatedKeysFailTheImportInsteadOfBeingCountedAndDropped() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("dupkeys")
        let user = try db.caller(tenant, .user)
        let project = try user.call("POST", "/api/v1/projects", json: ["name": "dups"]).json()["id"] as? Int ?? 0
        let dataset = try user.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": "d"]).json()["id"] as? Int ?? 0
        let table = try user.call("POST", "/api/v1/datasets/\(dataset)/tables", json: [
            "name": "t", "columns": [["name": "id", "type": "int64", "primary_key": true], ["name": "v", "type": "string"]],
        ]).json()["id"] as? Int ?? 0
        XCTAssertEqual(try user.call("POST", "/api/v1/tables/\(table)/rows", json: [["id": 1, "v": "original"]]).status, 201)

        func rows() throws -> String {
            let items = try user.call("GET", "/api/v1/tables/\(table)/rows").json()["items"] as? [[String: Any]] ?? []
            return items.map { "\($0["id"] as? Int ?? 0) \($0["v"] as? String ?? "")" }.joined(separator: ", ")
        }
        for (mode, file, skipped, sent) in [("append", "id,v\n1,FROM_FILE\n2,new\n2,dup_in_file\n", 2, 3),
                                            ("replace", "id,v\n2,new\n2,dup_in_file\n3,x\n", 1, 3)] {
            let started = try user.call("POST", "/api/v1/tables/\(table)/imports?mode=\(mode)", body: Array(file.utf8),
                                        headers: [("Content-Type", "text/csv")])
            XCTAssertEqual(started.status, 202, started.text)
            let job = try user.awaitJob(started.headers["location"] ?? "")
            XCTAssertEqual(job["status"] as? String, "failed", "\(mode): \(job)")
            XCTAssertEqual(job["error"] as? String,
                           "\(skipped) of the \(sent) rows repeat a primary key of the table or of the file, so the database skipped them; "
                           + "no row was loaded. Remove the repeated keys and import again.", mode)
            XCTAssertEqual(try rows(), "1 original", "\(mode): the table is as it was")
        }
        // Without repeats the same import loads, and its counter is what the table gained.
        let clean = try user.call("POST", "/api/v1/tables/\(table)/imports", body: Array("id,v\n2,new\n3,x\n".utf8),
                                  headers: [("Content-Type", "text/csv")])
        let job = try user.awaitJob(clean.headers["location"] ?? "")
        XCTAssertEqual(job["status"] as? String, "completed")
        XCTAssertEqual(job["rows_loaded"] as? Int, 2)
        XCTAssertEqual(try rows(), "1 original, 2 new, 3 x")
    }
}
