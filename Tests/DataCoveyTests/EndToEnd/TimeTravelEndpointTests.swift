import DataCovey
import Foundation
import MariaDB
import TestSupport
import XCTest

/// Time travel through nginx on system-versioned tables (issue 15): `as_of` on rows and
/// exports, the retention (410) and its purge, row history, row and table restore, imports
/// (append, replace in place, revert) seen through `as_of`, each asserting the exact rows.
final class TimeTravelEndpointTests: XCTestCase {
    private struct Fixture {
        let db: StackDatabase
        let tenant: TenantFixture
        let other: TenantFixture
        let admin: APICaller
        let table: Int

        static func make(_ label: String) throws -> Fixture {
            let db = try StackDatabase.require()
            let (tenant, other) = try db.makeTwoTenants(label)
            let admin = try db.caller(tenant, .admin)
            let (_, _, table) = try admin.makeTable(columns: [
                ["name": "id", "type": "int64", "primary_key": true], ["name": "name", "type": "string"],
            ])
            return Fixture(db: db, tenant: tenant, other: other, admin: admin, table: table)
        }

        /// The table's rows as "id:name" in row order, now or at `asOf`.
        func rows(asOf: String? = nil, query: String = "", as caller: APICaller? = nil) throws -> [String] {
            var path = "/api/v1/tables/\(table)/rows?limit=1000"
            if let asOf { path += "&as_of=\(asOf.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? asOf)" }
            if !query.isEmpty { path += "&" + query }
            let response = try (caller ?? admin).call("GET", path)
            XCTAssertEqual(response.status, 200, response.text)
            return (try response.json()["items"] as? [[String: Any]] ?? []).map { "\($0["id"] ?? ""):\($0["name"] ?? "")" }
        }

        /// Runs SQL on the table through the data account (the PATCH/DELETE API may not exist
        /// on this branch); `$t` is the physical table.
        func sql(_ statement: String, at timestamp: Double? = nil) throws {
            let data = try db.data()
            defer { data.close() }
            if let timestamp { try data.executeText("SET @@timestamp = \(String(format: "%.6f", timestamp))") }
            try data.executeText(statement.replacingOccurrences(of: "$t", with: try physical()))
        }

        func physical() throws -> String {
            let ops = try db.ops()
            defer { ops.close() }
            let (database, table) = try ops.query("""
                SELECT d.data_database, t.physical_name FROM dataset_tables t JOIN datasets d ON d.id = t.dataset_id WHERE t.id = \(Int64(table))
                """)[0].decode((String, String).self)
            return "`\(database)`.`\(table)`"
        }

        func load(_ csv: String, mode: String = "append") throws -> Int {
            let upload = try admin.call("POST", "/api/v1/tables/\(table)/imports?mode=\(mode)", body: Array(csv.utf8),
                                        headers: [("Content-Type", "text/csv")])
            XCTAssertEqual(upload.status, 202, upload.text)
            let id = try upload.json()["id"] as? Int ?? 0
            XCTAssertEqual(try admin.awaitJob("/api/v1/imports/\(id)")["status"] as? String, "completed")
            return id
        }

        /// The row-change audit entries of the table, oldest first: "operation rows {details}".
        func audit() throws -> [(operation: String, actor: Int64?, image: [String: Any])] {
            let superuser = try db.superuser()
            defer { superuser.close() }
            return try superuser.query("""
                SELECT operation, actor_user_id, row_image FROM datacovey.row_change_history WHERE entity_id = \(Int64(table)) ORDER BY version
                """).map { row in
                let (operation, actor, image) = try row.decode((String, Int64?, String).self)
                return (operation, actor, (try JSONSerialization.jsonObject(with: Data(image.utf8)) as? [String: Any]) ?? [:])
            }
        }
    }

    /// An instant between two changes: the server's clock (the test runs beside it), with a
    /// pause on each side so no change shares it.
    private func instant() -> String {
        Thread.sleep(forTimeInterval: 0.02)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let text = formatter.string(from: Date())
        Thread.sleep(forTimeInterval: 0.02)
        return text
    }

