import DataCovey
import MariaDB
import XCTest

final class ConfigurationTests: XCTestCase {
    func testDefaultsFollowTheRunDirectory() throws {
        let configuration = try Configuration.fromEnvironment(["DATACOVEY_RUN_DIR": "/srv/dc"])
        XCTAssertEqual(configuration.databaseEndpoint, .unixSocket(path: "/srv/dc/mariadb/mariadb.sock"))
        XCTAssertEqual(configuration.fastCGIListen, "/srv/dc/fcgi.sock")
        XCTAssertEqual(configuration.dataDirectory, "/srv/dc/data")
        XCTAssertEqual(configuration.poolSize, 8, "one connection per FastCGI thread")
        XCTAssertEqual(configuration.fastCGIThreads, 8)
        XCTAssertEqual(configuration.appAccount.user, "dc_app")
        XCTAssertEqual(configuration.appDatabase.database, "datacovey_app")
        XCTAssertEqual(configuration.opsDatabase.database, "datacovey")
    }

    func testHostSelectsTCP() throws {
        let configuration = try Configuration.fromEnvironment(["DATACOVEY_DB_HOST": "db.internal", "DATACOVEY_DB_PORT": "3310"])
        XCTAssertEqual(configuration.databaseEndpoint, .tcp(host: "db.internal", port: 3310))
    }

    func testHostsListTheNodesInOrder() throws {
        let configuration = try Configuration.fromEnvironment([
            "DATACOVEY_DB_HOSTS": "127.0.0.1:3312, db3.internal:3313,[::1]:3311", "DATACOVEY_DB_HOST": "ignored"])
        XCTAssertEqual(configuration.databaseEndpoint, .tcp(host: "127.0.0.1", port: 3312))
        XCTAssertEqual(configuration.databaseFallbackEndpoints, [.tcp(host: "db3.internal", port: 3313), .tcp(host: "::1", port: 3311)])
        for database in [configuration.appDatabase, configuration.dataDatabase, configuration.workerDatabase,
                         configuration.queryDatabase, configuration.opsDatabase, configuration.migrateDatabase] {
            XCTAssertEqual(database.nodes.count, 3, "every account's connections fail over")
        }
        let single = try Configuration.fromEnvironment(["DATACOVEY_DB_HOST": "db.internal"])
        XCTAssertEqual(single.databaseFallbackEndpoints, [])
        XCTAssertFalse(single.appDatabase.hasFallbacks)
    }

    func testABadHostsEntryIsNamed() {
        for (value, entry) in [("127.0.0.1:3311,127.0.0.1", "127.0.0.1"), ("a:1,,b:2", ""), ("a:0", "a:0"),
                               ("a:1,a:1", "a:1"), ("::1:3306", "::1:3306"), ("db host:3306", "db host:3306")] {
            XCTAssertThrowsError(try Configuration.fromEnvironment(["DATACOVEY_DB_HOSTS": value]), value) { error in
                XCTAssertTrue("\(error)".hasPrefix("DATACOVEY_DB_HOSTS=\(value) is invalid"), "\(error)")
                XCTAssertTrue("\(error)".contains("the entry '\(entry)' is not"), "\(error)")
            }
        }
    }

    func testAnUnusableValueNamesTheVariable() {
        XCTAssertThrowsError(try Configuration.fromEnvironment(["DATACOVEY_POOL_SIZE": "lots"])) { error in
            XCTAssertEqual("\(error)", "DATACOVEY_POOL_SIZE=lots is invalid: expected an integer in 1...1000")
        }
        XCTAssertThrowsError(try Configuration.fromEnvironment(["DATACOVEY_LOG_LEVEL": "loud"])) { error in
            XCTAssertTrue("\(error)".hasPrefix("DATACOVEY_LOG_LEVEL=loud is invalid"))
        }
    }
}
