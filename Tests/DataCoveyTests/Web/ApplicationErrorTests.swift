@testable import DataCovey
import FastCGI
import Logging
import MariaDB
import XCTest

/// The one error path: every failure becomes problem+json, and nothing internal leaks.
final class ApplicationErrorTests: XCTestCase {
    private struct Boom: Error, CustomDebugStringConvertible {
        var debugDescription: String { "SELECT secret FROM datacovey.users — stack: frame0" }
    }

    private func application() throws -> Application {
        var router = Router()
        router.add("GET", "/conflict") { _ in
            throw HTTPError.conflict("A project with this name exists.", errors: [.init(field: "name", message: "already taken")])
        }
        router.add("GET", "/crash") { _ in throw Boom() }
        router.add("GET", "/sql") { _ in
            throw MariaDBError(code: 1064, sqlState: "42000", message: "You have an error near 'secret'", sql: "SELECT secret")
        }
        router.add("GET", "/busy") { _ in throw MariaDBPoolError.leaseTimeout }
        router.add("GET", "/gone") { _ in throw MariaDBError(code: 2013, sqlState: "HY000", message: "Lost connection") }
        router.add("GET", "/not-synced") { _ in
            throw MariaDBError(code: 1047, sqlState: "08S01", message: "WSREP has not yet prepared node for application use")
        }
        router.add("GET", "/certification") { _ in
            throw MariaDBError(code: 1213, sqlState: "40001", message: "Deadlock: wsrep aborted transaction")
        }
        router.add("POST", "/json") { request in
            struct Payload: Decodable { let name: String }
            _ = try JSON.decode(Payload.self, from: try request.raw.body?.readAll() ?? [])
            return .text("ok")
        }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return Application(router: router, configuration: try Configuration.fromEnvironment([:]), logger: logger)
    }

    private func call(_ method: String, _ path: String, body: [UInt8]? = nil, limit: Int = 1000) throws -> (Response, [String: Any]) {
        var params = ["REQUEST_METHOD": method, "REQUEST_URI": path, "REQUEST_ID": "req-1"]
        if let body { params["CONTENT_LENGTH"] = String(body.count) }
        let raw = FastCGIRequest(params: params, body: body.map { FastCGIRequestBody(bytes: $0, limit: limit) })
        let response = try application().respond(to: raw)
        guard case .bytes(let bytes) = response.body else { return (response, [:]) }
        let json = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] ?? [:]
        return (response, json)
    }

    func testHTTPErrorBecomesProblemJSONWithFieldErrors() throws {
        let (response, json) = try call("GET", "/conflict")
        XCTAssertEqual(response.status, 409)
        XCTAssertEqual(response.header("Content-Type"), "application/problem+json")
        XCTAssertEqual(json["title"] as? String, "Conflict")
        XCTAssertEqual(json["status"] as? Int, 409)
        XCTAssertEqual(json["type"] as? String, "https://datacovey.dev/problems/conflict")
        XCTAssertEqual(json["detail"] as? String, "A project with this name exists.")
        XCTAssertEqual(json["instance"] as? String, "/conflict")
        XCTAssertEqual(json["request_id"] as? String, "req-1")
        XCTAssertEqual((json["errors"] as? [[String: String]])?.first, ["field": "name", "message": "already taken"])
    }

    func testUnexpectedErrorsAre500WithoutInternals() throws {
        for path in ["/crash", "/sql"] {
            let (response, json) = try call("GET", path)
            XCTAssertEqual(response.status, 500, path)
            guard case .bytes(let bytes) = response.body else { return XCTFail("no body") }
            let text = String(decoding: bytes, as: UTF8.self)
            XCTAssertFalse(text.contains("secret"), "\(path) leaked: \(text)")
            XCTAssertFalse(text.contains("SELECT"), "\(path) leaked: \(text)")
            XCTAssertEqual(json["detail"] as? String, "Something went wrong on our side. Quote request id req-1 when reporting it.")
        }
    }

    func testBusyOrLostDatabaseIs503WithRetryAfter() throws {
        // A Galera node that refuses statements, and a conflict that outlasted the pool's retries.
        for path in ["/busy", "/gone", "/not-synced", "/certification"] {
            let (response, json) = try call("GET", path)
            XCTAssertEqual(response.status, 503, path)
            XCTAssertEqual(response.header("Retry-After"), "1")
            XCTAssertEqual(json["title"] as? String, "Service Unavailable")
        }
    }

    func testUnknownPathAndWrongMethod() throws {
        let (missing, missingJSON) = try call("GET", "/nowhere")
        XCTAssertEqual(missing.status, 404)
        XCTAssertEqual(missingJSON["detail"] as? String, "No such resource.")
        let (wrong, _) = try call("DELETE", "/conflict")
        XCTAssertEqual(wrong.status, 405)
        XCTAssertEqual(wrong.header("Allow"), "GET")
    }

    func testBadJSONIs400AndOversizedBodyIs413() throws {
        let (bad, badJSON) = try call("POST", "/json", body: Array("{\"name\": 5}".utf8))
        XCTAssertEqual(bad.status, 400)
        XCTAssertEqual(badJSON["title"] as? String, "Bad Request")
        let (large, largeJSON) = try call("POST", "/json", body: Array(repeating: 32, count: 2000), limit: 1000)
        XCTAssertEqual(large.status, 413)
        XCTAssertEqual(largeJSON["detail"] as? String, "The request body is larger than 1000 bytes.")
    }
}