    func testAsOfShowsTheRowsBeforeAndAfterAnInsertAnUpdateAndADelete() throws {
        let fixture = try Fixture.make("asof")
        let empty = instant()
        XCTAssertEqual(try fixture.admin.call("POST", "/api/v1/tables/\(fixture.table)/rows",
                                              json: [["id": 1, "name": "ann"], ["id": 2, "name": "bob"]]).status, 201)
        let inserted = instant()
        try fixture.sql("UPDATE $t SET name = 'BOB' WHERE id = 2")
        let updated = instant()
        try fixture.sql("DELETE FROM $t WHERE id = 1")
        let deleted = instant()

        XCTAssertEqual(try fixture.rows(asOf: empty), [])
        XCTAssertEqual(try fixture.rows(asOf: inserted), ["1:ann", "2:bob"])
        XCTAssertEqual(try fixture.rows(asOf: updated), ["1:ann", "2:BOB"])
        XCTAssertEqual(try fixture.rows(asOf: deleted), ["2:BOB"])
        XCTAssertEqual(try fixture.rows(), ["2:BOB"])
        // Filters, order and the cursor apply to the past too.
        XCTAssertEqual(try fixture.rows(asOf: inserted, query: "name=eq.bob"), ["2:bob"])
        XCTAssertEqual(try fixture.rows(asOf: updated, query: "order=name.desc"), ["2:BOB", "1:ann"])
        let page = try fixture.admin.call("GET", "/api/v1/tables/\(fixture.table)/rows?limit=1&as_of=\(inserted)")
        let cursor = try XCTUnwrap(try page.json()["next_cursor"] as? String)
        XCTAssertEqual(try fixture.rows(asOf: inserted, query: "cursor=\(cursor)"), ["2:bob"])
        // An offset in the instant means the same moment.
        let viewer = try fixture.db.caller(fixture.tenant, .viewer)
        XCTAssertEqual(try fixture.rows(asOf: inserted, as: viewer), ["1:ann", "2:bob"], "viewers read the past")
        let other = try fixture.db.caller(fixture.other, .admin)
        XCTAssertEqual(try other.call("GET", "/api/v1/tables/\(fixture.table)/rows?as_of=\(inserted)").status, 404)

        // A column added through the tables API keeps the versions (system_versioning_alter_history = KEEP).
        let patched = try fixture.admin.call("PATCH", "/api/v1/tables/\(fixture.table)", json: ["add_columns": [["name": "age", "type": "int64"]]])
        XCTAssertEqual(patched.status, 200, patched.text)
        XCTAssertEqual(try fixture.rows(asOf: inserted), ["1:ann", "2:bob"])
        let renamed = try fixture.admin.call("PATCH", "/api/v1/tables/\(fixture.table)", json: ["rename_columns": ["age": "years"]])
        XCTAssertEqual(renamed.status, 200, renamed.text)
        let past = try fixture.admin.call("GET", "/api/v1/tables/\(fixture.table)/rows?as_of=\(updated)").json()["items"] as? [[String: Any]] ?? []
        XCTAssertEqual(past.count, 2)
        XCTAssertTrue(past.allSatisfy { $0["years"] is NSNull }, "the added column reads NULL in the past")
    }

