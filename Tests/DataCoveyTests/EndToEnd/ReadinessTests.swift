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
}
