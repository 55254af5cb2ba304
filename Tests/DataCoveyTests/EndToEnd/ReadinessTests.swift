@testable import DataCovey
import FastCGI
import Logging
import MariaDB
import XCTest

/// `/readyz` in-process against the real database, with a pool made to be exhausted.
final class ReadinessTests: XCTestCase {
    func testExhaustedPoolAnswers503WithinTheLeaseTimeout() throws {
        let db = try StackDatabase.require()
        let pool = MariaDBPool(configuration: db.configuration.appDatabase, maxConnections: 1, leaseTimeout: .milliseconds(400))
        defer { pool.shutDown() }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let application = Application(router: Routes.make(database: Database(pool: pool), dataDatabases: DataDatabases(pool: MariaDBPool(configuration: db.configuration.dataDatabase, maxConnections: 1)), verifier: db.configuration.auth.makeVerifier(), files: JobFiles(dataDirectory: db.configuration.dataDirectory), queries: QueryService(configuration: db.configuration, logger: logger)), configuration: db.configuration, logger: logger)
        let ready = FastCGIRequest(params: ["REQUEST_METHOD": "GET", "REQUEST_URI": "/readyz"])
        XCTAssertEqual(application.respond(to: ready).status, 200)

        let holding = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            try? pool.withConnection { _ in
                holding.signal()
                _ = release.wait(timeout: .now() + 10)
            }
        }
        XCTAssertEqual(holding.wait(timeout: .now() + 5), .success)
        let started = Date()
        let response = application.respond(to: ready)
        let waited = Date().timeIntervalSince(started)
        release.signal()
        XCTAssertEqual(response.status, 503)
        XCTAssertEqual(response.header("Content-Type"), "application/problem+json")
        XCTAssertEqual(response.header("Retry-After"), "1")
        XCTAssertGreaterThanOrEqual(waited, 0.39)
        XCTAssertLessThan(waited, 1.5, "answered right after the lease timeout, not left hanging")
    }

    /// A closed loopback port listed before the stack's server: requests go to the live node and
    /// readiness says 2 configured, 1 usable; with no live node, 503.
    func testADeadNodeFirstInTheListStillAnswersAndReadinessCountsIt() throws {
        let db = try StackDatabase.require()
        var configuration = db.configuration
        let live = configuration.databaseEndpoint
        configuration.databaseEndpoint = .tcp(host: "127.0.0.1", port: try Self.closedPort())
        configuration.databaseFallbackEndpoints = [live]
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        func application(_ configuration: Configuration) -> (Application, MariaDBPool) {
            let pool = MariaDBPool(configuration: configuration.appDatabase, maxConnections: 2, leaseTimeout: .milliseconds(1500),
                                   reuse: .scopedByCaller)
            let app = Application(router: Routes.make(database: Database(pool: pool), dataDatabases: DataDatabases(pool: MariaDBPool(configuration: configuration.dataDatabase, maxConnections: 1)), verifier: configuration.auth.makeVerifier(), files: JobFiles(dataDirectory: configuration.dataDirectory), queries: QueryService(configuration: configuration, logger: logger)), configuration: configuration, logger: logger)
            return (app, pool)
        }
        let (app, pool) = application(configuration)
        defer { pool.shutDown() }
        let ready = FastCGIRequest(params: ["REQUEST_METHOD": "GET", "REQUEST_URI": "/readyz"])
        let started = Date()
        let response = app.respond(to: ready)
        XCTAssertEqual(response.status, 200)
        XCTAssertLessThan(Date().timeIntervalSince(started), 1.5)
        let body = try JSONSerialization.jsonObject(with: Data(Self.bytes(response))) as? [String: Any]
        XCTAssertEqual(body?["database_nodes"] as? [String: Int], ["configured": 2, "usable": 1])
        XCTAssertEqual((body?["warnings"] as? [String])?.contains("1 of 2 database nodes is not usable."), true, "\(String(describing: body))")
        XCTAssertEqual(try pool.withConnection { $0.node }, live)

        var dead = configuration
        dead.databaseFallbackEndpoints = [.tcp(host: "127.0.0.1", port: try Self.closedPort())]
        let (deadApp, deadPool) = application(dead)
        defer { deadPool.shutDown() }
        XCTAssertEqual(deadApp.respond(to: ready).status, 503)

        // Without DATACOVEY_DB_HOSTS: one node, no probe.
        let single = application(db.configuration)
        defer { single.1.shutDown() }
        let singleBody = try JSONSerialization.jsonObject(with: Data(Self.bytes(single.0.respond(to: ready)))) as? [String: Any]
        XCTAssertEqual(singleBody?["database_nodes"] as? [String: Int], ["configured": 1, "usable": 1])
    }

    private static func bytes(_ response: Response) -> [UInt8] {
        guard case .bytes(let bytes) = response.body else { return [] }
        return bytes
    }

    private static func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw XCTSkip("cannot bind a loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