    func testAsOfThatCannotBeReadIsRefusedWithItsReason() throws {
        let fixture = try Fixture.make("asofno")
        func problem(_ asOf: String) throws -> (Int, String, String) {
            let response = try fixture.admin.call("GET", "/api/v1/tables/\(fixture.table)/rows?as_of=\(asOf)")
            let body = try response.json()
            let field = (body["errors"] as? [[String: Any]])?.first?["field"] as? String ?? ""
            return (response.status, field, body["detail"] as? String ?? "")
        }
        let bad = try problem("yesterday")
        XCTAssertEqual(bad.0, 400)
        XCTAssertEqual(bad.1, "as_of")
        let future = try problem("2999-01-01T00:00:00Z")
        XCTAssertEqual(future.0, 422)
        XCTAssertEqual(future.1, "as_of")
        XCTAssertEqual(future.2, "as_of 2999-01-01T00:00:00.000000Z is in the future; the table can be read as it was, not as it will be.")

        // Older than the tenant's retention: 410, saying the retention.
        let set = try fixture.db.admin(["tenant", "time-travel", fixture.tenant.tenantName, "--days", "1"])
        XCTAssertEqual(set.status, 0, set.output)
        XCTAssertEqual(set.output.trimmingCharacters(in: .whitespacesAndNewlines), "tenant \(fixture.tenant.tenantName) keeps row versions 1 days")
        let formatter = ISO8601DateFormatter()
        let old = formatter.string(from: Date().addingTimeInterval(-2 * 86_400))
        let gone = try problem(old)
        XCTAssertEqual(gone.0, 410)
        XCTAssertEqual(gone.1, "as_of")
        XCTAssertTrue(gone.2.hasPrefix("Versions are kept for 1 day; as_of "), gone.2)
        // The other tenant keeps the site's 30 days: the same instant is only before time travel began there.
        let other = try fixture.db.caller(fixture.other, .admin)
        let (_, _, otherTable) = try other.makeTable(columns: [["name": "id", "type": "int64"]])
        let since = try other.call("GET", "/api/v1/tables/\(otherTable)/rows?as_of=\(old)")
        XCTAssertEqual(since.status, 410)
        XCTAssertTrue((try since.json()["detail"] as? String ?? "").hasPrefix("Versions are kept since "), since.text)
        // Exports take as_of with the same checks.
        let export = try fixture.admin.call("POST", "/api/v1/tables/\(fixture.table)/exports", json: ["as_of": old])
        XCTAssertEqual(export.status, 410, export.text)
    }

    func testTheMaintenancePurgesVersionsOlderThanTheRetention() throws {
        let fixture = try Fixture.make("purge")
        let now = Date().timeIntervalSince1970
        // Versions stamped in the past through the session's clock, as if made days ago.
        try fixture.sql("INSERT INTO $t (id, name) VALUES (1, 'four days ago')", at: now - 4 * 86_400)
        try fixture.sql("UPDATE $t SET name = 'three days ago' WHERE id = 1", at: now - 3 * 86_400)
        try fixture.sql("UPDATE $t SET name = 'an hour ago' WHERE id = 1", at: now - 3600)
        try fixture.sql("UPDATE $t SET name = 'now' WHERE id = 1")
        func versions() throws -> [String] {
            let data = try fixture.db.data()
            defer { data.close() }
            return try data.query(SQLQuery(unsafeSQL: "SELECT name FROM \(try fixture.physical()) FOR SYSTEM_TIME ALL ORDER BY ROW_START"))
                .map { try $0.decode(String.self, at: 0) }
        }
        XCTAssertEqual(try versions(), ["four days ago", "three days ago", "an hour ago", "now"])
        XCTAssertEqual(try fixture.db.admin(["tenant", "time-travel", fixture.tenant.tenantName, "--days", "2"]).status, 0)
        let run = try fixture.db.admin(["maintenance"])
        XCTAssertEqual(run.status, 0, run.output)
        XCTAssertTrue(run.output.contains("time travel: purged "), run.output)
        // Versions that ended more than two days ago are gone; the one that ended an hour ago stays.
        XCTAssertEqual(try versions(), ["three days ago", "an hour ago", "now"])
        XCTAssertEqual(try fixture.db.admin(["tenant", "time-travel", fixture.tenant.tenantName, "--site-default"]).output
            .trimmingCharacters(in: .whitespacesAndNewlines), "tenant \(fixture.tenant.tenantName) keeps row versions 30 days")
    }

