import DataCovey
import MariaDB
import XCTest

/// 0005 and SECURITY rules 2, 4 and 6: each account holds what its process needs and nothing more,
/// and every object's definer is the locked owner account.
final class AccountGrantTests: XCTestCase {
    // MARK: dc_data

    func testDataAccountCreatesAndDropsItsOwnDatabaseAndTable() throws {
        let db = try StackDatabase.require()
        // Not `dcd_<digits>`: those names belong to datasets (ck_datasets_data_database).
        let database = "dcd_grants_\(String(UInt64.random(in: 0..<UInt64.max), radix: 36))"
        let data = try db.data()
        defer { data.close() }
        defer { dropIfLeft(database, db) }

        try data.executeText("CREATE DATABASE `\(database)`")
        try data.executeText("CREATE TABLE `\(database)`.rows (id BIGINT PRIMARY KEY, label VARCHAR(20) NOT NULL)")
        try data.execute("INSERT INTO `\(unsafeRaw: database)`.rows (id, label) VALUES (\(1), \("loaded"))")
        XCTAssertEqual(try data.textRows("SELECT id, label FROM `\(unsafeRaw: database)`.rows"), ["1|loaded"])
        try data.executeText("DROP TABLE `\(database)`.rows")
        try data.executeText("DROP DATABASE `\(database)`")

        XCTAssertEqual(try data.scalar("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = \(database)"), 0)
    }

    func testDataAccountIsRefusedOnTheMetadataSchemas() throws {
        let db = try StackDatabase.require()
        let data = try db.data()
        defer { data.close() }
        for schema in ["datacovey", "datacovey_app"] {
            XCTAssertMariaDBError(1142, try data.query("SELECT * FROM `\(unsafeRaw: schema)`.tenants"), "\(schema): SELECT")
            XCTAssertMariaDBError(1142, try data.executeText("CREATE TABLE `\(schema)`.planted (id INT)"), "\(schema): CREATE TABLE")
            XCTAssertMariaDBError(1142, try data.executeText("DROP TABLE `\(schema)`.tenants"), "\(schema): DROP TABLE")
            XCTAssertMariaDBError(1142, try data.executeText("CREATE VIEW `\(schema)`.planted AS SELECT 1"), "\(schema): CREATE VIEW")
            XCTAssertMariaDBError(1044, try data.executeText("DROP DATABASE `\(schema)`"), "\(schema): DROP DATABASE")
        }
        XCTAssertMariaDBError(1142, try data.execute("INSERT INTO datacovey.tenants (name) VALUES ('planted')"))
        // Its one right outside the data databases: adding row-change audit entries (0022),
        // never reading, changing or removing them, and only for a table of the entry's tenant.
        XCTAssertMariaDBError(1142, try data.query("SELECT * FROM datacovey.row_change_history"))
        XCTAssertMariaDBError(1142, try data.execute("UPDATE datacovey.row_change_history SET operation = 'delete'"))
        XCTAssertMariaDBError(1142, try data.execute("DELETE FROM datacovey.row_change_history"))
        XCTAssertMariaDBError(1644, try data.execute("""
            INSERT INTO datacovey.row_change_history (tenant_id, entity_id, version, operation, db_user, changed_at, row_image)
            VALUES (-1, -1, 0, 'delete', '', UTC_TIMESTAMP(6), '{}')
            """))
        // The grant is on `dcd\_%`: the underscore is literal and the prefix alone is not enough.
        XCTAssertMariaDBError(1044, try data.executeText("CREATE DATABASE dcdx"))
        XCTAssertMariaDBError(1044, try data.executeText("CREATE DATABASE dcd"))
    }

    // MARK: dc_app

    /// SECURITY rule 4. The USAGE line carries the password hash, so messages quote only the
    /// privilege list and the object, never a whole line.
    func testAppAccountHoldsOnlyViewPrivileges() throws {
        let db = try StackDatabase.require()
        let app = try db.app()
        defer { app.close() }
        let grants = try app.query("SHOW GRANTS").map { try $0.decode(String.self, at: 0) }
        XCTAssertGreaterThan(grants.count, 1)

        var objects: [String] = []
        for grant in grants {
            let parsed = try XCTUnwrap(Self.parse(grant), "unexpected grant shape")
            objects.append(parsed.object)
            // The routines: begin_request looks up the token's user and scopes the session; the
            // query-account procedures (0011, 0027) act only on the session tenant's projects; the
            // web-session procedures (0015) take a session token's hash (or a verified subject), as
            // begin_token_request (0018) takes an API token's.
            if ["PROCEDURE `datacovey_app`.`begin_request`", "PROCEDURE `datacovey_app`.`sync_query_account`",
                "PROCEDURE `datacovey_app`.`drop_query_account`", "PROCEDURE `datacovey_app`.`grant_query_dataset`",
                "PROCEDURE `datacovey_app`.`open_web_session`",
                "PROCEDURE `datacovey_app`.`begin_web_request`", "PROCEDURE `datacovey_app`.`close_web_session`",
                "PROCEDURE `datacovey_app`.`local_users`", "PROCEDURE `datacovey_app`.`begin_token_request`",
                // live_workers() (0021) counts live job workers for /readyz: no tenant data.
                "FUNCTION `datacovey_app`.`live_workers`",
                // The session tenant's history chain and its head (0024), for GET /audit/verify.
                "PROCEDURE `datacovey_app`.`history_chain_links`", "PROCEDURE `datacovey_app`.`history_chain_head`"].contains(parsed.object) {
                XCTAssertEqual(parsed.privileges, ["EXECUTE"])
                continue
            }
            for forbidden in ["ALL PRIVILEGES", "FILE", "PROCESS", "SUPER", "SHOW VIEW", "EXECUTE", "GRANT OPTION"] {
                XCTAssertFalse(parsed.privileges.contains(forbidden), "\(forbidden) on \(parsed.object)")
            }
            XCTAssertFalse(grant.contains("WITH GRANT OPTION"), parsed.object)
            if parsed.object == "*.*" {
                XCTAssertEqual(parsed.privileges, ["USAGE"], "global privileges")
            } else {
                XCTAssertTrue(parsed.object.hasPrefix("`datacovey_app`.`"), "grant on \(parsed.object)")
                XCTAssertFalse(parsed.object.hasSuffix(".*"), "schema-wide grant on \(parsed.object)")
                XCTAssertTrue(parsed.privileges.isSubset(of: ["SELECT", "INSERT", "UPDATE", "DELETE"]), "\(parsed.privileges) on \(parsed.object)")
            }
        }
        XCTAssertEqual(objects.filter { $0 == "*.*" }.count, 1)
        XCTAssertFalse(objects.contains { $0.hasPrefix("`datacovey`.") }, "nothing on datacovey")
        XCTAssertTrue(objects.contains("`datacovey_app`.`projects`"))

        XCTAssertMariaDBError(1142, try app.executeText("SHOW CREATE VIEW datacovey_app.projects"), "no SHOW VIEW")
        XCTAssertMariaDBError(1370, try app.query("SELECT datacovey.dc_tenant()"), "no EXECUTE: the views call it as the definer")
    }

