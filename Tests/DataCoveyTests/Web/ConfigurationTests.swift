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

    func testAnUnusableValueNamesTheVariable() {
        XCTAssertThrowsError(try Configuration.fromEnvironment(["DATACOVEY_POOL_SIZE": "lots"])) { error in
            XCTAssertEqual("\(error)", "DATACOVEY_POOL_SIZE=lots is invalid: expected an integer in 1...1000")
        }
        XCTAssertThrowsError(try Configuration.fromEnvironment(["DATACOVEY_LOG_LEVEL": "loud"])) { error in
            XCTAssertTrue("\(error)".hasPrefix("DATACOVEY_LOG_LEVEL=loud is invalid"))
        }
    }
}