    func testImportsAppendReplaceAndRevertAreSeenThroughAsOf() throws {
        let fixture = try Fixture.make("asofimport")
        let before = instant()
        let append = try fixture.load("id,name\n1,ann\n2,bob\n")
        let appended = instant()
        let replace = try fixture.load("id,name\n3,cy\n4,dee\n5,eve\n", mode: "replace")
        let replaced = instant()
        XCTAssertEqual(try fixture.rows(), ["3:cy", "4:dee", "5:eve"])
        XCTAssertEqual(try fixture.rows(asOf: before), [])
        XCTAssertEqual(try fixture.rows(asOf: appended), ["1:ann", "2:bob"], "the replaced rows are the table's history")
        XCTAssertEqual(try fixture.rows(asOf: replaced), ["3:cy", "4:dee", "5:eve"])
        // The replace's one instant: just before it the old rows, at it the new ones, never empty.
        let superuser = try fixture.db.superuser()
        defer { superuser.close() }
        try superuser.executeText("SET time_zone = '+00:00'")
        let (changed, justBefore, after) = try superuser.query(SQLQuery(unsafeSQL: """
            SELECT DATE_FORMAT(MIN(ROW_START), '%Y-%m-%dT%H:%i:%s.%fZ'), DATE_FORMAT(MIN(ROW_START) - INTERVAL 1 MICROSECOND, '%Y-%m-%dT%H:%i:%s.%fZ'),
                   (SELECT COUNT(*) FROM datacovey.import_jobs WHERE id = \(replace) AND finished_at >= MIN(ROW_START))
              FROM \(try fixture.physical())
            """))[0].decode((String, String, Int64).self)
        XCTAssertEqual(after, 1, "the job finished at or after its change")
        XCTAssertEqual(try fixture.rows(asOf: changed), ["3:cy", "4:dee", "5:eve"])
        XCTAssertEqual(try fixture.rows(asOf: justBefore), ["1:ann", "2:bob"])

        let reverted = try fixture.admin.call("POST", "/api/v1/imports/\(replace)/revert")
        XCTAssertEqual(reverted.status, 200, reverted.text)
        let revertedAt = instant()
        XCTAssertEqual(try fixture.rows(), ["1:ann", "2:bob"], "the rows before the replace, with their row order")
        XCTAssertEqual(try fixture.rows(asOf: replaced), ["3:cy", "4:dee", "5:eve"], "the revert is a new change")
        XCTAssertEqual(try fixture.admin.call("POST", "/api/v1/imports/\(append)/revert").status, 200)
        XCTAssertEqual(try fixture.rows(), [])
        XCTAssertEqual(try fixture.rows(asOf: revertedAt), ["1:ann", "2:bob"])
        let audit = try fixture.audit()
        XCTAssertEqual(audit.map(\.operation), ["restore", "delete"])
        XCTAssertEqual(audit[0].image["import"] as? String, String(replace))
        XCTAssertEqual(audit[0].actor, fixture.admin.userID)
        XCTAssertEqual(audit[1].image["rows"] as? Int, 2)
    }

    func testARowsHistoryNamesEachVersionAndWhoMadeIt() throws {
        let fixture = try Fixture.make("history")
        let user = try fixture.db.caller(fixture.tenant, .user)
        XCTAssertEqual(try user.call("POST", "/api/v1/tables/\(fixture.table)/rows", json: [["id": 1, "name": "ann"]]).status, 201)
        _ = instant()
        try fixture.sql("UPDATE $t SET name = 'anne' WHERE id = 1")
        let history = try fixture.admin.call("GET", "/api/v1/tables/\(fixture.table)/rows/1/history")
        XCTAssertEqual(history.status, 200, history.text)
        let body = try history.json()
        XCTAssertEqual(body["key"] as? String, "1")
        let items = try XCTUnwrap(body["items"] as? [[String: Any]])
        XCTAssertEqual(items.map { ($0["row"] as? [String: Any])?["name"] as? String }, ["anne", "ann"])
        XCTAssertTrue(items[0]["valid_to"] is NSNull)
        XCTAssertEqual(items[0]["current"] as? Bool, true)
        XCTAssertEqual(items[1]["valid_to"] as? String, items[0]["valid_from"] as? String, "one version ends where the next begins")
        XCTAssertTrue(items[0]["change"] is NSNull, "an update made outside the API has no audit entry")
        let insert = try XCTUnwrap(items[1]["change"] as? [String: Any])
        XCTAssertEqual(insert["operation"] as? String, "insert")
        XCTAssertEqual((insert["actor_user_id"] as? Int).map(Int64.init), user.userID)

        // Viewers read it; other tenants and unknown keys.
        let viewer = try fixture.db.caller(fixture.tenant, .viewer)
        XCTAssertEqual(try viewer.call("GET", "/api/v1/tables/\(fixture.table)/rows/1/history").status, 200)
        XCTAssertEqual(try fixture.db.caller(fixture.other, .admin).call("GET", "/api/v1/tables/\(fixture.table)/rows/1/history").status, 404)
        XCTAssertEqual((try fixture.admin.call("GET", "/api/v1/tables/\(fixture.table)/rows/9/history").json()["items"] as? [[String: Any]])?.count, 0)
        let badKey = try fixture.admin.call("GET", "/api/v1/tables/\(fixture.table)/rows/x/history")
        XCTAssertEqual(badKey.status, 400)
    }