    // MARK: dc_owner and definers

    func testOwnerAccountIsLockedAndCannotConnect() throws {
        let db = try StackDatabase.require()
        let superuser = try db.superuser()
        defer { superuser.close() }
        XCTAssertEqual(try superuser.textRows("""
            SELECT JSON_VALUE(Priv, '$.account_locked') FROM mysql.global_priv WHERE User = 'dc_owner' AND Host = 'localhost'
            """), ["1"])

        var owner = db.configuration.appDatabase
        owner.user = "dc_owner"
        owner.password = ""
        XCTAssertMariaDBError(4151, try MariaDBConnection.connect(owner), "ER_ACCOUNT_HAS_BEEN_LOCKED")
    }

    /// SECURITY rule 6: a definer that does not exist makes every write fail (1449), so each
    /// trigger, view and routine must name the owner, and the owner must exist.
    func testEveryTriggerViewAndRoutineIsDefinedByTheExistingOwner() throws {
        let db = try StackDatabase.require()
        let superuser = try db.superuser()
        defer { superuser.close() }
        let objects = try superuser.query("""
            SELECT 'trigger', TRIGGER_NAME, DEFINER FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 'datacovey'
            UNION ALL
            SELECT 'view', TABLE_NAME, DEFINER FROM information_schema.VIEWS WHERE TABLE_SCHEMA = 'datacovey_app'
            UNION ALL
            SELECT 'routine', ROUTINE_NAME, DEFINER FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA IN ('datacovey', 'datacovey_app')
            """).map { try $0.decode((String, String, String).self) }

        let kinds = Dictionary(grouping: objects, by: \.0)
        XCTAssertGreaterThanOrEqual(kinds["trigger"]?.count ?? 0, 9 * 5, "five triggers per history-tracked table")
        XCTAssertGreaterThanOrEqual(kinds["view"]?.count ?? 0, 20)
        XCTAssertTrue(Set((kinds["routine"] ?? []).map(\.1)).isSuperset(of: ["dc_tenant", "dc_actor", "dc_subject"]))
        for (kind, name, definer) in objects {
            // Only the three account procedures run as dc_grantor, which holds CREATE USER.
            let expected = ["sync_query_account", "drop_query_account", "grant_query_dataset"].contains(name) ? "dc_grantor@localhost" : "dc_owner@localhost"
            XCTAssertEqual(definer, expected, "\(kind) \(name)")
        }
        for definer in Set(objects.map(\.2)) {
            let at = try XCTUnwrap(definer.lastIndex(of: "@"))
            let (user, host) = (String(definer[..<at]), String(definer[definer.index(after: at)...]))
            XCTAssertEqual(try superuser.scalar("SELECT COUNT(*) FROM mysql.global_priv WHERE User = \(user) AND Host = \(host)"), 1,
                           "definer \(definer) must exist")
        }
    }

    // MARK: Helpers

    /// `GRANT <privileges> ON <object> TO …` → its privileges and object.
    private static func parse(_ grant: String) -> (privileges: Set<String>, object: String)? {
        guard grant.hasPrefix("GRANT "), let on = grant.range(of: " ON "), let to = grant.range(of: " TO ", range: on.upperBound..<grant.endIndex)
        else { return nil }
        // A column grant (`UPDATE (`revoked_at`, `revoked_by`)`, 0018) counts as its privilege.
        let list = grant[grant.index(grant.startIndex, offsetBy: 6)..<on.lowerBound]
            .replacingOccurrences(of: #"\s*\([^)]*\)"#, with: "", options: .regularExpression)
        let privileges = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return (Set(privileges), String(grant[on.upperBound..<to.lowerBound]))
    }

    /// Only after a failure half-way: the data account drops what it created.
    private func dropIfLeft(_ database: String, _ db: StackDatabase) {
        guard let data = try? db.data() else { return }
        defer { data.close() }
        try? data.executeText("DROP DATABASE IF EXISTS `\(database)`")
    }
}
