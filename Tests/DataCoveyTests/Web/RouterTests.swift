@testable import DataCovey
import FastCGI
import XCTest

final class RouterTests: XCTestCase {
    private func router() -> Router {
        var router = Router()
        router.add("GET", "/api/v1/projects/{id:int}") { request in
            .text("project \(try request.parameters.int("id"))")
        }
        router.add("PATCH", "/api/v1/projects/{id:int}") { _ in .text("patched") }
        router.add("GET", "/api/v1/things/{name}") { request in .text("thing \(try request.parameters.string("name"))") }
        return router
    }

    private func matchedPattern(_ method: String, _ path: String) -> String? {
        if case .found(_, _, let pattern) = router().match(method: method, path: path) { return pattern }
        return nil
    }

    func testTypedIntegerParameterAcceptsOnlyPlainPositiveIDs() {
        XCTAssertEqual(matchedPattern("GET", "/api/v1/projects/42"), "/api/v1/projects/{id:int}")
        for bad in ["0", "042", "-1", "+1", "1.5", "abc", "99999999999999999999"] {
            XCTAssertNil(matchedPattern("GET", "/api/v1/projects/\(bad)"), bad)
        }
    }

    func testStringParameterIsPercentDecoded() throws {
        guard case .found(let handler, let parameters, _) = router().match(method: "GET", path: "/api/v1/things/a%20b") else {
            return XCTFail("no match")
        }
        let response = try handler(Request(raw: FastCGIRequest(params: [:]), parameters: parameters))
        guard case .bytes(let body) = response.body else { return XCTFail("no body") }
        XCTAssertEqual(String(decoding: body, as: UTF8.self), "thing a b")
    }

    func testWrongMethodListsTheAllowedOnes() {
        guard case .methodNotAllowed(let allowed) = router().match(method: "DELETE", path: "/api/v1/projects/7") else {
            return XCTFail("expected 405")
        }
        XCTAssertEqual(allowed, ["GET", "PATCH"])
    }

    func testHeadFallsBackToGet() {
        XCTAssertEqual(matchedPattern("HEAD", "/api/v1/projects/7"), "/api/v1/projects/{id:int}")
    }

    func testDotSegmentsAndEncodedSlashesNeverMatch() {
        XCTAssertNil(matchedPattern("GET", "/api/v1/things/.."))
        XCTAssertNil(matchedPattern("GET", "/api/v1/things/%2e%2e"))
        XCTAssertNil(matchedPattern("GET", "/api/v1/things/a%2Fb"))
        XCTAssertNil(matchedPattern("GET", "/api/v1/things/a%00"))
    }

    func testTrailingAndDoubleSlashesAreIgnored() {
        XCTAssertEqual(matchedPattern("GET", "/api/v1/projects/7/"), "/api/v1/projects/{id:int}")
        XCTAssertEqual(matchedPattern("GET", "//api/v1//projects/7"), "/api/v1/projects/{id:int}")
    }
}