    func testARowIsRestoredAsItWasAsOneAuditedChange() throws {
        let fixture = try Fixture.make("rowrestore")
        let user = try fixture.db.caller(fixture.tenant, .user)
        XCTAssertEqual(try user.call("POST", "/api/v1/tables/\(fixture.table)/rows", json: [["id": 1, "name": "ann"], ["id": 2, "name": "bob"]]).status, 201)
        let first = instant()
        try fixture.sql("UPDATE $t SET name = 'wrong' WHERE id = 1")
        try fixture.sql("DELETE FROM $t WHERE id = 2")
        XCTAssertEqual(try user.call("POST", "/api/v1/tables/\(fixture.table)/rows", json: [["id": 3, "name": "cy"]]).status, 201)
        XCTAssertEqual(try fixture.rows(), ["1:wrong", "3:cy"])

        func restore(_ key: String, _ asOf: String, as caller: APICaller) throws -> HTTPTestClient.Response {
            try caller.call("POST", "/api/v1/tables/\(fixture.table)/rows/\(key)/restore", json: ["as_of": asOf])
        }
        let changed = try restore("1", first, as: user)
        XCTAssertEqual(changed.status, 200, changed.text)
        XCTAssertEqual(try changed.json()["deleted"] as? Int, 1)
        XCTAssertEqual(try changed.json()["inserted"] as? Int, 1)
        XCTAssertEqual(try fixture.rows(), ["1:ann", "3:cy"], "the row as it was, with its place")
        XCTAssertEqual(try restore("2", first, as: user).status, 200)
        XCTAssertEqual(try fixture.rows(), ["1:ann", "2:bob", "3:cy"], "a row absent now comes back")
        XCTAssertEqual(try restore("3", first, as: user).status, 200)
        XCTAssertEqual(try fixture.rows(), ["1:ann", "2:bob"], "a row absent then is deleted")
        let unchanged = try restore("1", first, as: user)
        XCTAssertEqual([try unchanged.json()["deleted"] as? Int, try unchanged.json()["inserted"] as? Int], [0, 0])

        let audit = try fixture.audit().filter { $0.operation == "restore" }
        XCTAssertEqual(audit.count, 4)
        XCTAssertEqual(audit[0].image["key"] as? String, "1")
        XCTAssertEqual(audit[0].actor, user.userID)
        XCTAssertTrue((audit[0].image["as_of"] as? String ?? "").hasPrefix(String(first.prefix(19))), "\(audit[0].image)")
        // The restore is in the row's history, by whom.
        let items = try fixture.admin.call("GET", "/api/v1/tables/\(fixture.table)/rows/1/history").json()["items"] as? [[String: Any]] ?? []
        XCTAssertEqual(((items.first?["change"] as? [String: Any])?["operation"] as? String), "restore")

        // Viewers may not; other tenants see nothing; the instant is checked.
        XCTAssertEqual(try restore("1", first, as: try fixture.db.caller(fixture.tenant, .viewer)).status, 403)
        XCTAssertEqual(try restore("1", first, as: try fixture.db.caller(fixture.other, .admin)).status, 404)
        XCTAssertEqual(try restore("1", "2999-01-01T00:00:00Z", as: user).status, 422)
        XCTAssertEqual(try user.call("POST", "/api/v1/tables/\(fixture.table)/rows/1/restore", json: [:]).status, 400)
    }

    func testATableIsRestoredToAnInstantByAdminsOnly() throws {
        let fixture = try Fixture.make("tablerestore")
        _ = try fixture.load("id,name\n1,ann\n2,bob\n3,cy\n")
        let good = instant()
        try fixture.sql("UPDATE $t SET name = 'oops'")
        try fixture.sql("DELETE FROM $t WHERE id = 3")
        XCTAssertEqual(try fixture.admin.call("POST", "/api/v1/tables/\(fixture.table)/rows", json: [["id": 4, "name": "dee"]]).status, 201)
        let bad = instant()

        XCTAssertEqual(try fixture.db.caller(fixture.tenant, .user).call("POST", "/api/v1/tables/\(fixture.table)/rewind", json: ["as_of": good]).status, 403)
        XCTAssertEqual(try fixture.db.caller(fixture.tenant, .viewer).call("POST", "/api/v1/tables/\(fixture.table)/rewind", json: ["as_of": good]).status, 403)
        XCTAssertEqual(try fixture.db.caller(fixture.other, .admin).call("POST", "/api/v1/tables/\(fixture.table)/rewind", json: ["as_of": good]).status, 404)
        XCTAssertEqual(try fixture.rows(), ["1:oops", "2:oops", "4:dee"], "a refused restore changes nothing")

        let restored = try fixture.admin.call("POST", "/api/v1/tables/\(fixture.table)/rewind", json: ["as_of": good])
        XCTAssertEqual(restored.status, 200, restored.text)
        XCTAssertEqual(try restored.json()["deleted"] as? Int, 3)
        XCTAssertEqual(try restored.json()["inserted"] as? Int, 3)
        XCTAssertEqual(try fixture.rows(), ["1:ann", "2:bob", "3:cy"])
        XCTAssertEqual(try fixture.rows(asOf: bad), ["1:oops", "2:oops", "4:dee"], "what it undid stays in the history")
        let audit = try fixture.audit().last
        XCTAssertEqual(audit?.operation, "restore")
        XCTAssertEqual(audit?.image["rows"] as? Int, 6)
        XCTAssertNotNil(audit?.image["as_of"] as? String)
        XCTAssertNil(audit?.image["key"])

        // Restoring forward again: the table as it was before the restore.
        XCTAssertEqual(try fixture.admin.call("POST", "/api/v1/tables/\(fixture.table)/rewind", json: ["as_of": bad]).status, 200)
        XCTAssertEqual(try fixture.rows(), ["1:oops", "2:oops", "4:dee"])
    }

    func testAnExportTakesAsOf() throws {
        let fixture = try Fixture.make("exportasof")
        XCTAssertEqual(try fixture.admin.call("POST", "/api/v1/tables/\(fixture.table)/rows", json: [["id": 1, "name": "ann"]]).status, 201)
        let then = instant()
        try fixture.sql("UPDATE $t SET name = 'later'")
        let started = try fixture.admin.call("POST", "/api/v1/tables/\(fixture.table)/exports", json: ["as_of": then])
        XCTAssertEqual(started.status, 202, started.text)
        let job = try fixture.admin.awaitJob(started.headers["location"] ?? "")
        XCTAssertEqual(job["status"] as? String, "completed")
        XCTAssertNotNil((job["options"] as? [String: Any])?["as_of"] as? String)
        let file = try fixture.admin.call("GET", "/api/v1/exports/\(job["id"] as? Int ?? 0)/download")
        XCTAssertEqual(file.text, "id,name\r\n1,ann\r\n")
    }
}
